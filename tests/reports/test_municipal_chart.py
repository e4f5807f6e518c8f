"""The dashboard's municipalities chart takes its rows from the per-organisation table
(bench/pages.py): the same counts its own query over the facts gives."""

from __future__ import annotations


def test_the_municipalities_chart_counts_as_its_own_query_would(app, world):
    from reslog_events.directory.models import OrganisationKind
    from reslog_events.reports import queries
    from reslog_events.reports.schemas import AttendanceFilters, GroupBy
    from reslog_events.reports.scope import COUNTS
    from reslog_events.reports.views import _municipalities_of

    with app.test_request_context("/?lang=tr"):
        now = queries.utcnow()
        scope = queries.resolve(AttendanceFilters())
        municipal = queries.Scope(
            **{**scope.__dict__, "organisation_kind": OrganisationKind.municipality}
        )
        own = queries.table(GroupBy.organisation, municipal, now, people=False)
        derived = _municipalities_of(queries.table(GroupBy.organisation, scope, now))
    assert own["rows"], "the world has municipalities with invitations"
    assert [r["key"] for r in derived["rows"]] == [r["key"] for r in own["rows"]]
    for mine, theirs in zip(derived["rows"], own["rows"], strict=True):
        assert {k: mine[k] for k in (*COUNTS, "label")} == {
            k: theirs[k] for k in (*COUNTS, "label")
        }
    assert {k: derived["totals"][k] for k in COUNTS} == {k: own["totals"][k] for k in COUNTS}
