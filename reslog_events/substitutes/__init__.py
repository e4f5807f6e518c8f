"""Sending a colleague instead: an invitee names a colleague, who is invited in their place."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to wire: the RSVP page (rsvp) and the answers page call the operations, and the
    colleague's email is the invitation email."""
