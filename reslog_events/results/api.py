"""The results API: the indicators of a period (JSON or XLSX), the targets and the pilot list."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Response, g
from flask_babel import gettext as _

from ..auth.permissions import ADMINS, RESULT_READERS
from ..core.api import Page, api_blueprint, endpoint, get_or_404, not_found, paginate
from ..core.columns import utcnow
from ..core.errors import DomainError
from ..directory.models import Organisation
from ..extensions import db
from ..reports.api import XLSX_TYPE, download
from . import operations, queries
from .exports import to_xlsx
from .models import ResultTarget
from .schemas import (
    PilotIn,
    PilotOut,
    ResultsOut,
    ResultsQuery,
    TargetIn,
    TargetOut,
    TargetPatch,
    TargetQuery,
)

bp = api_blueprint("results_api", __name__)


def period_of(start: date | None, end: date | None) -> tuple[date, date]:
    """The period asked for, or the default one when neither day is given."""
    if start is None and end is None:
        return queries.default_period()
    if start is None or end is None:
        missing = "start" if start is None else "end"
        message = _("Give both the start and the end of the period.")
        raise DomainError(422, "validation_error", message, {missing: message})
    return start, end


def export_filename(start: date, end: date) -> str:
    return f"results-{start.isoformat()}-{end.isoformat()}.xlsx"


@endpoint(
    bp,
    "/results",
    "GET",
    roles=RESULT_READERS,
    query=ResultsQuery,
    response=ResultsOut,
    downloads=(XLSX_TYPE,),
    summary="The programme's indicators for a period against their targets, with the "
    "previous period of equal length (JSON or XLSX)",
)
def results(query: ResultsQuery):
    start, end = period_of(query.start, query.end)
    data = queries.results(start, end, g.api_user)
    if query.format == "xlsx":
        return download(to_xlsx(data, utcnow()), XLSX_TYPE, export_filename(start, end))
    return data


@endpoint(
    bp,
    "/results/targets",
    "GET",
    roles=ADMINS,
    query=TargetQuery,
    response=TargetOut,
    many=True,
    summary="The targets set for the indicators, latest period first",
)
def list_targets(query: TargetQuery) -> Page:
    stmt = sa.select(ResultTarget).order_by(
        ResultTarget.period_start.desc(), ResultTarget.period_end.desc(), ResultTarget.indicator
    )
    if query.indicator is not None:
        stmt = stmt.where(ResultTarget.indicator == query.indicator)
    return paginate(stmt, query)


@endpoint(
    bp,
    "/results/targets",
    "POST",
    roles=ADMINS,
    body=TargetIn,
    response=TargetOut,
    status=201,
    summary="Set a target for one indicator and period (409 if it has one); audited",
    extra_statuses={409: "The indicator has a target for this period already"},
)
def create_target(body: TargetIn) -> ResultTarget:
    row = operations.set_target(
        body.indicator, body.period_start, body.period_end, body.target, by=g.api_user
    )
    db.session.commit()
    return row


def _target(target_id: int) -> ResultTarget:
    return get_or_404(ResultTarget, target_id, "Target")


@endpoint(
    bp,
    "/results/targets/<int:target_id>",
    "PATCH",
    roles=ADMINS,
    body=TargetPatch,
    response=TargetOut,
    summary="Change a target; audited",
    extra_statuses={409: "The indicator has a target for this period already"},
)
def update_target(target_id: int, body: TargetPatch) -> ResultTarget:
    row = _target(target_id)
    operations.update_target(row, body.changes(), by=g.api_user)
    db.session.commit()
    return row


@endpoint(
    bp,
    "/results/targets/<int:target_id>",
    "DELETE",
    roles=ADMINS,
    status=204,
    summary="Delete a target; audited",
)
def delete_target(target_id: int) -> Response:
    operations.delete_target(_target(target_id), by=g.api_user)
    db.session.commit()
    return Response(status=204)


def pilot_out(row) -> PilotOut:
    org = row.organisation
    return PilotOut(
        organisation_id=org.id,
        name=org.name,
        kind=org.kind.value,
        province=org.province,
        added_at=row.added_at,
    )


@endpoint(
    bp,
    "/results/pilot-organisations",
    "GET",
    roles=RESULT_READERS,
    response=PilotOut,
    many=True,
    summary="The pilot list the municipalities indicator counts against",
)
def list_pilot() -> Page:
    items = [pilot_out(row) for row in queries.pilot_list()]
    return Page(items=items, total=len(items))


@endpoint(
    bp,
    "/results/pilot-organisations",
    "POST",
    roles=ADMINS,
    body=PilotIn,
    response=PilotOut,
    status=201,
    summary="Put an organisation on the pilot list (200 if it is on it already); audited",
)
def add_pilot(body: PilotIn):
    org = db.session.get(Organisation, body.organisation_id)
    if org is None:
        message = _("Choose one of the organisations.")
        raise DomainError(422, "validation_error", message, {"organisation_id": message})
    added = operations.add_to_pilot_list(org, by=g.api_user)
    db.session.commit()
    row = next(r for r in queries.pilot_list() if r.organisation_id == org.id)
    return pilot_out(row), 201 if added else 200


@endpoint(
    bp,
    "/results/pilot-organisations/<int:organisation_id>",
    "DELETE",
    roles=ADMINS,
    status=204,
    summary="Take an organisation off the pilot list (404 if not on it); audited",
)
def remove_pilot(organisation_id: int) -> Response:
    org = db.session.get(Organisation, organisation_id)
    if org is None or not operations.remove_from_pilot_list(org, by=g.api_user):
        raise not_found("Pilot organisation")
    db.session.commit()
    return Response(status=204)
