"""The programme calendar (month, week and list views with filters) for people who log in, and
the public programme page of published public events, with their feed links."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import get_day_names
from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from ..auth.permissions import EDITORS, EVENT_READERS, roles_required
from ..core import datetimes
from ..core.api import PageQuery
from ..core.columns import utcnow
from ..core.paging import paginate
from ..core.routing import parse_id
from ..core.validation import label_of
from ..core.web import validate_form
from ..events.models import Event, EventKind, EventLevel, EventStatus
from ..extensions import db
from . import calendar, queries
from .feeds import feed_url, webcal
from .schemas import CalendarQuery

bp = Blueprint("calendar", __name__)

LIST_PER_PAGE = 25
PUBLIC_PER_PAGE = 50


def _locale() -> str:
    return str(get_locale() or "en")


def _today() -> date:
    return utcnow().astimezone(ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])).date()


def _query() -> tuple[CalendarQuery, dict[str, str]]:
    args = {k: v for k, v in request.args.items() if k != "lang"}
    if "mine" in args:
        args["mine"] = args["mine"] in ("1", "true", "on")
    query, errors = validate_form(CalendarQuery, args)
    if query is None:
        # A hand-edited link: show the calendar without the bad filters, and say which.
        clean = {k: v for k, v in args.items() if k not in errors}
        query, _errors = validate_form(CalendarQuery, clean)
        query = query or CalendarQuery()
    return query, errors


def _ignored(errors: dict[str, str]) -> list[str]:
    """The filters the page ignores, named as its form labels them; a parameter no form has,
    quoted as it came."""
    return [label_of(CalendarQuery, [name]) or f"“{name}”" for name in errors]


def _weekday_names(locale: str) -> list[str]:
    names = get_day_names("abbreviated", locale=locale)
    first = calendar.first_weekday(locale)
    return [names[(first + i) % 7] for i in range(7)]


@bp.get("/calendar", endpoint="calendar")
@roles_required(*EVENT_READERS)
def calendar_page():
    query, errors = _query()
    locale = _locale()
    today = _today()
    anchor = query.date or today
    stmt = calendar.filtered(calendar.visible_events(current_user), query, current_user)
    context = {
        "query": query,
        "errors": errors,
        "ignored": _ignored(errors),
        "anchor": anchor,
        "today": today,
        "unions": calendar.union_choices(),
        "provinces": calendar.province_choices(),
        "levels": EventLevel.choices(),
        "kinds": EventKind.choices(),
        "can_have_own": current_user.role in EDITORS,
        "public_webcal": webcal(feed_url("feeds.public_feed")),
    }
    if query.view == "month":
        context["weeks"] = calendar.month_grid(anchor, locale, stmt, today)
        context["has_events"] = any(
            day.events for week in context["weeks"] for day in week if day.in_range
        )
        context["weekday_names"] = _weekday_names(locale)
        context["title"] = datetimes.month(anchor, locale)
    elif query.view == "week":
        context["days"] = calendar.week_days(anchor, locale, stmt, today)
        first, last = context["days"][0].day, context["days"][-1].day
        context["title"] = (
            f"{datetimes.day(first, 'medium', locale)} – {datetimes.day(last, 'medium', locale)}"
        )
    else:
        start = calendar.events_between(stmt, anchor, anchor)  # events running on the day
        upcoming = stmt.where(Event.starts_at >= _day_start(anchor)).order_by(
            Event.starts_at, Event.id
        )
        found = paginate(upcoming, PageQuery(page=query.page, per_page=LIST_PER_PAGE))
        page_items, total = list(found.items), found.total
        running = [e for e in start if e not in page_items] if query.page == 1 else []
        context["events"] = running + page_items
        context["total"] = total or 0
        context["per_page"] = LIST_PER_PAGE
        context["title"] = datetimes.day(anchor, "long", locale)
    if query.view != "list":
        context["previous"] = calendar.shifted(anchor, query.view, -1)
        context["next"] = calendar.shifted(anchor, query.view, +1)
    return render_template("programme/calendar.html", **context), (400 if errors else 200)


def _day_start(day: date) -> datetime:
    # Events starting from the day (the earliest zone's midnight: a day's margin is harmless).
    return datetime.combine(day - timedelta(days=1), time.min, tzinfo=UTC)


def _public_statement() -> sa.Select:
    return sa.select(Event).where(
        Event.is_public.is_(True),
        Event.published_at.is_not(None),
        Event.status != EventStatus.draft,
    )


@bp.get("/programme")
def public_programme():
    past = request.args.get("when") == "past"
    page = parse_id(request.args.get("page")) or 1
    page = page if page < 10_000 else 1
    now = utcnow()
    stmt = _public_statement()
    if past:
        stmt = stmt.where(Event.ends_at <= now).order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        stmt = stmt.where(Event.ends_at > now).order_by(Event.starts_at, Event.id)
    found = paginate(stmt, PageQuery(page=page, per_page=PUBLIC_PER_PAGE))
    events, total = list(found.items), found.total
    return render_template(
        "programme/public.html",
        events=events,
        past=past,
        page=page,
        per_page=PUBLIC_PER_PAGE,
        total=total,
        public_webcal=webcal(feed_url("feeds.public_feed")),
        public_url=feed_url("feeds.public_feed"),
    )


@bp.get("/programme/<int:event_id>")
def public_event(event_id: int):
    event = db.session.scalar(_public_statement().where(Event.id == event_id))
    if event is None:
        abort(404)
    return render_template(
        "programme/public_event.html",
        event=event,
        days=queries.agenda_days(event),
    )
