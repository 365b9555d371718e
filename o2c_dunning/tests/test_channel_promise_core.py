"""Plain unit tests of the channel and promise rules (no database)."""

from odoo.addons.o2c_dunning.core import channel as channel_core
from odoo.addons.o2c_dunning.core import promise as promise_core
from odoo.tests import BaseCase

LevelChannels = channel_core.LevelChannels


class TestChannelCore(BaseCase):
    """Which channel a reminder uses, from the level's switches and the contact's email."""

    def test_email_level_goes_by_email_when_the_contact_has_one(self):
        self.assertEqual(channel_core.channel_for(LevelChannels(send_email=True), True), ("email", False))

    def test_customer_without_email_gets_the_letter_and_a_call_instead(self):
        self.assertEqual(channel_core.channel_for(LevelChannels(send_email=True), False), ("letter", True))

    def test_email_and_letter_level_sends_both(self):
        level = LevelChannels(send_email=True, send_letter=True, create_call=True)
        self.assertEqual(channel_core.channel_for(level, True), ("email_letter", True))

    def test_formal_notice_always_goes_by_letter(self):
        level = LevelChannels(send_email=True, is_formal_notice=True)
        self.assertEqual(channel_core.channel_for(level, True), ("email_letter", False))
        self.assertEqual(
            channel_core.channel_for(LevelChannels(send_email=False, is_formal_notice=True), True)[0], "letter"
        )

    def test_call_only_level_is_a_phone_call(self):
        level = LevelChannels(send_email=False, create_call=True)
        self.assertEqual(channel_core.channel_for(level, True), ("phone", True))

    def test_level_without_any_channel_still_prints_a_letter(self):
        self.assertEqual(channel_core.channel_for(LevelChannels(send_email=False), True), ("letter", False))

    def test_litigation_is_a_hand_over_without_call(self):
        level = LevelChannels(send_email=True, create_call=True, is_litigation=True)
        self.assertEqual(channel_core.channel_for(level, True), ("litigation", False))


class TestPromiseCore(BaseCase):
    """A promise is kept when what was paid since it was given covers the promised amount."""

    def test_promise_paid_in_full_is_kept(self):
        # 1,000 + 500 open when promised, 600 promised, 400 left open on the first: 1,100 paid
        self.assertTrue(promise_core.promise_kept(1500.0, [400.0, 0.0], 600.0))

    def test_promise_paid_to_the_cent_is_kept(self):
        self.assertTrue(promise_core.promise_kept(1500.0, [900.005], 600.0))

    def test_promise_paid_short_is_broken(self):
        # 599 paid of 600 promised
        self.assertFalse(promise_core.promise_kept(1500.0, [901.0], 600.0))

    def test_nothing_paid_is_broken(self):
        self.assertFalse(promise_core.promise_kept(1500.0, [1000.0, 500.0], 600.0))
