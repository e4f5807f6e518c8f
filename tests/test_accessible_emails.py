"""An Arabic-speaking invitee's emails, sent by the real worker through the outbox renderers:
right to left, in Arabic, readable with images off (alt text) and in plain text alone."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

from flask_babel import force_locale
from flask_babel import gettext as _

from tests.support.forms import post_form


class Tags(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def first(self, tag: str) -> dict[str, str | None]:
        return next(attrs for name, attrs in self.tags if name == tag)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def bodies(message) -> tuple[str, str]:
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()
    return html, text


def assert_right_to_left_arabic(message, html: str) -> Tags:
    tags = Tags(html)
    for tag in ("html", "body"):
        attrs = tags.first(tag)
        assert (attrs.get("lang"), attrs.get("dir")) == ("ar", "rtl"), (tag, attrs)
    # webmail drops <html> and <body>: the wrapper says it again, and aligns to the right
    wrapper = tags.first("div")
    assert (wrapper.get("lang"), wrapper.get("dir")) == ("ar", "rtl")
    assert "text-align:right" in (wrapper.get("style") or "")
    assert message["Content-Language"] == "ar"
    # with images off, every picture still says what it is
    for img in tags.all("img"):
        assert (img.get("alt") or "").strip(), img
    return tags


def test_arabic_invitation_and_confirmation_are_rtl_and_readable_without_images(
    app, client, api, stub_worker, create_event, create_contact, create_organisation
):
    event = create_event(
        title="Forum on Resilient Cities",
        starts_at=datetime(2031, 5, 14, 7, 0, tzinfo=UTC),
        ends_at=datetime(2031, 5, 14, 14, 0, tzinfo=UTC),
        timezone="Europe/Istanbul",
        venue="Kültür Merkezi",
        city="Gaziantep",
        online_url="https://meet.example.org/forum",
    )
    contact = create_contact(
        full_name="Sara Lindberg",
        language="ar",
        organisation=create_organisation(name="Gaziantep Büyükşehir Belediyesi"),
    )
    with force_locale("ar"):
        # the plain text isolates the Latin name (FSI … PDI) so that it keeps its order
        dear = _("Dear %(name)s,", name="\u2068Sara Lindberg\u2069")
        qr_alt = _("Your check-in QR code")

    # The invitation.
    sent = api("organiser").post(
        f"/api/v1/events/{event.id}/invitations", json={"contact_ids": [contact.id]}
    )
    assert sent.status_code == 202, sent.json
    stub_worker.drain()
    (invitation,) = stub_worker.messages()
    html, text = bodies(invitation)
    assert_right_to_left_arabic(invitation, html)
    assert "<bdi>Sara Lindberg</bdi>" in html  # a Latin name keeps its order in Arabic text
    assert "<bdi>Forum on Resilient Cities</bdi>" in html
    # The plain text alone carries everything: greeting, title, time with its zone, place, link.
    link = re.search(r"http://rsvp\.test/rsvp/([A-Za-z0-9_-]+)", text)
    assert link, text
    assert dear in text
    assert "Forum on Resilient Cities" in text
    assert "Europe/Istanbul" in text  # the zone is named
    assert "Kültür Merkezi" in text and "Gaziantep" in text
    assert "https://meet.example.org/forum" in text
    assert link.group(0) in html

    # The invitee accepts on the (Arabic) page; the confirmation follows.
    token = link.group(1)
    answered = post_form(client, f"/rsvp/{token}", {"response": "accept", "consent_data": "1"})
    assert answered.status_code in (200, 302, 303)
    stub_worker.drain()
    confirmation = stub_worker.messages()[-1]
    assert confirmation["X-RESLOG-Kind"] == "confirmation"
    html, text = bodies(confirmation)
    tags = assert_right_to_left_arabic(confirmation, html)
    (qr,) = tags.all("img")
    assert qr["src"].startswith("cid:") and qr["alt"] == qr_alt
    code = re.search(r"RSL1-[A-Z0-9]+", text)
    assert code, text  # the code itself, for when the picture is not shown
    assert code.group(0) in html
    assert f"http://rsvp.test/rsvp/{token}" in text
    assert "Europe/Istanbul" in text and "Kültür Merkezi" in text
    assert dear in text
