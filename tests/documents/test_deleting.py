"""Deleting a document from the organisers' page goes through a confirmation that names it and
says who can see it; only the confirmed form deletes, and the audit log keeps who deleted
which document (by id, never its name)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from reslog_events.audit.models import AuditLog
from reslog_events.documents.models import EventDocument
from reslog_events.documents.storage import get_storage
from reslog_events.extensions import db
from tests.checkin.test_browser import log_in
from tests.documents.conftest import PDF, upload
from tests.languages.untranslated import Finder
from tests.support.browser import page_problems
from tests.support.forms import post_form


@pytest.fixture
def event(create_event):
    return create_event(title="Şişli Göç Forumu")


@pytest.fixture
def document(api, event, storage):
    answer = upload(api("organiser"), event.id, "Ayşe_sunum.pdf", PDF, visibility="invitees")
    return db.session.get(EventDocument, answer.json["id"])


def _page(resp) -> str:
    return resp.get_data(as_text=True)


def test_the_list_links_to_a_confirmation_naming_the_item(client, auth, event, document):
    auth.login("organiser")
    listing = _page(client.get(f"/events/{event.id}/documents?lang=tr"))
    confirm_url = f"/events/{event.id}/documents/{document.id}/delete"
    assert f'href="{confirm_url}"' in listing
    assert f'action="{confirm_url}"' not in listing  # no one-click delete on the list
    page = _page(client.get(f"{confirm_url}?lang=tr"))
    assert "<bdi>Ayşe_sunum.pdf</bdi> silinsin mi?" in page
    assert '<dd id="document-visibility">Davet edilen herkes</dd>' in page
    assert "Davet edilen herkes şu anda davet sayfasından açabiliyor" in page
    assert re.search(r'name="confirm" value="1"', page)
    assert db.session.get(EventDocument, document.id) is not None  # a GET deletes nothing


def test_only_the_confirmed_form_deletes_and_it_is_audited(
    client, auth, create_user, event, document
):
    organiser = create_user("organiser", email="silen@example.org")
    auth.login(user=organiser)
    key = document.storage_key
    url = f"/events/{event.id}/documents/{document.id}/delete"
    unconfirmed = post_form(client, url, {})
    assert unconfirmed.status_code == 200 and "silinsin" not in _page(unconfirmed)
    db.session.expire_all()
    assert db.session.get(EventDocument, document.id) is not None
    done = post_form(client, url + "?lang=tr", {"confirm": "1"})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(EventDocument, document.id) is None
    assert not get_storage().exists(key)
    (entry,) = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "document.delete"))
    assert entry.user_id == organiser.id and entry.object_id == document.id
    assert entry.data["event_id"] == event.id and entry.data["visibility"] == "invitees"
    assert "Ayşe" not in str(entry.data)  # ids, not contents
    assert client.get(url).status_code == 404


def test_coordinators_and_other_events_get_nothing(client, auth, event, document, create_event):
    auth.login("coordinator")
    url = f"/events/{event.id}/documents/{document.id}/delete"
    assert client.get(url).status_code in (302, 403)
    auth.logout()
    auth.login("organiser")
    other = create_event()
    assert client.get(f"/events/{other.id}/documents/{document.id}/delete").status_code == 404


@pytest.mark.parametrize("language", ["tr", "ar", "sv"])
def test_the_confirmation_is_translated(client, auth, event, document, language):
    auth.login("organiser")
    page = _page(client.get(f"/events/{event.id}/documents/{document.id}/delete?lang={language}"))
    stored = {"Ayşe_sunum.pdf", "Şişli Göç Forumu", auth.user.name or "", auth.user.email}
    finder = Finder(language, frozenset(stored))
    finder.check_html("the confirmation", page)
    assert finder.leaks == []
    # the finder finds English where there is some
    english = Finder("en", frozenset())
    english.check_html(
        "en", _page(client.get(f"/events/{event.id}/documents/{document.id}/delete?lang=en"))
    )
    assert english.leaks


@pytest.mark.browser
def test_deleting_in_the_browser(live_server, page, create_user, event, document):
    problems = page_problems(page)
    log_in(page, live_server.url, create_user("organiser"))
    page.goto(f"{live_server.url}/events/{event.id}/documents?lang=tr")
    page.get_by_role("link", name="Ayşe_sunum.pdf dosyasını sil").click()
    page.wait_for_url(lambda url: url.endswith("/delete"))
    assert "Davet edilen herkes" in page.locator("#document-visibility").inner_text()
    page.get_by_role("link", name="Vazgeç").click()
    page.wait_for_url(lambda url: url.endswith(f"/events/{event.id}/documents"))
    assert page.locator("table.documents tbody tr").count() == 1
    page.get_by_role("link", name="Ayşe_sunum.pdf dosyasını sil").click()
    page.locator(".confirm-delete").get_by_role("button", name="Sil").click()
    page.wait_for_url(lambda url: url.endswith(f"/events/{event.id}/documents"))
    assert "Ayşe_sunum.pdf silindi." in page.locator(".flash").inner_text()
    assert page.locator("table.documents").count() == 0
    assert problems == []
