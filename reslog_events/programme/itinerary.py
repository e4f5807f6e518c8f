"""The delegation of a visit and the itinerary emailed to its members.

Each member gets one calendar entry per session they attend, with a UID stable per (invitation,
session). What was last sent is kept on the member (`sent_entries`), so that a later email raises
SEQUENCE of exactly the entries that changed and cancels those that were dropped.

    send_itinerary(event)              # queue the itinerary for the whole delegation
    db.session.commit()                # → the workers send it
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask_babel import gettext as _

from ..audit.operations import record
from ..core.columns import utcnow
from ..directory.queries import contact_in_use
from ..events.models import Event
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from ..mail.outbox import queue_email
from . import queries
from .ical import place_of
from .models import AgendaSession, DelegationMember
from .operations import ProgrammeConflict, ProgrammeError, resolve_times
from .schemas import MemberIn

EMAIL_KIND = "itinerary"
_NOT_TRAVELLING = (InvitationStatus.declined, InvitationStatus.revoked)
_MEMBER_FIELDS = (
    "arrives_at",
    "departs_at",
    "travel_details",
    "visa_notes",
    "accommodation_notes",
)


def entry_uid(invitation: Invitation, session: AgendaSession) -> str:
    """The UID of a member's entry for a session: stable across edits of either."""
    return f"{session.uid}.{invitation.uid}@reslog-events"


