"""How a series's rule reads on the pages ("Every month on the second Tuesday, 6 events")."""

from __future__ import annotations

from babel.dates import format_date, get_day_names
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

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
    names = get_day_names("wide", locale=get_locale())
    return [(day, names[day]) for day in range(7)]


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
        end = _("until %(day)s", day=format_date(series.until, "long", locale=get_locale()))
    else:
        end = ngettext("%(num)d event", "%(num)d events", series.occurrences or 0)
    return f"{text}, {end}"
