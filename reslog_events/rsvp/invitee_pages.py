"""The invitee's pages, reached by the emailed link without an account: the RSVP page, the QR
check-in code and the calendar file. A GET never changes anything (mail scanners open links).

An unknown or tampered token gets the same plain 404 as any missing page, and only such misses
count toward the per-address limit on guessing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, refresh
from flask_babel import gettext as _

from ..core.downloads import content_disposition
from ..core.language_names import language_names
from ..core.web import form_data, validate_form
from ..events.display import event_period
from ..extensions import LANGUAGES, db
from ..invitations.calendar import invitation_calendar
from ..invitations.models import Invitation, InvitationStatus
from ..invitations.operations import checkin_code_of
from ..invitations.qr import checkin_qr_png
from ..programme.queries import agenda_days
from ..substitutes import operations as substitutes
from ..substitutes.schemas import ColleagueIn
from . import operations
from .form_guard import check_form, form_token
from .guessing import token_guessing_limit
from .links import event_place, google_calendar_url, outlook_calendar_url, rsvp_link, rsvp_url
from .page_rows import invitation_rows_for_page
from .queries import answers_open, invitation_for_page, organiser_contact, waitlist_position
from .schemas import AccessNeed, Diet, InviteeAnswer, Reply

bp = Blueprint("rsvp", __name__)

#: the RSVP form's `response` for sending a colleague instead (the public contract)
SUBSTITUTE = "substitute"

#: a token as issued (core.tokens.new_rsvp_token): anything else is a miss without a lookup
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
LIST_FIELDS = ("diet_choices", "access_choices")
#: the answer the form shows for each status
_SHOWN_REPLY = {
    InvitationStatus.accepted: Reply.accept,
    InvitationStatus.waitlisted: Reply.accept,
    InvitationStatus.declined: Reply.decline,
    InvitationStatus.tentative: Reply.tentative,
}
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def invitation_or_404(token: str, lookup=invitation_for_page) -> Invitation:
    """The invitation of an RSVP link (404 if none), with the page's language set to the
    invitee's; `lookup` as `queries.invitation_for_page` (the default: ORM objects)."""
    found = lookup(token) if _TOKEN.fullmatch(token) else None
    if found is None:
        abort(404)
    invitation, g.rsvp_has_programme, g.rsvp_has_documents = found
    # The page speaks the invitee's language unless they pick another (?lang=); forget a
    # locale computed before the invitee was known.
    g.default_language = invitation.contact.language.value
    # an error page from here on names the organiser of this event (looked up only then)
    g.error_contact = lambda: organiser_contact(invitation.event)
    refresh()
    return invitation


def language_choices(event_languages: list[str]) -> list[tuple[str, str]]:
    """Languages to ask interpretation into: those the event offers, else the app's four;
    each named in the page's language."""
    names = language_names()
    codes = [code for code in event_languages if re.fullmatch(r"[a-z]{2}", code)] or list(LANGUAGES)
    return [(code, names.get(code, code)) for code in codes]


class Choice(NamedTuple):
    value: str
    label: str


class FormChoices(NamedTuple):
    replies: list[Choice]
    diets: list[tuple[str, str]]
    access_needs: list[tuple[str, str]]
    languages: list[tuple[str, str]]


def form_choices(event_languages: list[str]) -> FormChoices:
    """The RSVP form's choices named in the page's language, made once per language and set of
    event languages: a fast path of the RSVP page (bench/pages.py), whose labels were sixteen
    lookups of the request's translations each time."""
    return _form_choices(str(get_locale() or "en"), tuple(event_languages))


@lru_cache(maxsize=64)
def _form_choices(language: str, event_languages: tuple[str, ...]) -> FormChoices:
    # (called with the page's locale being `language`: the labels are translated into it)
    replies = [Choice(r.value, r.label) for r in (Reply.accept, Reply.tentative, Reply.decline)]
    languages = language_choices(list(event_languages))
    return FormChoices(replies, Diet.choices(), AccessNeed.choices(), languages)


