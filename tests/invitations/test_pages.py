"""The organisers' invitation pages: list, invite from the directory with its filters, preview,
confirm "Send N invitations", progress, history and resend; CSRF on, strict CSP."""

from __future__ import annotations

import re

import sqlalchemy as sa

from reslog_events.audit.models import AuditLog
from reslog_events.extensions import db
from reslog_events.invitations.models import Invitation
from reslog_events.mail.models import OutgoingEmail


def _contacts(create_organisation, create_contact):
    mbb = create_organisation(name="Marmara Belediyeler Birliği", kind="union", code="MBB")
    sisli = create_organisation(name="Şişli Belediyesi", province="İstanbul", unions=[mbb])
    adana = create_organisation(name="Sarıçam Belediyesi", province="Adana")
    return {
        "ayse": create_contact(full_name="Ayşe Yılmaz", organisation=sisli, language="tr"),
        "omar": create_contact(full_name="Omar Haddad", organisation=sisli, language="ar"),
        "can": create_contact(full_name="Can Demir", organisation=adana, language="tr"),
    }


def test_pages_need_an_editor(client, auth, create_event):
    event = create_event()
    url = f"/events/{event.id}/invitations"
    assert client.get(url).status_code == 302  # to the login
    auth.login("staff")
    assert client.get(url).status_code == 403


def test_invite_from_the_directory_with_its_filters(
    client, auth, create_event, create_organisation, create_contact, create_invitation
):
    people = _contacts(create_organisation, create_contact)
    event = create_event(title="Şişli Forumu")
    create_invitation(event=event, contact=people["ayse"])
    auth.login("organiser")

    page = client.get(f"/events/{event.id}/invitations/new?union=MBB")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Ayşe Yılmaz" in html and "Omar Haddad" in html and "Can Demir" not in html
    assert "2 contacts match." in html and "1 of them is not invited yet." in html
    assert f'name="contact_ids" value="{people["omar"].id}"' in html
    assert f'name="contact_ids" value="{people["ayse"].id}"' not in html  # invited already
    assert "<script>" not in html and 'style="' not in html

    confirm = client.post(
        f"/events/{event.id}/invitations/confirm",
        data={
            "csrf_token": _csrf(client, f"/events/{event.id}/invitations/new"),
            "union": "MBB",
            "note": "Katılımınızı bekliyoruz",
        },
    )
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "Send 1 invitation" in html and "Omar Haddad" in html
    ids = re.search(r'name="ids" value="([^"]*)"', html).group(1)
    assert ids == str(people["omar"].id)

    sent = client.post(
        f"/events/{event.id}/invitations/send",
        data={
            "csrf_token": _csrf(client, f"/events/{event.id}/invitations"),
            "ids": ids,
            "note": "Katılımınızı bekliyoruz",
        },
    )
    assert sent.status_code == 302 and "/invitations/progress" in sent.location
    (row,) = db.session.scalars(sa.select(OutgoingEmail)).all()
    assert row.to_address == people["omar"].email and row.language == "ar"
    assert row.payload["note"] == "Katılımınızı bekliyoruz"
    assert f"from_id={row.id}" in sent.location
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "invitations.invite"))
    assert entry.user_id == auth.user.id and entry.data["created"] == 1

    progress = client.get(sent.location)
    html = progress.get_data(as_text=True)
    assert progress.status_code == 200 and "js/invitations.js" in html
    assert f"/api/v1/events/{event.id}/invitations/progress" in html

    # the JSON the page polls, with the session (no bearer token)
    state = client.get(f"/api/v1/events/{event.id}/invitations/progress?from_id={row.id}").json
    assert state["counts"]["queued"] == 1 and state["total"] == 1 and state["done"] is False


