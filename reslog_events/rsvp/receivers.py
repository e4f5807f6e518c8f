"""What the RSVP feature does when another feature changes an event (connected by `init_app`)."""

from __future__ import annotations


def promote_into_new_seats(event) -> None:
    """`event_capacity_changed`: seats that opened go to the waiting list, first come first."""
    from .operations import fill_free_seats, lock_event

    fill_free_seats(lock_event(event.id))
