"""Check-in at the door: the scanner page, the scan API, the door's counts."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..events.visibility import event_key
    from ..extensions import never_limit
    from . import api, views

    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    # A venue's phones often share one public address (NAT): never throttle the door.
    never_limit(api.bp)
    # view arguments naming a row of one event are checked like an event id
    for name, event_of in api.EVENT_KEYS.items():
        event_key(name, event_of)