def test_ticked_contacts_only(client, auth, create_event, create_organisation, create_contact):
    people = _contacts(create_organisation, create_contact)
    event = create_event()
    auth.login("organiser")
    confirm = client.post(
        f"/events/{event.id}/invitations/confirm",
        data={
            "csrf_token": _csrf(client, f"/events/{event.id}/invitations/new"),
            "contact_ids": [people["can"].id],
        },
    )
    html = confirm.get_data(as_text=True)
    assert "Send 1 invitation" in html and "Can Demir" in html and "Omar" not in html


def test_preview_in_each_language(client, auth, create_event):
    event = create_event(title="Kent Forumu")
    auth.login("organiser")
    for lang in ("tr", "en", "ar", "sv"):
        resp = client.get(f"/events/{event.id}/invitations/preview?lang={lang}&note=Merhaba")
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200, lang
        assert "Kent Forumu" in html and "Merhaba" in html
        assert "script-src" not in resp.headers["Content-Security-Policy"]
        assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
        assert f'lang="{lang}"' in html
    text = client.get(f"/events/{event.id}/invitations/preview?lang=tr&format=text")
    assert text.mimetype == "text/plain" and "/rsvp/preview-not-a-real-link" in text.get_data(
        as_text=True
    )
    assert client.get(f"/events/{event.id}/invitations/preview?lang=xx").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_list_history_resend_and_remind(client, auth, create_event, create_invitation, stub_worker):
    event = create_event()
    new = create_invitation(event=event)
    auth.login("organiser")
    html = client.get(f"/events/{event.id}/invitations").get_data(as_text=True)
    assert new.invitation.contact.full_name in html and "Remind the 1 invitee" in html

    url = f"/events/{event.id}/invitations/{new.invitation.id}"
    resp = client.post(url + "/resend", data={"csrf_token": _csrf(client, url)})
    assert resp.status_code == 302
    stub_worker.drain()
    html = client.get(url).get_data(as_text=True)
    assert "invitation.resend" in html and event.title in html  # in the email's subject
    assert client.post(url + "/resend").status_code == 400  # no CSRF token

    resp = client.post(
        f"/events/{event.id}/invitations/remind",
        data={"csrf_token": _csrf(client, url), "note": "Lütfen yanıtlayın", "confirmed": "1"},
    )
    assert resp.status_code == 302
    assert db.session.scalar(sa.select(OutgoingEmail).where(OutgoingEmail.kind == "reminder"))
    other = create_event()
    assert client.get(f"/events/{other.id}/invitations/{new.invitation.id}").status_code == 404


def _csrf(client, path):
    from tests.support.forms import csrf_token

    return csrf_token(client, path)


def test_check_page_names_the_languages(
    client, auth, create_event, create_organisation, create_contact
):
    """ "Arapça: 1" in the page's language, not the code "AR: 1"."""
    people = _contacts(create_organisation, create_contact)
    event = create_event()
    auth.login("organiser")
    confirm = client.post(
        f"/events/{event.id}/invitations/confirm?lang=tr",
        data={
            "csrf_token": _csrf(client, f"/events/{event.id}/invitations/new"),
            "contact_ids": [person.id for person in people.values()],
        },
    )
    html = confirm.get_data(as_text=True)
    languages = re.search(r'<ul class="inv-langs">(.*?)</ul>', html, re.S).group(1)
    assert "Arapça: 1" in languages and "Türkçe: 2" in languages
    assert "AR:" not in languages and "TR:" not in languages
    assert 'hreflang="ar"' in languages


def test_history_names_the_emails_language(
    client, auth, create_event, create_invitation, create_contact, stub_worker
):
    event = create_event()
    new = create_invitation(event=event, contact=create_contact(language="ar"))
    auth.login("organiser")
    url = f"/events/{event.id}/invitations/{new.invitation.id}"
    client.post(url + "/resend", data={"csrf_token": _csrf(client, url)})
    stub_worker.drain()
    html = client.get(url + "?lang=tr").get_data(as_text=True)
    assert "(Arapça)" in html and "(AR)" not in html
