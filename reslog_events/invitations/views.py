"""The organisers' invitation pages of one event:

- `/events/<id>/invitations`: who is invited, their answer and email status; reminders.
- `/events/<id>/invitations/new`: pick contacts with the directory's filters, see who is invited
  already, preview the email in each language, write a note; then a confirmation step
  "Send N invitations"; then the live progress view.
- `/events/<id>/invitations/<inv>`: one invitation's history (emails, provider reports, audit),
  and "resend".
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.permissions import EDITORS, roles_required
from ..core.api import paginate
from ..core.routing import parse_id
from ..core.web import validate_form
from ..directory.models import Contact, Language
from ..directory.queries import contacts_query
from ..directory.schemas import ContactQuery
from ..directory.views import _choices as directory_choices
from ..events.models import Event, EventStatus
from ..events.operations import lock_event
from ..events.visibility import event_or_404
from ..extensions import db
from . import operations, queries
from .models import EmailStatus, Invitation, InvitationStatus
from .preview import fallbacks, preview_email
from .reminders import remind_pending, reminders_due
from .schemas import InvitationQuery, InviteIn

bp = Blueprint("invitations", __name__)

PER_PAGE = 50
#: the directory's filters, carried from the selection to the confirmation step
FILTER_FIELDS = tuple(f for f in ContactQuery.model_fields if f not in ("page", "per_page"))


def _query(model: type, args: dict[str, Any]) -> Any:
    """The list's filters from the URL; a bad value is dropped rather than failing the page."""
    args = {k: v for k, v in args.items() if k in model.model_fields}
    query, errors = validate_form(model, args)
    if errors:
        query, _errors = validate_form(model, {k: v for k, v in args.items() if k not in errors})
    return query or model()


def _filters_of(query: ContactQuery) -> dict[str, str]:
    """The non-empty directory filters as URL/form values."""
    values = {}
    for name in FILTER_FIELDS:
        value = getattr(query, name)
        if value is not None:
            values[name] = getattr(value, "value", value)
    return values


# --- the list ----------------------------------------------------------------------------------


@bp.get("/events/<int:event_id>/invitations")
@roles_required(*EDITORS)
def event_invitations(event_id: int):
    event = event_or_404(event_id)
    query = _query(InvitationQuery, {"per_page": PER_PAGE, **request.args.to_dict()})
    page = queries.invitations_page(event.id, query)
    return render_template(
        "invitations/list.html",
        event=event,
        rows=page.items,
        total=page.total,
        query=query,
        counts=queries.status_counts(event.id),
        statuses=InvitationStatus.choices(),
        email_statuses=EmailStatus.choices(),
        filtered=any(getattr(query, f) is not None for f in ("status", "email_status", "q")),
    )


@bp.post("/events/<int:event_id>/invitations/remind")
@roles_required(*EDITORS)
def remind(event_id: int):
    note = request.form.get("note") or None
    if not request.form.get("confirmed"):
        # a reminder goes to everyone who has not answered: say how many before sending
        event = event_or_404(event_id)
        pending = queries.status_counts(event.id)["status"][InvitationStatus.pending.value]
        due = reminders_due(event.id)
        return render_template(
            "invitations/remind_confirm.html",
            event=event,
            due=due,
            recently=max(pending - due, 0),
            note=note,
        )
    event = lock_event(event_id) or abort(404)
    try:
        outcome = remind_pending(event, by=current_user, note=note)
    except operations.InvitationRefused as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".event_invitations", event_id=event_id))
    db.session.commit()
    flash(
        ngettext(
            "%(num)d reminder is on its way.",
            "%(num)d reminders are on their way.",
            outcome.reminded,
        )
        + (
            " "
            + ngettext(
                "%(num)d pending invitee was reminded recently.",
                "%(num)d pending invitees were reminded recently.",
                outcome.skipped,
            )
            if outcome.skipped
            else ""
        ),
        "success",
    )
    return redirect(
        url_for(
            ".progress",
            event_id=event_id,
            kind="reminder",
            from_id=outcome.outgoing_ids[0] if outcome.outgoing_ids else None,
        )
    )


# --- inviting from the directory ---------------------------------------------------------------


def _selection(event: Event, query: ContactQuery) -> tuple[list[int], int]:
    """(ids of the matching contacts not yet invited, number of matching contacts)."""
    stmt = contacts_query(query)
    total = paginate(stmt, ContactQuery(per_page=1)).total
    return queries.not_invited_ids(event.id, stmt), total


@bp.get("/events/<int:event_id>/invitations/new")
@roles_required(*EDITORS)
def new(event_id: int):
    event = event_or_404(event_id)
    query = _query(ContactQuery, {"per_page": PER_PAGE, **request.args.to_dict()})
    page = paginate(contacts_query(query), query)
    invited = queries.invited_contact_ids(event.id, [c.id for c in page.items])
    to_invite, matching = _selection(event, query)
    return render_template(
        "invitations/new.html",
        event=event,
        contacts=page.items,
        total=page.total,
        query=query,
        invited=invited,
        to_invite=len(to_invite),
        matching=matching,
        filters=_filters_of(query),
        **directory_choices(),
    )


def _submitted_selection(event: Event) -> tuple[list[int], dict[str, str], str | None]:
    """The contacts chosen on the selection page: the ticked ones, else all matching."""
    query = _query(ContactQuery, request.form.to_dict())
    filters = _filters_of(query)
    note = (request.form.get("note") or "").strip() or None
    ticked = [i for v in request.form.getlist("contact_ids") if (i := parse_id(v)) is not None]
    if ticked:
        already = queries.invited_contact_ids(event.id, ticked)
        return [cid for cid in ticked if cid not in already], filters, note
    ids, _matching = _selection(event, query)
    return ids, filters, note


