"""The event form's language tabs and the invitation confirmation's fallback warning."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from reslog_events.events.models import Event
from reslog_events.extensions import db
from tests.events.test_pages import form
from tests.support.forms import csrf_token, post_form


def test_form_tabs_save_other_languages_and_check_titles(client, auth):
    auth.login("organiser")
    page = client.get("/events/new?lang=en").get_data(as_text=True)
    assert 'name="title_ar"' in page and 'name="description_sv"' in page
    # the tests' default language is English: its title is the plain title field
    assert 'name="title_tr"' in page and 'name="title_en"' not in page

    # a description without a title in its tab is refused, next to that tab's title
    refused = post_form(client, "/events/new", form(title_ar="", description_ar="وصف"))
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'id="e-title_ar"' in html and "Give a title in this language too" in html
    assert "وصف" in html  # kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0

    created = post_form(
        client,
        "/events/new",
        form(
            title_ar="زيارة الأقران",
            description_ar="",
            title_tr="",
            description_tr="",
            languages=["sv", "tr", "en", "ar"],
        ),
    )
    assert created.status_code == 302
    event = db.session.scalars(sa.select(Event)).one()
    assert event.translations == {"ar": {"title": "زيارة الأقران", "description": ""}}

    edit = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="زيارة الأقران"' in edit
    # saved again with a Swedish tab filled in: both kept
    saved = post_form(
        client,
        f"/events/{event.id}/edit",
        form(title_ar="زيارة الأقران", title_sv="Besök", languages=["sv", "tr", "en", "ar"]),
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).translations == {
        "ar": {"title": "زيارة الأقران", "description": ""},
        "sv": {"title": "Besök", "description": ""},
    }
    # emptying a tab removes that language
    post_form(client, f"/events/{event.id}/edit", form(title_ar="", description_ar=""))
    db.session.expire_all()
    assert db.session.get(Event, event.id).translations == {}


def test_confirmation_says_who_gets_the_default_title(client, auth, create_event, create_contact):
    event = create_event(translations={"sv": {"title": "Forum", "description": ""}})
    arabic = [create_contact(language="ar") for _ in range(3)]
    swedish = create_contact(language="sv")
    turkish = create_contact(language="tr")
    auth.login("organiser")
    ids = [c.id for c in (*arabic, swedish, turkish)]
    resp = client.post(
        f"/events/{event.id}/invitations/confirm?lang=en",
        data={
            "csrf_token": csrf_token(client, f"/events/{event.id}/invitations/new"),
            "contact_ids": [str(i) for i in ids],
        },
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert (
        "3 invitees who read Arabic will get these in English: the title and description." in html
    )
    assert "1 invitee who reads Turkish will get these in English: the title and" in html
    assert "Add them in Arabic?" in html
    assert "Swedish will get" not in html


@pytest.mark.browser
def test_language_tabs_in_chromium(live_server, page, create_user, create_event):
    from tests.support.factories import PASSWORD

    user = create_user("organiser")
    event = create_event(title="Göç Forumu")
    page.goto(f"{live_server.url}/login?lang=en")
    page.fill("#f-email", user.email)
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto(f"{live_server.url}/events/{event.id}/edit?lang=en")
    tabs = page.get_by_role("tab")
    assert tabs.count() == 4 and tabs.first.get_attribute("aria-selected") == "true"
    assert page.locator("#f-title").is_visible() and not page.locator("#f-title_ar").is_visible()
    # the keyboard moves along the tabs (English, then Turkish, Arabic)
    tabs.first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.locator("#tab-ar").get_attribute("aria-selected") == "true"
    page.fill("#f-title_ar", "منتدى الهجرة")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(lambda url: url.endswith(f"/events/{event.id}"))
    db.session.expire_all()
    assert db.session.get(Event, event.id).translations == {
        "ar": {"title": "منتدى الهجرة", "description": ""}
    }


def test_preview_says_when_a_language_gets_the_default_title(client, auth, create_event):
    event = create_event(translations={"sv": {"title": "Forum om staden", "description": ""}})
    auth.login("organiser")
    arabic = client.get(f"/events/{event.id}/invitations/preview?lang=ar").get_data(as_text=True)
    assert "preview-fallback" in arabic
    swedish = client.get(f"/events/{event.id}/invitations/preview?lang=sv").get_data(as_text=True)
    assert "preview-fallback" not in swedish and "Forum om staden" in swedish
