"""How a series's rule reads on the pages ("Every month on the second Tuesday, 6 events")."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..core.datetimes import day
from ..core.datetimes import weekday_names as day_names
from .models import EventSeries, Frequency

ORDINALS = {
    1: _l("first"),
    2: _l("second"),
    3: _l("third"),
    4: _l("fourth"),
    -1: _l("last"),
}


def weekday_names() -> list[tuple[int, str]]:
    """(0 Monday … 6 Sunday, its name in the page's language), for the forms."""
    return list(enumerate(day_names()))


def week_choices() -> list[tuple[int, str]]:
    return [(week, str(label)) for week, label in ORDINALS.items()]


def describe_rule(series: EventSeries) -> str:
    if series.frequency == Frequency.weekly:
        text = ngettext("Every week", "Every %(num)d weeks", series.interval)
    else:
        text = ngettext(
            "Every month on the %(ordinal)s %(weekday)s",
            "Every %(num)d months on the %(ordinal)s %(weekday)s",
            series.interval,
            ordinal=ORDINALS.get(series.week_of_month or 1, ""),
            weekday=dict(weekday_names()).get(series.weekday or 0, ""),
        )
    if series.until is not None:
        end = _("until %(day)s", day=day(series.until, "long"))
    else:
        end = ngettext("%(num)d event", "%(num)d events", series.occurrences or 0)
    return f"{text}, {end}"