def values_of(invitation: Invitation) -> dict:
    """The form's values from what the invitee answered before."""
    shown = _SHOWN_REPLY.get(invitation.status)
    return {
        "response": shown.value if shown else None,
        "diet_choices": list(invitation.diet_choices or ()),
        "dietary_needs": invitation.dietary_needs,
        "access_choices": list(invitation.access_choices or ()),
        "accessibility_needs": invitation.accessibility_needs,
        "interpretation_language": invitation.interpretation_language,
        "consent_data": invitation.consent_data_at is not None,
        "consent_photos": bool(invitation.consent_photos),
    }


def form_errors(errors: dict[str, str]) -> dict[str, str]:
    """Errors keyed by the form's field names ("diet_choices.1" is the diet_choices field),
    with a plain message for a missing or unknown answer."""
    fields: dict[str, str] = {}
    for key, message in errors.items():
        fields.setdefault(key.split(".")[0], message)
    if "response" in fields:
        fields["response"] = _("Please choose whether you will attend.")
    return fields


def _render(invitation: Invitation, token: str, *, values=None, errors=None, status: int = 200):
    event = invitation.event
    choices = form_choices(list(event.languages or ()))
    organiser_name, organiser_email = organiser_contact(event)
    accepted = invitation.status == InvitationStatus.accepted
    link = rsvp_link(token)
    context = {
        "invitation": invitation,
        "event": event,
        "contact": invitation.contact,
        "token": token,
        "form_action": url_for("rsvp.page", token=token),
        "page_csrf_token": form_token(token),
        "manual": False,
        "period": event_period(event),
        "place": event_place(event),
        "deadline": event.rsvp_deadline,
        "is_open": answers_open(event),
        "position": waitlist_position(invitation),
        "organiser_name": organiser_name,
        "organiser_email": organiser_email,
        "values": values if values is not None else values_of(invitation),
        "errors": errors or {},
        "replies": choices.replies,
        "diets": choices.diets,
        "access_needs": choices.access_needs,
        "languages": choices.languages,
        "offered_languages": choices.languages if event.languages else [],
        "retention_months": current_app.config.get("RETENTION_MONTHS", 6),
        "code": checkin_code_of(invitation) if accepted else None,
        "google_url": google_calendar_url(event, link) if accepted else None,
        "outlook_url": outlook_calendar_url(event, link) if accepted else None,
        # most events have no programme: its two queries only when there is one
        "agenda": agenda_days(event) if g.get("rsvp_has_programme", True) else [],
        # nor the documents' query when the event shows invitees none
        "has_documents": g.get("rsvp_has_documents", True),
    }
    response = make_response(render_template("rsvp/page.html", **context), status)
    response.headers.update(_NO_STORE)
    return response


def _closed_page(invitation: Invitation, reason: str, status: int):
    organiser_name, organiser_email = organiser_contact(invitation.event)
    html = render_template(
        "rsvp/closed.html",
        reason=reason,
        event=invitation.event,
        period=event_period(invitation.event),
        organiser_name=organiser_name,
        organiser_email=organiser_email,
    )
    response = make_response(html, status)
    response.headers.update(_NO_STORE)
    return response


_SAVED = {
    InvitationStatus.accepted: lambda: _(
        "Thank you! You are registered. Your check-in code is below and on its way by email."
    ),
    InvitationStatus.waitlisted: lambda: _(
        "Thank you! The event is full, so you are on the waiting list. We will email you if a "
        "place becomes free."
    ),
    InvitationStatus.tentative: lambda: _(
        "Thank you! We noted that you may attend. Please confirm when you know."
    ),
    InvitationStatus.declined: lambda: _("Thank you for letting us know that you cannot attend."),
}