@bp.post("/events/<int:event_id>/invitations/confirm")
@roles_required(*EDITORS)
def confirm(event_id: int):
    event = event_or_404(event_id)
    ids, filters, note = _submitted_selection(event)
    _body, errors = validate_form(InviteIn, {"contact_ids": ids or [], "note": note})
    if event.is_cancelled:
        errors = {"event": _("The event is cancelled.")}
    contacts = (
        db.session.scalars(contacts_query().where(Contact.id.in_(ids[:20]))).all() if ids else []
    )
    return render_template(
        "invitations/confirm.html",
        event=event,
        ids=ids,
        sample=contacts,
        filters=filters,
        note=note,
        errors=errors,
        languages=(languages := _languages_of(ids)),
        fallbacks=fallbacks(event, languages),
    )


def _languages_of(ids: list[int]) -> dict[str, int]:
    import sqlalchemy as sa

    counts: dict[str, int] = {}
    for start in range(0, len(ids), 2000):
        for language, count in db.session.execute(
            sa.select(Contact.language, sa.func.count())
            .where(Contact.id.in_(ids[start : start + 2000]))
            .group_by(Contact.language)
        ):
            counts[language.value] = counts.get(language.value, 0) + count
    return counts


@bp.post("/events/<int:event_id>/invitations/send")
@roles_required(*EDITORS)
def send(event_id: int):
    event = lock_event(event_id) or abort(404)
    ids = [i for v in request.form.get("ids", "").split(",") if (i := parse_id(v)) is not None]
    note = (request.form.get("note") or "").strip() or None
    body, errors = validate_form(InviteIn, {"contact_ids": ids, "note": note})
    if errors:
        flash(_("Nothing to send: choose contacts first."), "error")
        return redirect(url_for(".new", event_id=event_id))
    try:
        outcome = operations.invite_contacts(
            event, body.contact_ids, invited_by=current_user, note=body.note
        )
    except (operations.InvitationRefused, operations.UnknownContacts) as exc:
        db.session.rollback()
        flash(getattr(exc, "message", _("Some contacts no longer exist.")), "error")
        return redirect(url_for(".new", event_id=event_id))
    db.session.commit()
    if event.status == EventStatus.draft:
        flash(
            ngettext(
                "%(num)d invitation prepared: it leaves when the event is published.",
                "%(num)d invitations prepared: they leave when the event is published.",
                outcome.created,
            ),
            "success",
        )
        return redirect(url_for(".event_invitations", event_id=event_id))
    flash(
        ngettext(
            "%(num)d invitation is on its way.",
            "%(num)d invitations are on their way.",
            outcome.emails_queued,
        ),
        "success",
    )
    return redirect(
        url_for(
            ".progress", event_id=event_id, kind="invitation", from_id=outcome.first_outgoing_id
        )
    )


@bp.get("/events/<int:event_id>/invitations/preview")
@roles_required(*EDITORS)
def preview(event_id: int):
    """The email as an invitee in `lang` would get it, on its own page: the email's inline styles
    need a CSP of their own (no scripts at all)."""
    event = event_or_404(event_id)
    language = request.args.get("lang", "tr")
    if language not in {lang.value for lang in Language}:
        abort(404)
    kind = request.args.get("kind", "invitation")
    if kind not in ("invitation", "reminder", "update", "cancellation"):
        abort(404)
    rendered = preview_email(event, language, kind=kind, note=request.args.get("note"))
    if request.args.get("format") == "text":
        response = make_response(rendered.text)
        response.mimetype = "text/plain"
    else:
        response = make_response(
            render_template(
                "invitations/preview.html",
                rendered=rendered,
                event=event,
                language=language,
                fallbacks=fallbacks(event, {language: 1}),
            )
        )
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "frame-ancestors 'none'; form-action 'none'; base-uri 'none'"
    )
    return response


# --- progress and history ----------------------------------------------------------------------


@bp.get("/events/<int:event_id>/invitations/progress")
@roles_required(*EDITORS)
def progress(event_id: int):
    event = event_or_404(event_id)
    from_id = parse_id(request.args.get("from_id"))
    kind = request.args.get("kind") or None
    return render_template(
        "invitations/progress.html",
        event=event,
        from_id=from_id,
        kind=kind,
        state=queries.progress(event.id, from_id, kind),
        keys=queries.PROGRESS_KEYS,
    )


@bp.get("/events/<int:event_id>/invitations/<int:invitation_id>")
@roles_required(*EDITORS)
def history(event_id: int, invitation_id: int):
    invitation = db.get_or_404(Invitation, invitation_id)
    if invitation.event_id != event_id:
        abort(404)
    return render_template(
        "invitations/history.html",
        event=invitation.event,
        invitation=invitation,
        history=queries.history(invitation),
    )


@bp.post("/events/<int:event_id>/invitations/<int:invitation_id>/resend")
@roles_required(*EDITORS)
def resend(event_id: int, invitation_id: int):
    invitation = db.get_or_404(Invitation, invitation_id)
    if invitation.event_id != event_id:
        abort(404)
    try:
        operations.resend_invitation(invitation, by=current_user)
    except operations.InvitationRefused as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("The invitation is sent again."), "success")
    return redirect(url_for(".history", event_id=event_id, invitation_id=invitation_id))
