"""The writes of the results: targets and the pilot list. Each takes the acting administrator
(`by`: None for the command line and the demo), checks the input, flushes and audits."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from ..audit.operations import record
from ..auth.models import User
from ..core.errors import DomainError
from ..directory.models import Organisation
from ..extensions import db
from .indicators import INDICATORS, TARGET_RANGES, Unit
from .models import PilotOrganisation, ResultTarget
from .schemas import check_period


class ResultsError(DomainError):
    """A target or pilot-list change refused; `fields` name the form's fields."""

    def __init__(self, field: str, message: str, status: int = 422) -> None:
        super().__init__(status, "validation_error", message, {field: message})


def _audit(action: str, obj: Any, data: dict[str, Any], by: User | None) -> None:
    if by is None:
        record(action, obj, data, actor="cli")
    else:
        record(action, obj, data, actor="user", user_id=by.id)


def _checked(indicator: str, start: date, end: date, target: float) -> None:
    if indicator not in INDICATORS:
        raise ResultsError("indicator", _("Choose one of the indicators."))
    try:
        check_period(start, end)
    except ValueError as exc:
        raise ResultsError("period_end", str(exc)) from None
    unit = INDICATORS[indicator].unit
    low, high = TARGET_RANGES[unit]
    if not low <= target <= high:
        raise ResultsError(
            "target", _("Enter a target from %(low)s to %(high)s.", low=low, high=high)
        )
    if unit == Unit.count and target != int(target):
        raise ResultsError("target", _("Enter a whole number."))


def _check_unique(indicator: str, start: date, end: date, ident: int | None = None) -> None:
    stmt = sa.select(ResultTarget.id).where(
        ResultTarget.indicator == indicator,
        ResultTarget.period_start == start,
        ResultTarget.period_end == end,
    )
    if ident is not None:
        stmt = stmt.where(ResultTarget.id != ident)
    if db.session.scalar(stmt) is not None:
        raise ResultsError(
            "indicator", _("This indicator has a target for this period already."), 409
        )


def _data(target: ResultTarget) -> dict[str, Any]:
    return {
        "indicator": target.indicator,
        "period_start": target.period_start.isoformat(),
        "period_end": target.period_end.isoformat(),
        "target": target.target,
    }


def set_target(
    indicator: str, period_start: date, period_end: date, target: float, *, by: User | None
) -> ResultTarget:
    """A new target for one indicator and period."""
    _checked(indicator, period_start, period_end, target)
    _check_unique(indicator, period_start, period_end)
    row = ResultTarget(
        indicator=indicator,
        period_start=period_start,
        period_end=period_end,
        target=target,
        set_by_id=by.id if by is not None else None,
    )
    db.session.add(row)
    db.session.flush()
    _audit("result_target.create", row, _data(row), by)
    return row


def update_target(row: ResultTarget, changes: dict[str, Any], *, by: User | None) -> bool:
    """Change a target's indicator, period or value; False if nothing changed."""
    before = _data(row)
    merged = {
        "indicator": row.indicator,
        "period_start": row.period_start,
        "period_end": row.period_end,
        "target": row.target,
    }
    merged.update({k: v for k, v in changes.items() if v is not None})
    _checked(merged["indicator"], merged["period_start"], merged["period_end"], merged["target"])
    _check_unique(merged["indicator"], merged["period_start"], merged["period_end"], row.id)
    for name, value in merged.items():
        setattr(row, name, value)
    if _data(row) == before:
        return False
    row.set_by_id = by.id if by is not None else None
    db.session.flush()
    _audit("result_target.update", row, {"before": before, "after": _data(row)}, by)
    return True


def delete_target(row: ResultTarget, *, by: User | None) -> None:
    _audit("result_target.delete", row, _data(row), by)
    db.session.delete(row)
    db.session.flush()


def add_to_pilot_list(organisation: Organisation, *, by: User | None) -> bool:
    """Put an organisation on the pilot list; False if it is on it already."""
    if db.session.get(PilotOrganisation, organisation.id) is not None:
        return False
    row = PilotOrganisation(
        organisation_id=organisation.id, added_by_id=by.id if by is not None else None
    )
    db.session.add(row)
    db.session.flush()
    _audit("pilot_list.add", organisation, {"name": organisation.name}, by)
    return True


def remove_from_pilot_list(organisation: Organisation, *, by: User | None) -> bool:
    row = db.session.get(PilotOrganisation, organisation.id)
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    _audit("pilot_list.remove", organisation, {"name": organisation.name}, by)
    return True
