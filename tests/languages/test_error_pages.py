"""Every error page in the page's language (?lang=, the invitee's, the browser's), right to left
in Arabic, saying what happened and what to do; an invitee's broken link says whom to contact."""

from __future__ import annotations

import re
from html import unescape

import pytest

#: what each page says in each language (the title), checked against the catalogue
TITLES = {
    "en": {
        400: "Bad request",
        403: "No access",
        404: "Page not found",
        405: "Not possible this way",
        413: "Too large",
        429: "Too many attempts",
        500: "Something went wrong",
    },
    "tr": {404: "Sayfa bulunamadı", 403: "Erişim yok", 500: "Bir sorun oluştu"},
    "ar": {404: "الصفحة غير موجودة", 403: "لا يوجد وصول", 500: "حدث خطأ ما"},
    "sv": {404: "Sidan hittades inte", 403: "Ingen åtkomst", 500: "Något gick fel"},
}


def _page(resp) -> str:
    return unescape(resp.get_data(as_text=True))


def _root(html: str) -> tuple[str, str]:
    match = re.search(r'<html lang="(\w+)" dir="(\w+)">', html)
    return match.group(1), match.group(2)


@pytest.fixture
def broken(app, client, auth, monkeypatch):
    """Makes each error happen for real (only the 500 needs a view that fails)."""

    def fail():
        raise RuntimeError("a bug")

    def make(code: int, lang: str, **headers):
        query = f"?lang={lang}" if lang else ""
        if code == 400:  # a form without its CSRF token
            return client.post(f"/login{query}", data={"email": "x"}, headers=headers)
        if code == 403:
            auth.login("staff")
            return client.get(f"/events/new{query}", headers=headers)
        if code == 404:
            return client.get(f"/no-such-page{query}", headers=headers)
        if code == 405:
            return client.put(f"/login{query}", headers=headers)
        if code == 413:
            monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 100)
            return client.post(f"/login{query}", data={"email": "x" * 1000}, headers=headers)
        if code == 429:
            for _attempt in range(12):
                resp = client.get(f"/rsvp/{'x' * 20}{query}", headers=headers)
            return resp
        if code == 500:
            monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
            monkeypatch.setitem(app.view_functions, "home.index", fail)
            return client.get(f"/{query}", headers=headers)
        raise AssertionError(code)

    return make


@pytest.mark.parametrize("code", [400, 403, 404, 405, 413, 429, 500])
def test_each_error_page_in_english_says_what_to_do(broken, code):
    resp = broken(code, "en")
    html = _page(resp)
    assert resp.status_code == code
    assert _root(html) == ("en", "ltr")
    assert f"<h1>{TITLES['en'][code]}" in html
    assert 'class="error-what"' in html and ('class="error-todo"' in html)
    assert "The requested URL" not in html and "The server" not in html  # no Werkzeug text


@pytest.mark.parametrize("lang", ["tr", "ar", "sv"])
@pytest.mark.parametrize("code", [403, 404, 500])
def test_error_pages_in_each_language(broken, client, code, lang):
    resp = broken(code, lang)
    html = _page(resp)
    assert resp.status_code == code
    assert _root(html) == (lang, "rtl" if lang == "ar" else "ltr")
    assert TITLES[lang][code] in html
    assert "Page not found" not in html and "Back to the start page" not in html


def test_browser_language_when_nothing_else_says(client):
    resp = client.get("/no-such-page", headers={"Accept-Language": "ar,en;q=0.5"})
    html = _page(resp)
    assert _root(html) == ("ar", "rtl") and TITLES["ar"][404] in html


def test_broken_and_revoked_invitee_links_say_whom_to_contact(
    app, client, create_event, create_invitation, create_contact, create_user, forget_locale
):
    organiser = create_user("organiser", email="duzenleyici@example.org")
    event = create_event(organiser=organiser)
    new = create_invitation(event=event, contact=create_contact(language="ar"))

    # an unknown link: nothing known of the event, so: the invitation email's sender
    html = _page(app.test_client().get(f"/rsvp/{'y' * 24}?lang=en"))
    assert "reply to the invitation email" in html and "duzenleyici@example.org" not in html

    # a known link to something not there (the QR code before accepting): that organiser,
    # in the invitee's language (Arabic), right to left
    forget_locale()
    resp = client.get(f"/rsvp/{new.rsvp_token}/qr.png")
    html = _page(resp)
    assert resp.status_code == 404 and _root(html) == ("ar", "rtl")
    assert "mailto:duzenleyici@example.org" in html and TITLES["ar"][404] in html

    # revoked: the invitation's own page, 410, with the organiser's address
    from reslog_events.extensions import db
    from reslog_events.invitations.models import InvitationStatus

    new.invitation.status = InvitationStatus.revoked
    db.session.commit()
    forget_locale()
    resp = client.get(f"/rsvp/{new.rsvp_token}?lang=sv")
    html = _page(resp)
    assert resp.status_code == 410 and _root(html) == ("sv", "ltr")
    assert "mailto:duzenleyici@example.org" in html
