"""Clash warnings for an event's dates: other events on the same days inviting people from the
same municipalities, the same union's events at overlapping times, and Turkish public holidays
(from the maintained `holidays` library). Warnings only: nothing here blocks a change.

    for clash in find_clashes(event):
        print(clash.kind, clash.message)
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays
import sqlalchemy as sa
from flask import has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _

from ..core import datetimes
from ..core.api import ApiError
from ..directory.models import Organisation, OrganisationKind
from ..events.models import Event, EventStatus
from ..events.visibility import acting_user, hidden_from
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from .operations import ProgrammeError, resolve_times
from .queries import event_days
from .schemas import ClashQuery

SHARED_MUNICIPALITIES = "shared_municipalities"
SAME_UNION = "same_union"
PUBLIC_HOLIDAY = "public_holiday"
#: the holidays library's languages for Turkey; others read the English names
_HOLIDAY_LANGUAGES = {"tr": "tr", "en": "en_US"}
_NAMES_SHOWN = 3


@dataclass
class Clash:
    kind: str
    message: str
    day: date | None = None
    other_event: Event | None = None

    @property
    def other_event_id(self) -> int | None:
        return self.other_event.id if self.other_event else None

    @property
    def other_event_title(self) -> str | None:
        return self.other_event.title if self.other_event else None


def _locale() -> str:
    return str(get_locale() or "en")


@functools.lru_cache(maxsize=32)
def turkish_holidays(years: tuple[int, ...], language: str) -> dict[date, str]:
    """Public holidays in Turkey (whole days and the half-day eves) for `years`, named in
    `language` (tr or en_US)."""
    found = holidays.country_holidays(
        "TR", years=years, categories=("public", "half_day"), language=language
    )
    return dict(found.items())


def holiday_clashes(days: list[date]) -> list[Clash]:
    locale = _locale()
    names = turkish_holidays(
        tuple(sorted({d.year for d in days})), _HOLIDAY_LANGUAGES.get(locale, "en_US")
    )
    clashes = []
    for day in days:
        if day in names:
            message = _(
                "%(day)s is a public holiday in Turkey: %(name)s.",
                day=datetimes.day(day, "full", locale),
                name=names[day],
            )
            clashes.append(Clash(PUBLIC_HOLIDAY, message, day=day))
    return clashes


def _municipalities_invited(event_ids: list[int]) -> dict[int, set[int]]:
    rows = db.session.execute(
        sa.select(Invitation.event_id, Invitation.organisation_id)
        .join(Organisation, Organisation.id == Invitation.organisation_id)
        .where(
            Invitation.event_id.in_(event_ids),
            Invitation.status != InvitationStatus.revoked,
            Organisation.kind == OrganisationKind.municipality,
        )
        .distinct()
    )
    found: dict[int, set[int]] = defaultdict(set)
    for event_id, organisation_id in rows:
        found[event_id].add(organisation_id)
    return found


def unions_of(event: Event) -> set[int]:
    """The unions behind an event: its host if the host is a union, else the host's unions."""
    host = event.host_organisation
    if host is None:
        return set()
    if host.kind == OrganisationKind.union:
        return {host.id}
    return {union.id for union in host.unions}


def _names(organisation_ids: set[int]) -> str:
    names = sorted(
        db.session.scalars(
            sa.select(Organisation.name).where(Organisation.id.in_(organisation_ids))
        )
    )
    shown = ", ".join(names[:_NAMES_SHOWN])
    if len(names) > _NAMES_SHOWN:
        shown = _("%(names)s and %(count)d more", names=shown, count=len(names) - _NAMES_SHOWN)
    return shown


def asked_times(event: Event, query: ClashQuery) -> tuple[datetime | None, datetime | None]:
    """The other times the API's clash check is asked about (both or neither) as UTC instants,
    naive ones read in the event's zone: (None, None) for the event's own times. A missing,
    unreadable or reversed time is a 422 naming its field."""
    if (query.starts_at is None) != (query.ends_at is None):
        missing = "ends_at" if query.ends_at is None else "starts_at"
        raise ApiError(
            422, "validation_error", _("The query is not valid."), {missing: _("Give both times.")}
        )
    starts = ends = None
    if query.starts_at is not None:
        try:
            asked = {"starts_at": query.starts_at, "ends_at": query.ends_at}
            times = resolve_times(event, asked, ("starts_at", "ends_at"))
        except ProgrammeError as exc:
            message = _("The query is not valid.")
            raise ApiError(422, "validation_error", message, exc.fields) from None
        starts, ends = times["starts_at"], times["ends_at"]
        if ends <= starts:
            raise ApiError(
                422,
                "validation_error",
                _("The query is not valid."),
                {"ends_at": _("The end must be after the start.")},
            )
    return starts, ends


def find_clashes(
    event: Event, starts_at: datetime | None = None, ends_at: datetime | None = None
) -> list[Clash]:
    """Clashes of `event` at its own times, or at `starts_at`–`ends_at` (UTC) if it moved."""
    starts = starts_at or event.starts_at
    ends = ends_at or event.ends_at
    days = event_days(event, starts, ends)
    locale = _locale()
    candidates = list(
        db.session.scalars(
            sa.select(Event)
            .where(
                Event.status != EventStatus.cancelled,
                Event.starts_at < ends + timedelta(days=1),
                Event.ends_at > starts - timedelta(days=1),
            )
            .order_by(Event.starts_at, Event.id)
        )
    )
    candidates = [c for c in candidates if c.id != event.id]
    same_days = [c for c in candidates if set(event_days(c)) & set(days)]
    clashes: list[Clash] = []
    # A clash with an event the viewer may not see (another union's) is still worth knowing
    # about, but without its title or id.
    viewer = acting_user() if has_request_context() else None
    hidden = hidden_from(viewer, [c.id for c in candidates]) if viewer is not None else set()

    if same_days and event.id is not None:
        invited = _municipalities_invited([event.id] + [c.id for c in same_days])
        mine = invited.get(event.id, set())
        for other in same_days:
            shared = mine & invited.get(other.id, set())
            if shared:
                day = datetimes.day(other.local_starts_at, "medium", locale)
                if other.id in hidden:
                    message = _(
                        "Another union's event on %(day)s also invites people from %(names)s.",
                        day=day,
                        names=_names(shared),
                    )
                    clashes.append(Clash(SHARED_MUNICIPALITIES, message))
                    continue
                message = _(
                    "“%(title)s” on %(day)s also invites people from %(names)s.",
                    title=other.title,
                    day=day,
                    names=_names(shared),
                )
                clashes.append(Clash(SHARED_MUNICIPALITIES, message, other_event=other))

    my_unions = unions_of(event)
    if my_unions:
        for other in candidates:
            if other.starts_at < ends and other.ends_at > starts and my_unions & unions_of(other):
                start = datetimes.moment(other.starts_at, event.zone, "medium", locale)
                if other.id in hidden:
                    message = _(
                        "Another event of the same union is at an overlapping time (%(start)s).",
                        start=start,
                    )
                    clashes.append(Clash(SAME_UNION, message))
                    continue
                message = _(
                    "“%(title)s” of the same union is at an overlapping time (%(start)s).",
                    title=other.title,
                    start=start,
                )
                clashes.append(Clash(SAME_UNION, message, other_event=other))

    clashes.extend(holiday_clashes(days))
    return clashes
