"""Which channel a reminder uses: email, letter, both, a phone call or the hand-over to litigation.

Plain data in, plain data out (no Odoo import): the models pass the level's switches and whether the
contact has an email address.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class LevelChannels:
    """The channel switches of one ladder level."""

    send_email: bool = True
    send_letter: bool = False
    create_call: bool = False
    is_formal_notice: bool = False
    is_litigation: bool = False


def channel_for(level, has_email):
    """Return (channel, call planned) of `level` (LevelChannels) for a contact with or without an email.

    The channel is one of "email", "email_letter", "letter", "phone", "litigation". A customer without
    email gets the letter and a call instead of the email, never nothing; a formal notice always goes
    by letter too.
    """
    if level.is_litigation:
        return "litigation", False
    letter = level.send_letter or level.is_formal_notice
    if level.send_email and has_email:
        return ("email_letter" if letter else "email"), level.create_call
    if level.send_email:
        return "letter", True
    if letter:
        return "letter", level.create_call
    return ("phone", True) if level.create_call else ("letter", False)
