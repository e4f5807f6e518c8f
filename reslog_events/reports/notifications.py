"""Emails of the reports feature: a report run is ready; the monthly summary."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from ..extensions import RTL_LANGUAGES, db
from ..mail.messages import RenderedEmail, renderer
from ..mail.models import OutgoingEmail
from .exports import count_headings, hidden_note
from .groupings import month_label
from .models import ReportRun
from .queries import CONTRACT_COUNTS
from .suppression import any_hidden


def _link(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def _render(name: str, subject: str, **context) -> RenderedEmail:
    context["subject"] = subject
    context["lang"] = language = str(get_locale())
    context["direction"] = "rtl" if language in RTL_LANGUAGES else "ltr"
    return RenderedEmail(
        subject=subject,
        text=render_template(f"reports/email/{name}.txt", **context),
        html=render_template(f"reports/email/{name}.html", **context),
    )


@renderer("report_ready")
def render_report_ready(outgoing: OutgoingEmail) -> RenderedEmail:
    run_id = int(outgoing.payload["run_id"])
    run = db.session.get(ReportRun, run_id)
    with force_locale(outgoing.language):
        totals = (run.result or {}).get("totals", {}) if run else {}
        return _render(
            "report_ready",
            _("Your attendance report is ready"),
            run_url=_link(f"/reports/runs/{run_id}"),
            xlsx_url=_link(f"/reports/runs/{run_id}/xlsx"),
            totals=totals,
            hidden_note=hidden_note() if run and run.result and any_hidden(run.result) else None,
            headings=count_headings(),
            counts=CONTRACT_COUNTS,
        )


@renderer("monthly_summary")
def render_monthly_summary(outgoing: OutgoingEmail) -> RenderedEmail:
    run_id = int(outgoing.payload["run_id"])
    period = outgoing.payload["period"]
    run = db.session.get(ReportRun, run_id)
    with force_locale(outgoing.language):
        month = month_label(period)
        result = (run.result if run else None) or {"rows": [], "totals": {}}
        # a hidden count (small cells, to coordinators) is not among the most
        rows = [row for row in result.get("rows", []) if row["attended"] is not None]
        rows.sort(key=lambda row: -row["attended"])
        return _render(
            "monthly_summary",
            _("Attendance in %(month)s", month=month),
            month=month,
            run_url=_link(f"/reports/runs/{run_id}"),
            xlsx_url=_link(f"/reports/runs/{run_id}/xlsx"),
            dashboard_url=_link("/reports"),
            totals=outgoing.payload.get("totals", {}),
            hidden_note=hidden_note() if result.get("totals") and any_hidden(result) else None,
            top=rows[:10],
            headings=count_headings(),
            counts=CONTRACT_COUNTS,
        )
