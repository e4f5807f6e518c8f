"""Charts as server-rendered SVG geometry: no JavaScript, no CDN, prints as it shows.

Each function returns plain numbers that `templates/reports/_charts.html` draws with `class`
and `fill` attributes only (the CSP forbids `style`). Every chart also gets its values as a
table for screen readers and for people who would rather read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

#: colour-blind-safe palette (Okabe & Ito)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")


@dataclass
class Bar:
    label: str
    value: int
    y: float
    width: float
    href: str | None = None


@dataclass
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    #: height of the label line above each bar
    label_height: int
    bar_height: int
    max_value: int


def bar_chart(items: list[tuple[str, int, str | None]], width: int = 420) -> BarChart:
    """Horizontal bars, one per (label, value, link), in the order given; each label sits
    above its bar so that long municipality names keep the whole width."""
    label_height, bar_height, gap = 16, 16, 8
    step = label_height + bar_height + gap
    plot = width - 48
    top = max([value for _label, value, _href in items] + [1])
    bars = [
        Bar(
            label=label,
            value=value,
            y=i * step,
            width=round(plot * value / top, 1),
            href=href,
        )
        for i, (label, value, href) in enumerate(items)
    ]
    height = max(len(bars) * step - gap, bar_height)
    return BarChart(bars, width, height, label_height, bar_height, top)


@dataclass
class BarMarks:
    #: the values for the text alternative: "label value; label value; …"
    desc: Markup
    #: each bar: its label, its rectangle and its value, a link around them if it has one
    bars: Markup


def bar_marks(chart: BarChart) -> BarMarks:
    """What `_charts.html` writes per bar, written here in one pass, escaped as the template
    would (a Jinja step with three filters per bar was most of the bar chart's time:
    bench/pages.py, the dashboard)."""
    from flask import current_app
    from jinja2.filters import do_truncate

    from ..core.localised import number_writer

    number = number_writer()
    desc, bars = [], []
    label_y, bar_y = chart.label_height - 4, chart.label_height
    value_y = chart.label_height + chart.bar_height - 3
    for bar in chart.bars:
        label, value = escape(bar.label), escape(number(bar.value))
        desc.append(f"{label} {value}")
        opened = closed = ""
        if bar.href:
            opened, closed = f'<a href="{escape(bar.href)}" aria-label="{label}: {value}">', "</a>"
        short = escape(do_truncate(current_app.jinja_env, bar.label, 60, True, "…"))
        bars.append(
            f'\n    <g transform="translate(0 {bar.y})">\n      {opened}'
            f'\n      <text class="chart-label" x="0" y="{label_y}">{short}</text>'
            f'\n      <rect class="chart-bar" x="0" y="{bar_y}" width="{max(bar.width, 1)}"'
            f' height="{chart.bar_height}" fill="#0072B2"></rect>'
            f'\n      <text class="chart-value" x="{bar.width + 6}" y="{value_y}">{value}</text>'
            f"\n      {closed}\n    </g>\n    "
        )
    return BarMarks(Markup("; ".join(desc)), Markup("".join(bars)))  # noqa: S704


@dataclass
class Point:
    label: str
    #: None: hidden (small cells), no dot and a gap in the line
    value: int | None
    x: float
    y: float


@dataclass
class LineChart:
    points: list[Point]
    path: str
    width: int
    height: int
    #: the plot's left and right edges (the grid lines run between them)
    left: int
    right: int
    bottom: int
    ticks: list[tuple[float, int]] = field(default_factory=list)
    #: every n-th month is labelled on the x axis
    label_every: int = 1
    #: where the y axis's values stand, and their anchor: left of the plot, or right in RTL
    tick_x: int = 0
    tick_anchor: str = "end"


@dataclass
class LineMarks:
    #: the values for the text alternative: "label value; label value; …"
    desc: Markup
    #: each point's dot (with its value as a title) and every `label_every`-th month's label
    dots: Markup


def line_marks(chart: LineChart) -> LineMarks:
    """What `_charts.html` writes per point of a line chart, written here in one pass, escaped
    as the template would (the dashboard draws three lines of every month of the period;
    point by point in Jinja it was a tenth of the page: bench/pages.py, the dashboard)."""
    from flask import current_app
    from flask_babel import gettext
    from jinja2.filters import do_truncate

    from ..core.localised import number_writer

    number = number_writer()
    hidden = escape(gettext("hidden"))
    desc, dots = [], []
    label_y = chart.bottom + 18
    for i, p in enumerate(chart.points):
        label = escape(p.label)
        value = hidden if p.value is None else number(p.value)
        desc.append(f"{label} {value}")
        if p.value is not None:
            dots.append(
                f'<circle class="chart-dot" cx="{p.x}" cy="{p.y}" r="3.5" fill="#0072B2">'
                f"<title>{label}: {value}</title></circle>"
            )
        if i % chart.label_every == 0:
            short = escape(do_truncate(current_app.jinja_env, p.label, 16, True, "…"))
            dots.append(
                f'<text class="chart-tick" x="{p.x}" y="{label_y}" text-anchor="middle">'
                f"{short}</text>"
            )
    return LineMarks(Markup("; ".join(desc)), Markup("\n    ".join(dots)))  # noqa: S704


def _nice_step(value: int, parts: int = 4) -> int:
    """A round whole step such that `parts` steps reach at least `value` (1, 2, 5, 10, 20,
    25, 50, …)."""
    needed = max(value / parts, 1)
    magnitude = 1
    while True:
        for factor in (1, 2, 2.5, 5):
            step = factor * magnitude
            if step == int(step) and step >= needed:
                return int(step)
        magnitude *= 10


def line_chart(
    items: list[tuple[str, int | None]], width: int = 420, height: int = 220, rtl: bool = False
) -> LineChart:
    """A line over months (labels in order); y from zero to a round ceiling.

    Right to left (Arabic), the chart is mirrored as the reader reads: the first month at
    the right, time running leftwards, the y axis with its values on the right.
    """
    axis, margin, top, bottom = 44, 16, 12, 36
    left, right = (margin, width - axis) if rtl else (axis, width - margin)
    plot_w, plot_h = right - left, height - top - bottom
    ceiling = 4 * _nice_step(max([value or 0 for _label, value in items] + [0]))
    n = len(items)
    points = []
    for i, (label, value) in enumerate(items):
        offset = plot_w * i / (n - 1) if n > 1 else plot_w / 2
        x = right - offset if rtl else left + offset
        y = top + plot_h - plot_h * (value or 0) / ceiling
        points.append(Point(label, value, round(x, 1), round(y, 1)))
    steps, gap = [], True
    for p in points:
        if p.value is None:
            gap = True
            continue
        steps.append(f"{'M' if gap else 'L'}{p.x},{p.y}")
        gap = False
    path = " ".join(steps)
    ticks = [(round(top + plot_h - plot_h * k / 4, 1), int(ceiling * k / 4)) for k in range(5)]
    return LineChart(
        points,
        path,
        width,
        height,
        left,
        right,
        height - bottom,
        ticks,
        label_every=max(1, -(-n // 5)),
        tick_x=right + 6 if rtl else left - 6,
        tick_anchor="start" if rtl else "end",
    )


@dataclass
class Segment:
    label: str
    value: int | None
    share: float
    x: float
    width: float
    colour: str


@dataclass
class SplitChart:
    segments: list[Segment]
    width: int
    total: int


def split_chart(items: list[tuple[str, int | None]], width: int = 640) -> SplitChart:
    """One 100 % bar split into shares, with a legend (gender, role). A hidden value (None,
    small cells) has no segment; the shares are of the values shown."""
    total = sum(value or 0 for _label, value in items)
    segments, x = [], 0.0
    for i, (label, value) in enumerate(items):
        share = (value or 0) / total if total else 0.0
        w = round(width * share, 1)
        segments.append(Segment(label, value, share, round(x, 1), w, PALETTE[i % len(PALETTE)]))
        x += w
    return SplitChart(segments, width, total)
