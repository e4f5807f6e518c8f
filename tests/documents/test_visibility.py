"""Who may open each item: every visibility × every kind of person, through the invitee's link
(the RSVP page's documents) and the organisers' pages; and the RSVP page's list in Turkish and
Arabic. Anyone not entitled gets the same plain 404 as for a document that does not exist."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html import unescape

import pytest

from reslog_events.checkin.models import CheckIn
from reslog_events.documents import operations
from reslog_events.documents.models import Visibility
from reslog_events.extensions import db
from tests.documents.conftest import PDF, upload

DAY = date(2026, 3, 14)

#: person → the visibilities they may open
ENTITLED = {
    "invitee": {"invitees"},
    "declined": {"invitees"},  # a valid link of the event, whatever the answer
    "attendee": {"invitees", "attendees"},
    "revoked_attendee": set(),
    "other_event_attendee": set(),
}


@pytest.fixture
def event(create_event):
    return create_event(
        title="Çukurova Yuvarlak Masa",
        starts_at=datetime(2026, 3, 14, 6, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 14, 14, 0, tzinfo=UTC),
        languages=["tr", "ar"],
    )


@pytest.fixture
def people(event, create_event, create_invitation, create_contact):
    other = create_event(
        starts_at=datetime(2026, 3, 14, 6, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 14, 14, 0, tzinfo=UTC),
    )

    def invite(status, came=False, on=event, language="tr"):
        new = create_invitation(event=on, contact=create_contact(language=language), status=status)
        if came:
            db.session.add(CheckIn(event_id=on.id, invitation_id=new.invitation.id, day=DAY))
            db.session.commit()
        return new.rsvp_token

    return {
        "invitee": invite("accepted"),
        "declined": invite("declined"),
        "attendee": invite("accepted", came=True, language="ar"),
        "revoked_attendee": invite("revoked", came=True),
        "other_event_attendee": invite("accepted", came=True, on=other),
    }


def _minutes(event, visibility: str, create_user, title="Tutanak"):
    document = operations.write_minutes(
        event,
        title,
        "# Kararlar\n- Sarıçam ve Reyhanlı ortak çalışma grubu kurulacak.",
        Visibility(visibility),
        by=create_user("organiser"),
    )
    db.session.commit()
    return document.id


@pytest.mark.parametrize("person", sorted(ENTITLED))
@pytest.mark.parametrize("visibility", ["organisers", "invitees", "attendees"])
@pytest.mark.parametrize("kind", ["file", "minutes"])
def test_visibility_matrix(client, api, create_user, event, people, kind, visibility, person):
    if kind == "file":
        document_id = upload(api("organiser"), event.id, "Şişli_tutanak.pdf", PDF, visibility)
        document_id = document_id.json["id"]
    else:
        document_id = _minutes(event, visibility, create_user)
    resp = client.get(f"/rsvp/{people[person]}/documents/{document_id}")
    if visibility in ENTITLED[person]:
        assert resp.status_code == 200, resp.status_code
        if kind == "file":
            assert resp.data == PDF
            assert resp.headers["X-Content-Type-Options"] == "nosniff"
        else:
            page = unescape(resp.get_data(as_text=True))
            assert "<h3>Kararlar</h3>" in page and "Sarıçam ve Reyhanlı" in page
    else:
        assert resp.status_code == 404, resp.status_code
        assert b"%PDF" not in resp.data and "Kararlar" not in resp.get_data(as_text=True)


@pytest.mark.parametrize("visibility", ["organisers", "invitees", "attendees"])
def test_organisers_see_every_item_and_others_none(client, auth, create_user, event, visibility):
    document_id = _minutes(event, visibility, create_user)
    path = f"/events/{event.id}/documents/{document_id}"
    assert client.get(path).status_code == 302  # to the login page
    for role, status in (("staff", 403), ("coordinator", 403), ("organiser", 200)):
        auth.login(role)
        assert client.get(path).status_code == status, role
        auth.logout()


def test_a_guessed_token_or_another_event_s_document_is_404(client, create_user, event, people):
    document_id = _minutes(event, "invitees", create_user)
    assert client.get(f"/rsvp/{'x' * 22}/documents/{document_id}").status_code == 404
    assert client.get(f"/rsvp/{people['invitee']}/documents/{document_id + 99}").status_code == 404


@pytest.mark.parametrize(
    ("lang", "heading", "kind_label"),
    [("tr", "Tutanaklar ve belgeler", "Tutanak"), ("ar", "المحاضر والوثائق", "المحضر")],
)
def test_rsvp_page_lists_what_each_person_may_see(
    client, api, create_user, event, people, lang, heading, kind_label
):
    upload(api("organiser"), event.id, "Gündem_Şişli.pdf", PDF, "invitees")
    upload(api("organiser"), event.id, "Sunum_Reyhanlı.pdf", PDF, "attendees")
    upload(api("organiser"), event.id, "İç_notlar.pdf", PDF, "organisers")
    _minutes(event, "attendees", create_user, title="Yuvarlak masa tutanağı")
    attendee = unescape(client.get(f"/rsvp/{people['attendee']}?lang={lang}").get_data(True))
    assert heading in attendee and kind_label in attendee
    for title in ("Gündem_Şişli.pdf", "Sunum_Reyhanlı.pdf", "Yuvarlak masa tutanağı"):
        assert title in attendee, title
    assert "İç_notlar.pdf" not in attendee
    invitee = unescape(client.get(f"/rsvp/{people['invitee']}?lang={lang}").get_data(True))
    assert heading in invitee and "Gündem_Şişli.pdf" in invitee
    for title in ("Sunum_Reyhanlı.pdf", "Yuvarlak masa tutanağı", "İç_notlar.pdf"):
        assert title not in invitee, title
    if lang == "ar":
        assert '<html lang="ar" dir="rtl">' in attendee
        assert "<bdi>Gündem_Şişli.pdf</bdi>" in attendee  # Latin names isolated in Arabic
    other = unescape(client.get(f"/rsvp/{people['other_event_attendee']}").get_data(True))
    assert "Gündem_Şişli.pdf" not in other and 'id="documents"' not in other


def test_minutes_are_rendered_safely(client, create_user, event, people):
    document = operations.write_minutes(
        event,
        "<b>Başlık</b>",
        "<script>alert('x')</script>\n\n- <img src=x onerror=alert(1)>\nİkinci satır",
        Visibility.invitees,
        by=create_user("organiser"),
    )
    db.session.commit()
    page = client.get(f"/rsvp/{people['invitee']}/documents/{document.id}").get_data(True)
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>Başlık" not in page
    assert "&lt;script&gt;" in page and "<li>&lt;img src=x onerror=alert(1)&gt;</li>" in page
