"""Hostile XML for the tests of every entry point that reads a user's XML (imported by the addons' tests)."""

import re

_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>\s*")


def billion_laughs(levels=9):
    """The classic entity bomb alone: a few hundred bytes that expand to 10**levels copies of "lol"."""
    return with_billion_laughs(b"<lolz>LOL</lolz>", b"LOL", levels)


def with_billion_laughs(document, target, levels=9):
    """Return `document` (XML bytes) with a DTD declaring the "billion laughs" entity chain and its first
    `target` bytes replaced by a reference to the top entity, so the file looks genuine but expands to
    10**levels copies of "lol" in any parser that resolves entities."""
    assert target in document, target
    entities = [b'<!ENTITY lol0 "lol">']
    entities += [b'<!ENTITY lol%d "%s">' % (level, b"&lol%d;" % (level - 1) * 10) for level in range(1, levels + 1)]
    body = _DECLARATION.sub(b"", document, count=1).replace(target, b"&lol%d;" % levels, 1)
    root_name = re.match(rb"\s*<([\w:.-]+)", body).group(1)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE %s [\n%s\n]>\n%s' % (
        root_name,
        b"\n".join(entities),
        body,
    )
