"""One chart per indicator: the previous period, this period and the target as bars, with the
reports' server-rendered SVG geometry (`reports.charts.bar_chart`), and the numbers written
the way of the page's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel import Locale
from babel.numbers import format_decimal, format_percent
from flask_babel import get_locale
from flask_babel import gettext as _

from ..reports.charts import PALETTE, BarChart, bar_chart


def format_value(value: float | None, unit: str, signed: bool = False) -> str:
    """`value` in the page's language: a whole number, a share (Turkish "%41,7"), a score."""
    if value is None:
        return "–"
    locale = str(get_locale() or "en")
    if unit == "percent":
        # the language's own pattern (Turkish "%41", Swedish "41 %") with one decimal
        pattern = Locale.parse(locale).percent_formats[None].pattern
        text = format_percent(value / 100, pattern.replace("0", "0.0", 1), locale=locale)
    elif unit == "count":
        text = format_decimal(value, "#,##0", locale=locale)
    else:
        text = format_decimal(value, "#,##0.00", locale=locale)
    return f"+{text}" if signed and value > 0 else text


@dataclass
class IndicatorChart:
    chart: BarChart
    #: each bar's value as the page writes it ("hidden", or "–" for nothing to count)
    texts: list[str]
    colours: list[str]


def indicator_chart(item: dict[str, Any]) -> IndicatorChart:
    """Bars for the previous period, this period and the target (when there is one)."""
    bars = [
        (_("Previous period"), item["previous"], PALETTE[7]),
        (_("This period"), item["value"], PALETTE[0]),
    ]
    if item["target"] is not None:
        bars.append((_("Target"), item["target"], PALETTE[2]))
    hidden = item["suppressed"]
    texts = [
        _("hidden") if value is None and hidden else format_value(value, item["unit"])
        for _label, value, _colour in bars
    ]
    chart = bar_chart([(label, value or 0, None) for label, value, _colour in bars], width=360)
    return IndicatorChart(chart, texts, [colour for _label, _value, colour in bars])
