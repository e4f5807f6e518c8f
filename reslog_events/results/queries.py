"""The results of a period as a reader may see them: each indicator's value, its target, the
progress toward it and the change since the previous period of equal length."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ..core.columns import utcnow
from ..extensions import db
from ..reports.groupings import REPORT_OFFSET
from ..reports.scope import reach
from ..reports.suppression import hides_small_cells, is_small
from .indicators import INDICATORS, Indicator, Measure, Period, Unit
from .models import PilotOrganisation, ResultTarget


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of equal length that ends the day before `start`."""
    length = end - start + timedelta(days=1)
    return start - length, start - timedelta(days=1)


def today() -> date:
    """Today in Türkiye time (the reports' dates)."""
    return (utcnow() + REPORT_OFFSET).date()


def default_period() -> tuple[date, date]:
    """The latest target period that has begun, or else this calendar year."""
    day = today()
    found = db.session.execute(
        sa.select(ResultTarget.period_start, ResultTarget.period_end)
        .where(ResultTarget.period_start <= day)
        .order_by(ResultTarget.period_start.desc(), ResultTarget.period_end.desc())
        .limit(1)
    ).first()
    if found is not None:
        return found[0], found[1]
    return date(day.year, 1, 1), date(day.year, 12, 31)


def target_periods() -> list[tuple[date, date]]:
    """The periods that have targets, latest first (the page offers them)."""
    stmt = (
        sa.select(ResultTarget.period_start, ResultTarget.period_end)
        .distinct()
        .order_by(ResultTarget.period_start.desc(), ResultTarget.period_end.desc())
        .limit(20)
    )
    return [(row[0], row[1]) for row in db.session.execute(stmt)]


def targets_for(start: date, end: date) -> dict[str, float]:
    rows = db.session.execute(
        sa.select(ResultTarget.indicator, ResultTarget.target).where(
            ResultTarget.period_start == start, ResultTarget.period_end == end
        )
    )
    return {key: value for key, value in rows}


def pilot_list() -> list[PilotOrganisation]:
    from ..directory.models import Organisation

    return list(
        db.session.scalars(
            sa.select(PilotOrganisation)
            .join(Organisation, Organisation.id == PilotOrganisation.organisation_id)
            .order_by(Organisation.sort_key)
        )
    )


def _rounded(value: float | None, unit: Unit) -> float | int | None:
    if value is None:
        return None
    if unit == Unit.count:
        return int(value)
    return round(value, 1 if unit == Unit.percent else 2)


def _hidden(indicator: Indicator, measure: Measure, min_cell: int | None) -> bool:
    return (
        min_cell is not None
        and indicator.of_people
        and any(is_small(n, min_cell) for n in measure.people)
    )


def _item(
    indicator: Indicator,
    now: Measure,
    before: Measure,
    target: float | None,
    min_cell: int | None,
) -> dict[str, Any]:
    hidden = _hidden(indicator, now, min_cell)
    value = None if hidden else _rounded(now.value, indicator.unit)
    hidden_before = _hidden(indicator, before, min_cell)
    previous = None if hidden_before else _rounded(before.value, indicator.unit)
    delta = None
    if value is not None and previous is not None:
        delta = _rounded(now.value - before.value, indicator.unit)
    progress = None
    if value is not None and target:
        progress = round(100 * now.value / target, 1)
    return {
        "key": indicator.key,
        "title": str(indicator.title),
        "unit": indicator.unit.value,
        "value": value,
        "numerator": None if hidden else now.numerator,
        "denominator": None if hidden else now.denominator,
        "previous": previous,
        "delta": delta,
        "target": _rounded(target, indicator.unit),
        "progress": progress,
        "suppressed": hidden or hidden_before,
        "empty": str(now.empty) if now.empty is not None and value is None else None,
        "method": str(indicator.method),
    }


def results(start: date, end: date, user: Any) -> dict[str, Any]:
    """`{"period", "previous_period", "indicators": [...]}` for `user` (their reach; small
    cells hidden to coordinators)."""
    where = reach(user)
    first, last = previous_period(start, end)
    now, before = Period(start, end, where), Period(first, last, where)
    targets = targets_for(start, end)
    min_cell = int(current_app.config["REPORT_MIN_CELL"]) if hides_small_cells(user) else None
    items = [
        _item(
            indicator,
            indicator.compute(now),
            indicator.compute(before),
            targets.get(key),
            min_cell,
        )
        for key, indicator in INDICATORS.items()
    ]
    return {
        "period": {"start": start, "end": end},
        "previous_period": {"start": first, "end": last},
        "indicators": items,
    }
