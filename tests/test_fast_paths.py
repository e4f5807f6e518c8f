"""The fast paths of the pages people wait for (bench/pages.py) give what the slow ones gave:
numbers and translations as Babel writes them, the RSVP page from one statement, the answers
page's rows and total, and the dashboard's table page by page with the totals of all rows."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import render_template_string
from flask_babel import force_locale, format_number, refresh

from reslog_events.core.localised import number

LANGS = ("tr", "en", "ar", "sv")


@pytest.mark.parametrize("lang", LANGS)
def test_numbers_read_as_babel_writes_them(app, lang):
    with app.test_request_context(f"/?lang={lang}"):
        for value in (0, 7, 999, 1000, 12345, 1234567, 10**12, -1234, 3.5, None):
            if value is None:
                continue
            assert number(value) == format_number(value), (lang, value)
        assert render_template_string("{{ 1234567|numberformat }}") == format_number(1234567)


#: the loop `_macros.html`'s `select` had
_SELECT_LOOP = (
    '{% for key, text in choices %}\n    <option value="{{ key }}"'
    "{% if value is not none and key|string == value|string %} selected{% endif %}>"
    "{{ text }}</option>\n    {% endfor %}"
)


@pytest.mark.parametrize("value", [None, "2", 2, "<b>", "none"])
def test_option_tags_write_what_the_select_loop_wrote(app, value):
    """`select`'s options from Python (core.web.option_tags) are those its Jinja loop wrote:
    escaped, the value's option selected (a number matches its text), the same spacing."""
    from markupsafe import Markup

    from reslog_events.core.web import option_tags

    plain = [("1", "Şişli"), ("2", "A & B <i>"), ("<b>", '"quoted"'), (3, "three")]
    marked = [*plain, ("4", Markup("<em>kept</em>"))]  # not kept: written each time
    for choices in (plain, plain, marked):
        with app.test_request_context("/"):
            loop = render_template_string(_SELECT_LOOP, choices=choices, value=value)
            written = render_template_string(
                "{{ option_tags(choices, value) }}", choices=choices, value=value
            )
        assert written == loop
    assert "<em>kept</em>" in written
    assert app.jinja_env.globals["option_tags"] is option_tags
    assert written.count(" selected") == (0 if value in (None, "none") else 1)
    assert "A &amp; B &lt;i&gt;" in written and "<b>" not in written


@pytest.mark.parametrize("lang", LANGS)
def test_count_cells_write_numbers_as_the_template_did(app, lang):
    from markupsafe import Markup

    from reslog_events.reports.markup import count_cells

    row = {
        "invited": 1234567,
        "accepted": 0,
        "declined": None,
        "tentative": 2.5,
        "waitlisted": True,
    }
    names = ["invited", "accepted", "declined", "tentative", "absent"]
    with app.test_request_context(f"/?lang={lang}"):
        cells = count_cells(row, names, Markup("<i>–</i>"))
        big, half = format_number(1234567), format_number(2.5)
    assert f'<td class="num" data-value="1234567">{big}</td>' in cells
    assert '<td class="num" data-value="0">0</td>' in cells
    assert '<td class="num" data-value="-1"><i>–</i></td>' in cells
    assert f'<td class="num" data-value="2.5">{half}</td>' in cells
    assert cells.endswith('<td class="num" data-value=""></td>')


def test_template_translations_follow_every_change_of_language(app):
    from flask import g
    from flask_babel import gettext

    page = "{{ _('Attendance reports') }}"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        english = render_template_string(page)
        with force_locale("sv"):
            swedish = render_template_string(page)
            assert swedish == gettext("Attendance reports")
        assert render_template_string(page) == english
        g.default_language = "tr"  # as the RSVP page does once it knows the invitee
        refresh()
        turkish = render_template_string(page)
        assert turkish == gettext("Attendance reports")
        with force_locale("ar"):
            arabic = render_template_string(page)
        assert render_template_string(page) == turkish
    assert english == "Attendance reports"
    assert len({english, swedish, turkish, arabic}) == 4