@bp.route("/rsvp/<token>", methods=["GET", "POST"])
@token_guessing_limit
def page(token: str):
    if request.method == "POST":
        check_form(token)  # the form's token is the link's own (rsvp.form_guard)
    invitation = invitation_or_404(token, invitation_rows_for_page)
    event = invitation.event
    if invitation.status == InvitationStatus.revoked:
        return _closed_page(invitation, "revoked", 410)
    if event.is_cancelled:
        return _closed_page(invitation, "cancelled", 200)
    if request.method == "GET":
        return _render(invitation, token)

    if not answers_open(event):
        flash(_("Answers are closed: your answer was not changed."), "error")
        return _render(invitation, token, status=409)
    if invitation.status == InvitationStatus.substituted:
        flash(
            _("You have sent a colleague instead: to change that, contact the organiser."), "error"
        )
        return _render(invitation, token, status=409)
    data = form_data(LIST_FIELDS)
    if data.get("response") == SUBSTITUTE:
        return _send_colleague(invitation, token, data)
    # the colleague's fields (left empty) belong to the other answer
    data = {key: value for key, value in data.items() if not key.startswith("substitute_")}
    reply, errors = validate_form(InviteeAnswer, data)
    if reply is None:
        return _render(invitation, token, values=data, errors=form_errors(errors), status=422)
    try:
        result = operations.answer(invitation, reply)
    except operations.AnswerRefused:
        db.session.rollback()
        return redirect(url_for("rsvp.page", token=token), 303)
    saved = _SAVED[result.status]  # before the commit expires it: no reload to read it
    db.session.commit()
    flash(saved(), "success")
    return redirect(url_for("rsvp.page", token=token), 303)


def _send_colleague(invitation: Invitation, token: str, data: dict):
    fields = {name: data.get(name) for name in ColleagueIn.model_fields}
    colleague, errors = validate_form(ColleagueIn, fields)
    if colleague is None:
        shown = colleague_errors(errors)
        return _render(invitation, token, values=data, errors=shown, status=422)
    try:
        new = substitutes.send_colleague(invitation, colleague)
    except operations.AnswerRefused:
        db.session.rollback()
        return redirect(url_for("rsvp.page", token=token), 303)
    except substitutes.ColleagueRefused as exc:
        db.session.rollback()
        return _render(invitation, token, values=data, errors={exc.field: exc.message}, status=422)
    db.session.commit()
    # the name as the invitee typed it: nothing of a matching contact's record is shown
    if new.awaiting_approval:
        message = _(
            "Thank you! Once the organiser approves, %(name)s will get an invitation of their own.",
            name=colleague.substitute_name,
        )
    else:
        message = _(
            "Thank you! %(name)s will get an invitation of their own by email.",
            name=colleague.substitute_name,
        )
    flash(message, "success")
    return redirect(url_for("rsvp.page", token=token), 303)


def colleague_errors(errors: dict[str, str]) -> dict[str, str]:
    """The colleague fields' errors as the form names them, in plain words."""
    messages = {
        "substitute_name": _("Please give your colleague's name."),
        "substitute_email": _("Please give your colleague's email address, e.g. name@example.org."),
        "substitute_position": _("The position can be at most 200 characters long."),
    }
    return {
        key.split(".")[0]: messages.get(key.split(".")[0], text) for key, text in errors.items()
    }


def _accepted_or_404(token: str) -> Invitation:
    invitation = invitation_or_404(token)
    if invitation.status != InvitationStatus.accepted or invitation.event.is_cancelled:
        abort(404)
    return invitation


@bp.get("/rsvp/<token>/qr.png")
@token_guessing_limit
def qr(token: str):
    """The check-in QR code as a PNG (only while the invitee holds a seat)."""
    png = checkin_qr_png(_accepted_or_404(token))
    if png is None:
        abort(404)
    response = make_response(png)
    response.headers["Content-Type"] = "image/png"
    response.headers.update(_NO_STORE)
    return response


@bp.get("/rsvp/<token>/calendar.ics")
@token_guessing_limit
def calendar(token: str):
    """The event as an .ics file for the invitee's calendar (same UID as the emailed entry)."""
    invitation = _accepted_or_404(token)
    body = invitation_calendar(
        invitation, method="PUBLISH", partstat="ACCEPTED", rsvp_url=rsvp_url(invitation)
    )
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = content_disposition("attachment", "event.ics")
    response.headers.update(_NO_STORE)
    return response
