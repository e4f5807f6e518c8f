"""A file extension inside Arabic text (".ics", ".xlsx") is a Latin run that starts with a
full stop: without an isolate the bidi algorithm moves the stop to its other end, and the RSVP
page's calendar button read "(ics.)". The Arabic catalog isolates every one (FSI … PDI)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from reslog_events.core.bidi import FSI, PDI

CATALOG = (
    Path(__file__).resolve().parents[2] / "reslog_events/translations/ar/LC_MESSAGES/messages.po"
)
EXTENSION = re.compile(r"(.)?\.(ics|xlsx|xls|csv|pdf|zip|json)\b")


def test_every_file_extension_in_arabic_is_isolated():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    bare = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            for match in EXTENSION.finditer(text or ""):
                if match.group(1) not in (FSI, "\u200e"):
                    bare.append(text)
    assert not bare, bare


def test_the_rsvp_calendar_button_reads_ics(
    client, create_event, create_contact, create_invitation
):
    contact = create_contact(full_name="Rasha Haddad", language="ar")
    new = create_invitation(event=create_event(), contact=contact, status="accepted")
    html = client.get(f"/rsvp/{new.rsvp_token}").get_data(as_text=True)
    assert f"({FSI}.ics{PDI})" in html
