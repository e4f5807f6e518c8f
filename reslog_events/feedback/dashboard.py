"""The reports dashboard's feedback block: the period's events (with the dashboard's filters
and the reader's union scope, `reports.scope.reach`), their respondents and average usefulness,
and the standard questions' results; small cells hidden to coordinators as in the report."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from markupsafe import Markup

from ..core.errors import DomainError
from ..reports.exports import hidden_note
from ..reports.schemas import AttendanceFilters
from ..reports.scope import reach, resolve
from .results import breakdown_labels
from .summaries import period_report


def feedback_block(filters: AttendanceFilters) -> Markup:
    user = current_user._get_current_object()
    try:
        scope = resolve(filters, **reach(user))
    except DomainError as exc:  # the dashboard shows the field's error; count without it
        scope = resolve(filters.model_copy(update=dict.fromkeys(exc.fields)), **reach(user))
    report = period_report(scope, user)
    cells = [c for q in report.questions for cs in q.breakdowns.values() for c in cs]
    hidden = (
        report.suppressed
        or any(e.suppressed for e in report.events)
        or any(c.suppressed for c in cells + [q.overall for q in report.questions])
    )
    args = {k: v for k, v in filters.params().items() if k != "group_by"}
    # rendered by our own template, escaped there
    return Markup(  # noqa: S704
        render_template(
            "feedback/_dashboard.html",
            report=report,
            args=args,
            breakdown_labels=breakdown_labels(),
            hidden_note=hidden_note() if hidden else None,
        )
    )
