"""No English on a Turkish, Arabic or Swedish page: every page (each GET page of the page
matrix, for each role that may open it) in a world with the demo's data, checked for the app's
own English (tests/languages/untranslated.py). English is the baseline: it must show the
English the finder looks for, or the finder would be looking for nothing."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.languages.untranslated import Finder, check_response
from tests.security.test_page_matrix import EXCEPTIONS, PAGES, PUBLIC
from tests.support.page_world import ROLES, page_world
from tests.support.stored_texts import stored_texts


@pytest.fixture(scope="module")
def walk(_app):
    from reslog_events.demo.cli import load_demo

    with _app.app_context():
        load_demo()
    for ids, clients in page_world(_app):
        with _app.app_context():
            # and the development outbox's sample message, which page_world writes as a file
            content = stored_texts() | {"Hello"}
            demo = list(_demo_visits())
        yield ids, clients, content, demo


def _visits(ids):
    """(role, path) of every page a role opens with a 200, the role's first allowed."""
    for rule, (allowed, path, status) in sorted(PAGES.items()):
        if status != 200:
            continue
        for role in (None, *ROLES):
            if EXCEPTIONS.get(rule, {}).get(role, 200) != 200:
                continue
            if allowed is PUBLIC or (role is not None and role in allowed):
                yield role, path.format(**ids)


def _demo_visits():
    """The demo's events, organisations and invitations in every state, and the report in
    every grouping: the pages full of rows and labels that the matrix's few rows leave empty."""
    from reslog_events.directory.models import Organisation
    from reslog_events.events.models import Event
    from reslog_events.extensions import db
    from reslog_events.invitations.models import Invitation
    from reslog_events.invitations.operations import rsvp_token_of
    from reslog_events.reports.schemas import GroupBy

    for event in db.session.scalars(sa.select(Event).order_by(Event.id)):
        for page in ("", "/answers", "/invitations", "/agenda", "/checkin/log", "/itinerary"):
            yield "organiser", f"/events/{event.id}{page}"
        yield "coordinator", f"/reports?event_id={event.id}"
    for group in GroupBy:
        yield "coordinator", f"/reports?group_by={group.value}"
        yield "admin", f"/reports?group_by={group.value}"
    yield "organiser", "/events?when=past"
    for org in db.session.scalars(sa.select(Organisation).where(Organisation.code.is_not(None))):
        yield "organiser", f"/organisations/{org.id}"
    for status in db.session.scalars(sa.select(Invitation.status).distinct()):
        invitation = db.session.scalars(
            sa.select(Invitation).where(Invitation.status == status).limit(1)
        ).one()
        token = rsvp_token_of(invitation)
        if token:
            yield None, f"/rsvp/{token}"
        yield "organiser", f"/events/{invitation.event_id}/answers/{invitation.id}"


def _walk(walk, language: str) -> Finder:
    ids, clients, content, demo = walk
    finder = Finder(language, content)
    for role, path in [*_visits(ids), *demo]:
        joiner = "&" if "?" in path else "?"
        resp = clients[role].get(f"{path}{joiner}lang={language}")
        assert resp.status_code == 200, (role, path, resp.status_code)
        check_response(finder, path, f"{role or 'anonymous'} {path}", resp)
        if resp.mimetype == "text/html":
            finder.read.add(f"{role or 'anonymous'} {path}")
    return finder


@pytest.mark.parametrize("language", ["tr", "ar", "sv"])
def test_no_english_on_pages(walk, language):
    leaks = _walk(walk, language).leaks
    assert not leaks, f"{len(leaks)} English text(s):\n" + "\n".join(map(str, leaks))


def test_the_english_pages_show_what_the_walk_looks_for(walk):
    """The baseline: in English, the finder finds the app's words on every page it reads (the
    development outbox's views of a message show that message alone)."""
    ids, clients, content, _demo = walk
    finder = _walk((ids, clients, content, []), "en")
    found = {leak.where for leak in finder.leaks}
    read = {where for where in finder.read if not re.search(r"\.eml/(html|part)", where)}
    assert len(read) > 50 and read <= found, sorted(read - found)


def _forms(app, ids):
    """Every page form (a POST rule of a page in the matrix), sent empty by the first role that
    may open its page."""
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith(("/api/", "/webhooks/")):
            continue
        if rule.rule not in PAGES:
            continue
        allowed, path, status = PAGES[rule.rule]
        if status != 200:
            continue
        role = None if allowed is PUBLIC else next(r for r in ROLES if r in allowed)
        yield role, path.format(**ids)


@pytest.mark.parametrize("language", ["tr", "ar", "sv"])
def test_no_english_after_a_form_is_sent_empty(_app, walk, language):
    """Every form's answer (its errors, or the page it leads to with its notice). Last in this
    module: sending the forms publishes and cancels the world's events."""
    from tests.support.forms import csrf_token

    ids, clients, content, _demo = walk
    finder = Finder(language, content)
    for role, path in _forms(_app, ids):
        client = clients[role]
        token = csrf_token(client, f"{path}?lang={language}")
        resp = client.post(
            f"{path}?lang={language}", data={"csrf_token": token}, follow_redirects=True
        )
        check_response(finder, path, f"{role or 'anonymous'} POST {path} {resp.status_code}", resp)
    leaks = finder.leaks
    assert not leaks, f"{len(leaks)} English text(s):\n" + "\n".join(map(str, leaks))
