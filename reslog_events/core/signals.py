"""Signals between features (Indico-style): the sender does its write, receivers add theirs
inside the same transaction (e.g. queue notification emails in the outbox)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sender: the Event; kwargs: changes={field: (old, new)} of its time and place, and
#: notes_languages=[…] when venue notes changed (only then). Sent when a published event's time,
#: place or venue notes changed (invitees who have not declined get an updated calendar entry;
#: for notes alone, those whose language's notes changed).
event_rescheduled = _signals.signal("event-rescheduled")
#: sender: the Event, after it was cancelled (invitees get a calendar cancellation).
event_cancelled = _signals.signal("event-cancelled")
#: sender: the Event, after its capacity was raised or removed (waitlisted people can move up).
event_capacity_changed = _signals.signal("event-capacity-changed")
#: sender: the Event, when it was published.
event_published = _signals.signal("event-published")
#: sender: the Invitation, after an answer changed; kwargs: old_status.
invitation_answered = _signals.signal("invitation-answered")
#: sender: the Invitation, after it was revoked (frees a seat).
invitation_revoked = _signals.signal("invitation-revoked")
#: sender: the Contact, while it is erased (same transaction); kwargs: invitation_ids. Features
#: that keep something of the person elsewhere clear it here.
contact_erased = _signals.signal("contact-erased")
