"""The organisers' "Remind the N invitees who have not answered" button emails everyone who
has not answered: like inviting, it shows who and how many before anything is sent."""

from __future__ import annotations

import sqlalchemy as sa

from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.mail.models import OutgoingEmail
from tests.support.forms import csrf_token


def reminders() -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(OutgoingEmail.kind == "reminder"))


def test_reminding_asks_first_then_sends(client, auth, create_event, create_invitation):
    event = create_event()
    for _ in range(3):
        create_invitation(event=event)
    auth.login("organiser")
    url = f"/events/{event.id}/invitations"
    token = csrf_token(client, url)

    asked = client.post(url + "/remind", data={"csrf_token": token, "note": "Son gün Cuma"})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and reminders() == 0
    assert "3 invitees who have not answered will get a reminder" in page
    assert "Son gün Cuma" in page and "Send 3 reminders" in page

    sent = client.post(
        url + "/remind", data={"csrf_token": token, "note": "Son gün Cuma", "confirmed": "1"}
    )
    assert sent.status_code == 302 and reminders() == 3


def test_nobody_to_remind_offers_no_button(client, auth, create_event, create_invitation):
    event = create_event()
    create_invitation(event=event, reminded_at=utcnow())
    auth.login("organiser")
    url = f"/events/{event.id}/invitations"
    asked = client.post(url + "/remind", data={"csrf_token": csrf_token(client, url)})
    page = asked.get_data(as_text=True)
    assert "Nobody to remind now" in page and "1 pending invitee was reminded recently." in page
    assert "reminder" not in page.split("Nobody to remind now")[1].split("</main>")[0].lower()
    assert reminders() == 0


REMIND_BUTTON = {
    "en": "Remind the 3 invitees who have not answered…",
    "tr": "Yanıt vermeyen 3 davetliye hatırlat…",
    "sv": "Påminn de 3 inbjudna som inte har svarat…",
    "ar": "ذكّر المدعوين الذين لم يردّوا (3)…",
}


def test_the_remind_button_says_it_asks_first(client, auth, create_event, create_invitation):
    """A button that opens a check page ends with "…", in every language."""
    event = create_event()
    for _ in range(3):
        create_invitation(event=event)
    auth.login("organiser")
    for language, label in REMIND_BUTTON.items():
        page = client.get(f"/events/{event.id}/invitations?lang={language}")
        assert f'<button type="submit">{label}</button>' in page.get_data(as_text=True), language
