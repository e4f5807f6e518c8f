"""The programme's pages: an event's agenda (organisers edit it, times in the event's zone) and
the invitee's choice of sessions from the RSVP page. The itinerary, the calendar and the feeds
have their own modules, each with its blueprint (`itinerary`, `calendar`, `feeds`)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import EDITORS, EVENT_READERS, roles_required
from ..core.datetimes import input_value
from ..core.routing import parse_id
from ..core.validation import labelled
from ..core.web import form_data, validate_form
from ..directory.models import Language
from ..events.display import content_languages
from ..events.models import Event
from ..events.views import tab_field
from ..extensions import db
from ..invitations.operations import find_by_token
from ..rsvp.invitee_pages import token_guessing_limit
from ..rsvp.queries import answers_open
from . import operations, queries
from .clashes import find_clashes
from .models import AgendaSession
from .schemas import SessionIn

bp = Blueprint("programme", __name__)

#: fields left out of the submitted form mean "use the default" (not "set to nothing")
_DEFAULTED = ("description", "position")


def session_values(session: AgendaSession | None, event: Event) -> dict[str, Any]:
    """What the session form shows (times as wall-clock times in the event's zone)."""
    if session is None:
        start = event.local_starts_at
        return {"starts_at": input_value(start), "interpretation": []}
    return {
        "title": session.title,
        "starts_at": input_value(session.local_starts_at),
        "ends_at": input_value(session.local_ends_at),
        "room_or_site": session.room_or_site,
        "speakers": session.speakers,
        "language": session.language,
        "interpretation": list(session.interpretation or []),
        "capacity": session.capacity,
        "position": session.position,
        "description": session.description,
        **{f"title_{code}": text.get("title") for code, text in session.translations.items()},
    }


def tab_errors(errors: dict[str, str]) -> dict[str, str]:
    return {tab_field(field): message for field, message in errors.items()}


def _submitted_session(event: Event) -> tuple[dict[str, Any], SessionIn | None, dict[str, str]]:
    values = form_data(("interpretation",))
    data = {k: v for k, v in values.items() if not (k in _DEFAULTED and v is None)}
    # the language tabs: a tab left empty is no translation
    data["translations"] = {
        code: {"title": title}
        for code, _name in content_languages(event)
        if (title := data.pop(f"title_{code}", None))
    }
    parsed, errors = validate_form(SessionIn, data)
    return values, parsed, tab_errors(errors)


def _render_agenda(event: Event, values=None, errors=None, status: int = 200):
    sessions = queries.agenda_for(event)
    return render_template(
        "programme/agenda.html",
        event=event,
        days=queries.agenda_days(event, sessions),
        seats=queries.seats_shown((s.id for s in sessions), current_user),
        settings=queries.settings_of(event),
        values=values if values is not None else session_values(None, event),
        errors=errors or {},
        languages=Language.choices(),
        can_edit=current_user.role in EDITORS,
        clashes=find_clashes(event) if current_user.role in EDITORS else [],
    ), status


@bp.route("/events/<int:event_id>/agenda", methods=["GET", "POST"])
@roles_required(*EVENT_READERS)
def agenda(event_id: int):
    event = db.get_or_404(Event, event_id)
    if request.method == "GET":
        return _render_agenda(event)
    if current_user.role not in EDITORS:
        abort(403)
    values, parsed, errors = _submitted_session(event)
    if parsed is not None:
        try:
            session = operations.create_session(event, parsed)
        except operations.ProgrammeError as exc:
            errors = tab_errors(labelled(SessionIn, exc.fields))
        except operations.ProgrammeConflict as exc:
            errors = {"title": exc.message}
        else:
            db.session.commit()
            flash(_("Session “%(title)s” added.", title=session.title), "success")
            return redirect(url_for(".agenda", event_id=event.id) + f"#session-{session.id}")
    db.session.rollback()
    return _render_agenda(event, values, errors, 422)


@bp.route("/events/<int:event_id>/agenda/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_session(event_id: int, session_id: int):
    session = db.get_or_404(AgendaSession, session_id)
    if session.event_id != event_id:
        abort(404)
    event = session.event
    values, errors = session_values(session, event), {}
    if request.method == "POST":
        values, parsed, errors = _submitted_session(event)
        if parsed is not None:
            try:
                operations.update_session(session, parsed.model_dump())
            except operations.ProgrammeError as exc:
                errors = tab_errors(labelled(SessionIn, exc.fields))
            except operations.ProgrammeConflict as exc:
                errors = {"title": exc.message}
            else:
                db.session.commit()
                flash(_("Session “%(title)s” saved.", title=session.title), "success")
                return redirect(url_for(".agenda", event_id=event.id) + f"#session-{session.id}")
        db.session.rollback()
    return render_template(
        "programme/session_form.html",
        event=event,
        session=session,
        values=values,
        errors=errors,
        languages=Language.choices(),
    ), (422 if errors else 200)


@bp.post("/events/<int:event_id>/agenda/<int:session_id>/delete")
@roles_required(*EDITORS)
def delete_session(event_id: int, session_id: int):
    session = db.get_or_404(AgendaSession, session_id)
    if session.event_id != event_id:
        abort(404)
    title = session.title
    try:
        operations.delete_session(session)
    except operations.ProgrammeConflict as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Session “%(title)s” deleted.", title=title), "success")
    return redirect(url_for(".agenda", event_id=event_id))


@bp.post("/events/<int:event_id>/programme")
@roles_required(*EDITORS)
def update_settings(event_id: int):
    event = db.get_or_404(Event, event_id)
    values: dict[str, Any] = {
        "allow_session_choice": request.form.get("allow_session_choice") == "1"
    }
    if "delegation_note" in request.form:
        values["delegation_note"] = request.form["delegation_note"].strip()[:5000]
    operations.update_settings(event, values)
    db.session.commit()
    flash(_("Programme settings saved."), "success")
    target = "itinerary.itinerary" if request.form.get("back") == "itinerary" else ".agenda"
    return redirect(url_for(target, event_id=event.id))


@bp.post("/rsvp/<token>/sessions")
@token_guessing_limit
def choose_sessions(token: str):
    """The invitee's choice of sessions, posted from the agenda on the RSVP page."""
    invitation = find_by_token(token) if 16 <= len(token) <= 64 else None
    if invitation is None:
        abort(404)
    back = url_for("rsvp.page", token=token) + "#agenda"
    if not answers_open(invitation.event):
        flash(_("Answers are closed for this event."), "error")
        return redirect(back)
    ids = [i for v in request.form.getlist("session_ids") if (i := parse_id(v)) is not None]
    try:
        operations.choose_sessions(invitation, ids)
    except operations.ProgrammeError as exc:
        db.session.rollback()
        flash(next(iter(exc.fields.values())), "error")
    except operations.ProgrammeConflict as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Your sessions are saved."), "success")
    return redirect(back)


def session_choice_context(invitation) -> dict[str, Any]:
    """What `_agenda.html` needs to offer the session choice to an invitee."""
    event = invitation.event
    sessions = queries.agenda_for(event)
    open_ = (
        queries.settings_of(event).allow_session_choice
        and answers_open(event)
        and invitation.status in queries.CHOOSING_STATUSES
    )
    return {
        "chosen": queries.choices_of(invitation),
        "seats": queries.seats_taken(s.id for s in sessions),
        "choice_open": open_,
    }
