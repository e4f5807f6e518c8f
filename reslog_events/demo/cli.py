"""`flask --app reslog_events demo`: a realistic demo data set, loaded idempotently.

Every record is looked up by its natural key first (user and contact email, organisation code,
event title, invitation event × contact, check-in invitation × day), so a second run adds
nothing. No email is queued and no signal is sent: the past events' invitations, answers and
check-ins (and their minutes, files and survey answers: `afterwards`) are written as they would
stand after the fact.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from ..audit.operations import record
from ..auth.models import Role, User
from ..auth.operations import create_user
from ..checkin.models import CheckIn
from ..core.columns import utcnow
from ..core.datetimes import iso_clock
from ..core.turkish import fold
from ..directory.models import (
    Contact,
    Gender,
    Language,
    Organisation,
    OrganisationKind,
    RoleCategory,
)
from ..directory.provinces import resolve as resolve_province
from ..events.models import Event, EventKind, EventLevel, EventStatus
from ..extensions import db
from ..invitations.models import EmailStatus, Invitation, InvitationStatus
from ..invitations.operations import build_invitation
from . import data, event_data
from .afterwards import load_afterwards
from .today import keep_under_way, times_today

#: chances of each answer: (accepted, declined, tentative); the rest have not answered
_ANSWERS = {"past": (0.6, 0.15, 0.1), "upcoming": (0.45, 0.1, 0.1), "cancelled": (0.3, 0.1, 0.0)}
#: chance that someone with this answer came (on the first day; later days 80% of those)
_CAME = {
    InvitationStatus.accepted: 0.85,
    InvitationStatus.tentative: 0.5,
    InvitationStatus.pending: 0.15,
    InvitationStatus.declined: 0.03,
}

#: how people were checked in: mostly by their QR code, sometimes found by name
_METHODS = ("scan", "scan", "scan", "scan", "manual")


def _users(counts: Counter) -> dict[str, User]:
    users = {}
    for email, role, name, language in data.USERS:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            user = create_user(
                email, Role(role), name=name, password=data.DEMO_PASSWORD, language=language
            )
            counts["users"] += 1
        users[role] = user
    return users


def _organisations(counts: Counter) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for spec in data.ORGANISATIONS:
        org = db.session.scalar(
            sa.select(Organisation).where(
                sa.or_(Organisation.code == spec.key, Organisation.search_key == fold(spec.name))
            )
        )
        if org is None:
            org = Organisation(
                name=spec.name,
                kind=OrganisationKind(spec.kind),
                code=spec.key,
                country=spec.country,
                province=resolve_province(spec.province or "", spec.country),
                district=spec.district,
            )
            db.session.add(org)
            db.session.flush()
            record("organisation.create", org, {"name": org.name}, actor="cli")
            counts["organisations"] += 1
        orgs[spec.key] = org
    for spec in data.ORGANISATIONS:
        org = orgs[spec.key]
        for union_key in spec.unions:
            if orgs[union_key] not in org.unions:
                org.unions.append(orgs[union_key])
                counts["union memberships"] += 1
    return orgs


def _email(row: tuple, org_key: str | None) -> str:
    local = row[6] if len(row) > 6 else fold(row[0]).replace(" ", ".")
    domain = (org_key or "freelance").lower()
    return f"{local}@{domain}.example"


def _contacts(orgs: dict[str, Organisation], counts: Counter) -> list[Contact]:
    contacts = []
    for number, row in enumerate(data.CONTACTS, start=1):
        full_name, org_key, position, role_category, gender, language = row[:6]
        email = _email(row, org_key)
        contact = db.session.scalar(sa.select(Contact).where(Contact.email == email))
        if contact is None:
            country = orgs[org_key].country if org_key else "TR"
            prefix = {"TR": "+90 212 555", "SE": "+46 8 555", "LB": "+961 7 555"}[country]
            contact = Contact(
                full_name=full_name,
                email=email,
                organisation=orgs[org_key] if org_key else None,
                position=position,
                role_category=RoleCategory(role_category),
                gender=Gender(gender),
                language=Language(language),
                phone=f"{prefix} {number:04d}",
            )
            db.session.add(contact)
            db.session.flush()
            record("contact.create", contact, {"full_name": full_name}, actor="cli")
            counts["contacts"] += 1
        contacts.append(contact)
    return contacts


def _local(day: date, clock: str, zone_name: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=ZoneInfo(zone_name))


def _event(spec: event_data.DemoEvent, orgs: dict, organiser: User, today: date, counts: Counter):
    event = db.session.scalar(sa.select(Event).where(Event.title == spec.title))
    if event is not None:
        if spec.under_way and keep_under_way(event, spec.starts, spec.ends):
            counts["events moved to today"] += 1
        return event
    start_day = today + timedelta(days=spec.day)
    starts = _local(start_day, spec.starts, spec.timezone)
    ends = _local(start_day + timedelta(days=spec.extra_days), spec.ends, spec.timezone)
    if spec.under_way:
        starts, ends = times_today(spec.starts, spec.ends, spec.timezone)
    now = utcnow()
    event = Event(
        title=spec.title,
        kind=EventKind(spec.kind),
        level=EventLevel(spec.level),
        status=EventStatus(spec.status),
        starts_at=starts,
        ends_at=ends,
        timezone=spec.timezone,
        venue=spec.venue,
        address=spec.address,
        city=spec.city,
        country=spec.country,
        online_url=spec.online_url,
        capacity=spec.capacity,
        rsvp_deadline=starts - timedelta(days=5) if spec.invite else None,
        languages=list(spec.languages),
        description=spec.description,
        organiser=organiser,
        host_organisation=orgs[spec.host] if spec.host else None,
        is_public=spec.is_public,
        sequence=1 if spec.status == "cancelled" else 0,
        created_at=min(now, starts - timedelta(days=40)),
        published_at=min(now, starts - timedelta(days=30)) if spec.status != "draft" else None,
        cancelled_at=now if spec.status == "cancelled" else None,
    )
    db.session.add(event)
    db.session.flush()
    record("event.create", event, {"title": event.title, "kind": spec.kind}, actor="cli")
    counts["events"] += 1
    return event


def _answer(rng: random.Random, phase: str) -> InvitationStatus:
    accepted, declined, tentative = _ANSWERS[phase]
    roll = rng.random()
    if roll < accepted:
        return InvitationStatus.accepted
    if roll < accepted + declined:
        return InvitationStatus.declined
    if roll < accepted + declined + tentative:
        return InvitationStatus.tentative
    return InvitationStatus.pending


def _invitees(spec: event_data.DemoEvent, contacts: list[Contact], rng: random.Random) -> list:
    """The first `spec.invite` of: contacts of the focus organisations, then the others."""
    focus = [c for c in contacts if c.organisation and c.organisation.code in spec.focus]
    others = [c for c in contacts if c not in focus]
    rng.shuffle(others)
    return (focus + others)[: spec.invite]


def _check_ins(event: Event, invitation: Invitation, rng: random.Random, staff: User) -> list:
    """The check-ins of someone who came: the first day, then each later day 4 times in 5."""
    if rng.random() >= _CAME[invitation.status] and not invitation.is_walk_in:
        return []
    days = (event.local_ends_at.date() - event.local_starts_at.date()).days + 1
    rows = []
    for offset in range(days):
        if offset and rng.random() >= 0.8:
            break
        day = event.local_starts_at.date() + timedelta(days=offset)
        opening = _local(day, iso_clock(event.starts_at, event.zone), event.timezone)
        rows.append(
            CheckIn(
                event_id=event.id,
                invitation=invitation,
                day=day,
                checked_in_at=opening + timedelta(minutes=rng.randint(-25, 50)),
                gate=rng.choice(("A", "A", "B")),
                method="walk_in" if invitation.is_walk_in else rng.choice(_METHODS),
                user=staff,
            )
        )
    return rows


def _invitations(spec, event, contacts, users, counts: Counter) -> None:
    if not spec.invite:
        return
    rng = random.Random(spec.title)  # the same answers on every machine
    existing = set(
        db.session.scalars(sa.select(Invitation.contact_id).where(Invitation.event_id == event.id))
    )
    if existing:
        return  # invited in an earlier run
    phase = "cancelled" if event.is_cancelled else ("past" if event.has_ended else "upcoming")
    now = utcnow()
    invited_at = min(now, event.starts_at - timedelta(days=21))
    chosen = _invitees(spec, contacts, rng)
    for n, contact in enumerate(chosen):
        status = _answer(rng, phase)
        if spec.under_way and n >= len(chosen) - 2:
            status = InvitationStatus.waitlisted  # the door's amber screen, to try
        invitation = build_invitation(event, contact, invited_by=users["organiser"], status=status)
        _stamp(invitation.invitation, invited_at, now, rng)
        if status == InvitationStatus.waitlisted:
            invitation.invitation.waitlisted_at = invited_at + timedelta(days=1, minutes=n)
        counts["invitations"] += 1
    if phase == "past":
        walk_in = next((c for c in contacts if c not in chosen and c.organisation), None)
        if walk_in is not None:
            new = build_invitation(event, walk_in, invited_by=users["staff"], walk_in=True)
            _stamp(new.invitation, event.starts_at, now, rng)
            counts["invitations"] += 1
        db.session.flush()
        invitations = db.session.scalars(
            sa.select(Invitation).where(Invitation.event_id == event.id).order_by(Invitation.id)
        )
        for invitation in invitations:
            for check_in in _check_ins(event, invitation, rng, users["staff"]):
                db.session.add(check_in)
                counts["check-ins"] += 1


def _stamp(invitation: Invitation, invited_at: datetime, now: datetime, rng) -> None:
    """When it was sent and answered, as if the emails had gone out and been delivered."""
    invitation.invited_at = invited_at
    invitation.email_status = EmailStatus.delivered
    if invitation.status not in (InvitationStatus.pending, InvitationStatus.waitlisted):
        invitation.responded_at = min(now, invited_at + timedelta(hours=rng.randint(2, 200)))
    if invitation.status == InvitationStatus.accepted:
        invitation.consent_data_at = invitation.responded_at  # accepting needs the consent


def _results(orgs: dict[str, Organisation], today: date, counts: Counter) -> None:
    """The pilot list and this year's targets (the results page), each added once."""
    from ..results.models import ResultTarget
    from ..results.operations import add_to_pilot_list, set_target

    for code in data.PILOT_MUNICIPALITIES:
        if add_to_pilot_list(orgs[code], by=None):
            counts["pilot municipalities"] += 1
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    for indicator, target in data.YEAR_TARGETS.items():
        found = db.session.scalar(
            sa.select(ResultTarget.id).where(
                ResultTarget.indicator == indicator,
                ResultTarget.period_start == start,
                ResultTarget.period_end == end,
            )
        )
        if found is None:
            set_target(indicator, start, end, target, by=None)
            counts["targets"] += 1


def load_demo(today: date | None = None) -> Counter:
    """Add what is missing of the demo data set; returns what was added. The caller commits."""
    today = today or utcnow().date()
    counts: Counter = Counter()
    users = _users(counts)
    orgs = _organisations(counts)
    contacts = _contacts(orgs, counts)
    _results(orgs, today, counts)
    events = {}
    for spec in event_data.EVENTS:
        event = _event(spec, orgs, users["organiser"], today, counts)
        _invitations(spec, event, contacts, users, counts)
        events[spec.title] = event
    db.session.flush()
    load_afterwards(events, users["organiser"], counts)
    return counts


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo data set (idempotent: a second run adds nothing)."""
    counts = load_demo()
    db.session.commit()
    if counts.pop("events moved to today", 0):
        click.echo("The forum under way today was moved to today.")
    if counts:
        click.echo("Added " + ", ".join(f"{n} {what}" for what, n in counts.items()) + ".")
    else:
        click.echo("The demo data set is already loaded; nothing added.")
    click.echo(f"Demo logins (password {data.DEMO_PASSWORD}):")
    for email, role, _name, _language in data.USERS:
        click.echo(f"  {email:32} {role}")


def init_app(app) -> None:
    app.cli.add_command(demo_command)