def _statements(app):
    from reslog_events.extensions import db

    seen: list[str] = []

    def record(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH", "INSERT", "UPDATE", "DELETE")):
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    return seen, lambda: sa.event.remove(engine, "before_cursor_execute", record)


def test_the_rsvp_page_reads_its_data_in_one_statement(
    app, client, create_invitation, create_event, create_contact, create_organisation, create_user
):
    organiser = create_user("organiser", name="Zeynep Kaya", email="zeynep@tbb.example")
    event = create_event(title="Çukurova Forumu", organiser_id=organiser.id)
    contact = create_contact(
        full_name="Ayşe Sarıçam", organisation=create_organisation(name="Reyhanlı Belediyesi")
    )
    token = create_invitation(event=event, contact=contact).rsvp_token
    seen, stop = _statements(app)
    try:
        html = client.get(f"/rsvp/{token}?lang=tr").get_data(as_text=True)
    finally:
        stop()
    assert "Çukurova Forumu" in html and "Ayşe Sarıçam" in html
    assert "Reyhanlı Belediyesi" in html and "zeynep@tbb.example" in html
    assert len(seen) == 1, seen


def test_the_answers_page_lists_a_page_with_organisations_and_the_total(
    app, client, auth, create_invitation, create_event, create_contact, create_organisation
):
    event = create_event(title="Şişli Çalıştayı")
    for n in range(105):
        org = create_organisation(name=f"Belediye {n:03d} Sarıçam")
        create_invitation(
            event=event, contact=create_contact(full_name=f"Kişi {n:03d}", organisation=org)
        )
    auth.login("organiser")
    seen, stop = _statements(app)
    try:
        first = client.get(f"/events/{event.id}/answers").get_data(as_text=True)
    finally:
        stop()
    assert "105 invitees" in first
    assert first.count("Sarıçam</td>") == 100
    assert len(seen) <= 8, len(seen)  # not one per organisation shown
    second = client.get(f"/events/{event.id}/answers?page=2").get_data(as_text=True)
    assert second.count("Sarıçam</td>") == 5 and "Belediye 104 Sarıçam" in second


def test_the_dashboard_table_goes_page_by_page_with_the_totals_of_all(
    app, client, auth, create_invitation, create_event, create_contact, create_organisation
):
    event = create_event(title="Forum")
    for n in range(55):
        org = create_organisation(name=f"Belediye {n:03d} Şişli")
        create_invitation(event=event, contact=create_contact(organisation=org))
    auth.login("organiser")
    rows = re.compile(r'<th scope="row" data-value="\d+"><a href="/reports/organisations/')

    def page(query: str) -> str:
        resp = client.get(f"/reports?group_by=organisation{query}")
        assert resp.status_code == 200
        return resp.get_data(as_text=True)

    seen, stop = _statements(app)
    try:
        first = page("")
    finally:
        stop()
    second, printed = page("&page=2"), page("&print=1")
    # the page's rows, totals and chart rows in one statement; labels of the page's rows only
    labels = [s for s in seen if s.startswith("SELECT organisations.id, organisations.name")]
    assert labels and all(" IN (" in s for s in labels), labels
    # the table, its charts and blocks (the series filter's choices one of them): none per row,
    # no labels of nothing, the chart's names with the page's (15 on SQLite; PostgreSQL's
    # tuning is a SELECT too)
    assert len(seen) <= 16, len(seen)
    assert len(rows.findall(first)) == 50 and "Page 1 of 2" in first
    assert len(rows.findall(second)) == 5 and "Belediye 054 Şişli" in second
    assert len(rows.findall(printed)) == 55 and "Page 1 of 2" not in printed
    total = re.compile(r'Total \(distinct invitations\)</th>\s*<td class="num">55</td>')
    assert total.search(first) and total.search(second) and total.search(printed)


@pytest.mark.parametrize("capacity", [None, 1])
def test_answering_takes_six_statements_with_its_email_and_audit(
    app, client, create_invitation, create_event, create_contact, capacity
):
    """Accepting: the lookup, the event's lock, the invitation reloaded with the seats counted,
    its UPDATE (status, needs and email status at once), the audit entry and the email's row.
    With the one seat taken, the same statements put the invitee on the waiting list (and the
    programme lets go of any sessions chosen: one DELETE)."""
    from reslog_events.audit.models import AuditLog
    from reslog_events.extensions import db
    from reslog_events.invitations.models import EmailStatus, Invitation
    from reslog_events.mail.models import OutgoingEmail
    from tests.support.forms import csrf_token

    event = create_event(title="Çukurova Forumu", capacity=capacity)
    if capacity:
        create_invitation(event=event, status="accepted")
    new = create_invitation(
        event=event, contact=create_contact(full_name="Ayşe Sarıçam"), email_status=EmailStatus.sent
    )
    page = f"/rsvp/{new.rsvp_token}"
    form = {"csrf_token": csrf_token(client, page), "response": "accept", "consent_data": "1"}
    seen, stop = _statements(app)
    try:
        assert client.post(page, data=form).status_code == 303
    finally:
        stop()
    sqlite_lock = db.engine.dialect.name == "sqlite"  # (its write lock: lock_event)
    assert len(seen) == 6 + sqlite_lock + bool(capacity), "\n".join(s[:70] for s in seen)
    db.session.expire_all()
    invitation = db.session.get(Invitation, new.invitation.id)
    wanted = "waitlisted" if capacity else "accepted"
    assert invitation.status.value == wanted and invitation.email_status == EmailStatus.queued
    assert invitation.consent_data_at is not None and invitation.responded_at is not None
    emails = db.session.scalars(
        sa.select(OutgoingEmail.kind).where(OutgoingEmail.invitation_id == invitation.id)
    ).all()
    assert emails == ["waitlisted" if capacity else "confirmation"]
    audit = db.session.scalars(
        sa.select(AuditLog.data).where(
            AuditLog.action == "invitation.answer", AuditLog.object_id == invitation.id
        )
    ).all()
    assert audit == [{"from": "pending", "to": wanted, "response": "accept", "needs_changed": True}]


def test_a_page_served_reads_the_guessing_limit_once_and_writes_nothing(
    app, client, create_invitation, monkeypatch
):
    """rsvp.guessing: misses count, pages served only ask whether the address is blocked."""
    from reslog_events.extensions import limiter

    storage = limiter.limiter.storage
    calls: list[str] = []
    for name in ("get", "incr", "clear", "get_expiry"):
        original = getattr(storage, name)
        monkeypatch.setattr(
            storage, name, lambda *a, _n=name, _o=original, **kw: calls.append(_n) or _o(*a, **kw)
        )
    token = create_invitation().rsvp_token
    assert client.get(f"/rsvp/{token}").status_code == 200
    assert calls == ["get"]
    calls.clear()
    assert client.get(f"/rsvp/{'x' * 27}").status_code == 404
    assert "incr" in calls  # the miss counted
    assert "X-RateLimit-Remaining" not in client.get(f"/rsvp/{token}").headers
