"""The dashboard's table a page at a time from the database (`reports/paging.py`): the pages,
laid end to end, are the whole table of `queries.table` — the same rows in the same order with
the same counts — and every page carries the totals and the number of rows of the whole table,
for every grouping the database can page and every kind of scope (the rollups' whole months,
the facts' day ranges, an event, a type, a union, a country, a union-scoped reader)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from .conftest import IST

#: in the Turkish alphabet: Cide, Çukurova, Ilgaz, İzmir, Ordu, Ödemiş, Sarıçam, Şişli, Uşak,
#: Ünye, Zile (and "Sarıçamlı" after "Sarıçam")
TURKISH_NAMES = [
    "Zile",
    "Şişli",
    "Sarıçam",
    "İzmir",
    "Ilgaz",
    "Çukurova",
    "Cide",
    "Ödemiş",
    "Ordu",
    "Ünye",
    "Uşak",
    "Sarıçamlı",
]


@pytest.fixture
def crowd(world, create_organisation, create_contact, create_invitation):
    """The edge-case world and twelve municipalities with Turkish names at its first event
    (E1, 2024-03-05), each with a few invitations and 0–2 attended: ties in the
    municipalities chart, one organisation not yet confirmed, and invitations without an
    organisation."""
    from reslog_events.checkin.models import CheckIn
    from reslog_events.extensions import db

    event = world.events["E1"]
    orgs = []
    for n, name in enumerate(TURKISH_NAMES):
        org = create_organisation(name=f"{name} İlçe", confirmed=n != 3)
        orgs.append(org)
        for person in range(n % 4 + 1):
            contact = create_contact(organisation=org)
            status = "accepted" if person % 2 == 0 else "declined"
            invitation = create_invitation(event=event, contact=contact, status=status).invitation
            if person < n % 3:
                day = date(2024, 3, 5)
                db.session.add(
                    CheckIn(
                        event_id=event.id,
                        invitation_id=invitation.id,
                        day=day,
                        checked_in_at=datetime(2024, 3, 5, 9, 30, tzinfo=IST),
                    )
                )
    for _n in range(2):
        create_invitation(event=event, contact=create_contact(organisation=None))
    db.session.commit()
    return orgs


SCOPES = [
    {},
    {"from": "2024-03-01", "to": "2024-04-30"},
    {"from": "2024-03-05", "to": "2024-04-01"},
    {"kind": "forum"},
    {"union": "TBB"},
    {"country": "TR"},
]


def _compare(group_by, params, per_page, **extra):
    from reslog_events.reports import paging, queries
    from reslog_events.reports.schemas import AttendanceFilters

    filters = AttendanceFilters.model_validate({"group_by": group_by, **params})
    scope = queries.resolve(filters, **extra)
    now = queries.utcnow()
    whole = queries.table(filters.group_by, scope, now)
    pages, page = [], 1
    while True:
        found = paging.table_page(filters.group_by, scope, page, per_page, now)
        assert found.totals == whole["totals"], (group_by, params, page)
        assert found.count == len(whole["rows"])
        if not found.rows:
            break
        assert len(found.rows) <= per_page
        pages.extend(found.rows)
        page += 1
    assert page == -(-len(whole["rows"]) // per_page) + 1  # the page after the last is empty
    assert pages == whole["rows"], (group_by, params)
    return whole, found


@pytest.mark.parametrize("params", SCOPES, ids=lambda p: "&".join(p) or "all")
@pytest.mark.parametrize("group_by", ["organisation", "event"])
def test_the_pages_laid_end_to_end_are_the_whole_table(app, crowd, group_by, params):
    with app.test_request_context("/?lang=tr"):
        for per_page in (1, 3, 5):
            whole, _found = _compare(group_by, params, per_page)
            assert whole["rows"] or params.get("country")


def test_a_union_scoped_reader_pages_their_union_s_events_only(app, crowd, world):
    from reslog_events.extensions import db

    for name in ("E1", "E2"):  # hosted by Şişli, a member of TBB
        world.events[name].host_organisation_id = world.orgs["O1"].id
    db.session.commit()
    with app.test_request_context("/?lang=en"):
        whole, _found = _compare("event", {}, 1, host_union_id=world.orgs["TBB"].id)
        _compare("organisation", {}, 2, host_union_id=world.orgs["TBB"].id)
    assert 0 < len(whole["rows"]) < len(world.events)


def test_names_are_in_turkish_alphabetical_order_across_pages(app, crowd, world):
    from reslog_events.reports import paging, queries
    from reslog_events.reports.schemas import GroupBy

    order = [
        "Cide",
        "Çukurova",
        "Ilgaz",
        "İzmir",
        "Ordu",
        "Ödemiş",
        "Sarıçam",
        "Sarıçamlı",
        "Şişli",
        "Uşak",
        "Ünye",
        "Zile",
    ]
    with app.test_request_context("/?lang=tr"):
        scope = queries.resolve(queries.AttendanceFilters(kind="forum"))
        rows = []
        for page in range(1, 10):
            rows += paging.table_page(GroupBy.organisation, scope, page, 4).rows
    labels = [row["label"] for row in rows]
    ours = [label for label in labels if label.split()[1] == "İlçe"]
    assert [label.split()[0] for label in ours] == order
    assert ours[3] == "İzmir İlçe (onaylanmadı)"  # not confirmed
    assert len({row["key"] for row in rows}) == len(rows)
    assert rows[-1]["key"] is None  # no organisation: after every name


def test_the_municipalities_chart_is_the_top_of_the_whole_table(app, crowd):
    from reslog_events.reports import paging, queries
    from reslog_events.reports.schemas import GroupBy
    from reslog_events.reports.views import _municipalities_of

    def top(rows):
        shown = sorted(
            (r for r in rows if r["attended"]), key=lambda r: (-r["attended"], r["label"])
        )
        return [(r["key"], r["label"], r["attended"]) for r in shown[:15]]

    with app.test_request_context("/?lang=tr"):
        scope = queries.resolve(queries.AttendanceFilters())
        now = queries.utcnow()
        expected = _municipalities_of(queries.table(GroupBy.organisation, scope, now))["rows"]
        found = paging.table_page(GroupBy.organisation, scope, 2, 3, now).municipalities
    assert len([r for r in expected if r["attended"]]) > 15 or len(found) < 15
    assert top(found) == top(expected)
    assert len(top(found)) == min(15, len([r for r in expected if r["attended"]]))


def test_an_organiser_s_pages_and_a_coordinator_s_show_the_same_rows(
    client, auth, crowd, monkeypatch
):
    """The organiser's page comes from the database, the coordinator's is cut from the whole
    (suppressed) table: with nothing to hide they are the same page."""
    import re

    from reslog_events.reports import views

    monkeypatch.setattr(views, "TABLE_PER_PAGE", 5)

    cells = re.compile(r'<th scope="row" data-value="\d+">(?:<a [^>]*>)?([^<]*)')

    def rows(role, query):
        auth.login(role)
        body = client.get(f"/reports?group_by=organisation{query}").get_data(as_text=True)
        total = re.search(r"Total \(distinct invitations\).*?</tr>", body, re.S)
        return cells.findall(body), total, re.search(r"Page \d+ of \d+", body).group(0)

    for query in ("", "&page=2", "&page=4", "&from=2024-03-05&to=2024-03-05&page=3"):
        organiser, organiser_total, organiser_pages = rows("organiser", query)
        coordinator, coordinator_total, coordinator_pages = rows("coordinator", query)
        assert organiser == coordinator and organiser, query
        assert organiser_total.group(0) == coordinator_total.group(0)
        assert organiser_pages == coordinator_pages


@pytest.mark.parametrize("params", [{}, {"from": "2024-03-05", "to": "2024-04-01"}])
def test_a_page_counts_no_shows_at_the_time_asked(app, crowd, params):
    """The page's statements are built once per scope and page; the time is bound each time
    (no-shows are accepted invitations of events that have ended by then)."""
    from reslog_events.reports import paging, queries
    from reslog_events.reports.schemas import AttendanceFilters, GroupBy

    with app.test_request_context("/?lang=tr"):
        scope = queries.resolve(AttendanceFilters.model_validate(params))
        seen = []
        for now in (datetime(2024, 3, 5, 12, 0, tzinfo=IST), queries.utcnow()) * 2:
            whole = queries.table(GroupBy.organisation, scope, now)
            found = paging.table_page(GroupBy.organisation, scope, 1, 4, now)
            assert found.totals == whole["totals"] and found.rows == whole["rows"][:4]
            seen.append(found.totals["no_shows"])
    assert seen[0] == seen[2] == 0 and seen[1] == seen[3] > 0
