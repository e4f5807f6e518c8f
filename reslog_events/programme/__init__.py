"""The programme: agenda sessions, peer-visit itineraries, the calendar, feeds, clash warnings."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..core.signals import invitation_answered, invitation_revoked
    from ..events.visibility import event_key
    from ..invitations.operations import rsvp_token_of
    from . import (
        api,
        calendar_views,
        feeds,
        itinerary_views,
        notifications,  # noqa: F401 - registers the itinerary email's renderer
        operations,
        queries,
        views,
    )
    from .clashes import find_clashes

    for module in (api, views, itinerary_views, calendar_views, feeds):
        app.register_blueprint(module.bp)
    # globals for the partials other features include (the RSVP page, the event page)
    app.jinja_env.globals.update(
        programme_agenda_days=queries.agenda_days,
        programme_settings=queries.settings_of,
        programme_session_choice=views.session_choice_context,
        programme_clashes=find_clashes,
        programme_token=rsvp_token_of,
    )
    invitation_answered.connect(operations.drop_choices, weak=False)
    invitation_revoked.connect(operations.drop_choices, weak=False)
    # view arguments naming a row of one event are checked like an event id
    for name, event_of in api.EVENT_KEYS.items():
        event_key(name, event_of)