def _fingerprint(entry: dict[str, Any]) -> str:
    keys = ("summary", "description", "location", "starts_at", "ends_at", "tzid", "status")
    text = json.dumps([entry.get(k) for k in keys], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _session_entry(invitation: Invitation, session: AgendaSession) -> dict[str, Any]:
    event = session.event
    place = place_of(event)
    location = " — ".join(p for p in (session.room_or_site, place) if p)
    description = "\n\n".join(p for p in (session.speakers, session.description.strip()) if p)
    return {
        "uid": entry_uid(invitation, session),
        "session_id": session.id,
        # the member's language: the entries are fixed when the email is queued
        "summary": session.title_in(invitation.contact.language.value),
        "description": description,
        "location": location,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "tzid": event.timezone,
        "status": "CONFIRMED",
    }


def entries_for(member: DelegationMember) -> list[dict[str, Any]]:
    """The entries the member's next itinerary email carries: one per session attended (SEQUENCE
    raised where it differs from what was sent), and a cancellation for each entry sent before
    that no longer applies (session deleted or not chosen, event cancelled, invitee declined)."""
    invitation = member.invitation
    event = invitation.event
    travelling = not event.is_cancelled and invitation.status not in _NOT_TRAVELLING
    sessions = queries.sessions_attended(invitation) if travelling else []
    previous: dict[str, Any] = member.sent_entries or {}
    entries = []
    for session in sessions:
        entry = _session_entry(invitation, session)
        entry["fingerprint"] = _fingerprint(entry)
        before = previous.get(entry["uid"])
        if before is None:
            entry["sequence"] = session.sequence
        elif before["fingerprint"] == entry["fingerprint"]:
            entry["sequence"] = before["sequence"]
        else:
            entry["sequence"] = max(session.sequence, before["sequence"] + 1)
        entries.append(entry)
    current = {e["uid"] for e in entries}
    for uid, before in previous.items():
        if uid in current or before["status"] == "CANCELLED":
            continue
        gone = {**before, "status": "CANCELLED", "sequence": before["sequence"] + 1}
        gone["fingerprint"] = _fingerprint(gone)
        entries.append(gone)
    return sorted(entries, key=lambda e: (e["starts_at"], e["uid"]))


def has_news(member: DelegationMember) -> bool:
    """True when the next email would differ from the last one sent (or none was sent)."""
    previous = member.sent_entries or {}
    entries = entries_for(member)
    if member.itinerary_sent_at is None:
        return bool(entries) or member.invitation.status not in _NOT_TRAVELLING
    return any(previous.get(e["uid"], {}).get("fingerprint") != e["fingerprint"] for e in entries)


def send_itinerary(event: Event, members: list[DelegationMember] | None = None) -> int:
    """Queue the itinerary email for `members` (default: the whole delegation); returns how many
    were queued. Members who declined get only cancellations of entries sent before."""
    members = queries.delegation_of(event) if members is None else members
    queued = 0
    for member in members:
        if member.invitation.event_id != event.id:
            raise ProgrammeError({"member_ids": _("Choose members of this event's delegation.")})
        entries = entries_for(member)
        declined = member.invitation.status in _NOT_TRAVELLING
        if declined and not entries:
            continue
        row = queue_email(
            EMAIL_KIND,
            invitation=member.invitation,
            payload={"event_id": event.id, "member_id": member.id, "entries": entries},
        )
        if row is None:  # no address
            continue
        sent = dict(member.sent_entries or {})
        sent.update({e["uid"]: e for e in entries})
        member.sent_entries = sent
        member.itinerary_sent_at = utcnow()
        queued += 1
    if queued:
        db.session.flush()
        record("itinerary.send", event, {"queued": queued})
    return queued


# Delegation ---------------------------------------------------------------------------------------


def _check_stay(values: dict[str, Any], member: DelegationMember | None = None) -> None:
    arrives = values.get("arrives_at", member.arrives_at if member else None)
    departs = values.get("departs_at", member.departs_at if member else None)
    if arrives is not None and departs is not None and departs <= arrives:
        raise ProgrammeError({"departs_at": _("The departure must be after the arrival.")})


def _check_not_erased(invitation: Invitation) -> None:
    """Refuse an erased contact; otherwise lock the contact until the commit, so that an erasure
    under way waits for this transaction (and then clears the member's notes) or comes first."""
    if contact_in_use(invitation.contact_id) is None:
        raise ProgrammeConflict(
            "contact_erased",
            _(
                "Contact %(id)s was erased: it cannot join the delegation.",
                id=invitation.contact_id,
            ),
        )


def add_member(event: Event, data: MemberIn) -> DelegationMember:
    if event.is_cancelled:
        raise ProgrammeConflict("event_cancelled", _("A cancelled event cannot be changed."))
    invitation = db.session.get(Invitation, data.invitation_id)
    if invitation is None or invitation.event_id != event.id:
        raise ProgrammeError({"invitation_id": _("Choose an invitee of this event.")})
    if invitation.status in _NOT_TRAVELLING:
        raise ProgrammeError(
            {"invitation_id": _("This invitee declined or the invitation was revoked.")}
        )
    _check_not_erased(invitation)
    if db.session.query(DelegationMember).filter_by(invitation_id=invitation.id).first():
        raise ProgrammeConflict("already_member", _("This invitee is already in the delegation."))
    values = resolve_times(event, data.model_dump(exclude={"invitation_id"}), _MEMBER_FIELDS[:2])
    _check_stay(values)
    member = DelegationMember(invitation=invitation, sent_entries={}, **values)
    db.session.add(member)
    db.session.flush()
    record("delegation.add", member, {"event_id": event.id, "invitation_id": invitation.id})
    return member


def update_member(member: DelegationMember, values: dict[str, Any]) -> DelegationMember:
    _check_not_erased(member.invitation)
    event = member.invitation.event
    values = resolve_times(event, values, _MEMBER_FIELDS[:2])
    _check_stay(values, member)
    changed = []
    for field, new in values.items():
        if getattr(member, field) != new:
            setattr(member, field, new)
            changed.append(field)
    if changed:
        db.session.flush()
        record("delegation.update", member, {"fields": sorted(changed)})
    return member


def remove_member(member: DelegationMember) -> None:
    record("delegation.remove", member, {"invitation_id": member.invitation_id})
    db.session.delete(member)
    db.session.flush()
