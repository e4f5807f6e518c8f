"""The organisers' side of the answers: counts, needs summary and the filtered list of an event,
exports for the venue, an answer on someone's behalf, revoking an invitation, and a new check-in
code."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..audit.operations import record
from ..auth.permissions import EDITORS, roles_required
from ..core.api import paginate
from ..core.downloads import content_disposition, file_name
from ..core.spreadsheets import delimiter_from
from ..core.web import form_data, validate_form
from ..events.display import event_period
from ..events.models import Event
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from . import exports, operations
from .invitee_pages import LIST_FIELDS, form_errors, language_choices, values_of
from .queries import (
    answer_counts,
    answers_open,
    answers_statement,
    needs_summary,
    waitlist_position,
)
from .schemas import NEED_FILTERS, AccessNeed, AnswersQuery, Diet, ManualAnswer, Reply

bp = Blueprint("answers", __name__)

_FILTERS = ("status", "need", "q")


def _query() -> AnswersQuery:
    """The list's filters from the URL; a filter that does not parse is ignored."""
    args = {key: request.args[key] for key in (*_FILTERS, "page") if request.args.get(key)}
    query, errors = validate_form(AnswersQuery, args)
    if errors:
        for key in errors:
            args.pop(key, None)
        query = AnswersQuery.model_validate(args)
    return query


def _invitation_of(event_id: int, invitation_id: int) -> Invitation:
    invitation = db.get_or_404(Invitation, invitation_id)
    if invitation.event_id != event_id:
        abort(404)
    return invitation


def _edit_links(event_id: int) -> Callable[[int], str]:
    """invitation id → its answer page's URL: built once and the id put in, as url_for writes
    it (a url_for per row of the list: bench/pages.py, the answers page)."""
    head = url_for("answers.edit_answer", event_id=event_id, invitation_id=0).removesuffix("0")
    return lambda invitation_id: f"{head}{invitation_id}"


def need_filter_choices(
    event: Event, diets: dict[str, str] | None = None, access: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """`diets`, `access`: the labels of `Diet` and `AccessNeed` when the caller has them."""
    diets = diets if diets is not None else dict(Diet.choices())
    access = access if access is not None else dict(AccessNeed.choices())
    choices = [("any", _("Any need")), ("interpretation", _("Any interpretation"))]
    choices += [
        (f"interpretation:{code}", _("Interpretation into %(language)s", language=name))
        for code, name in language_choices(list(event.languages or ()))
    ]
    for key in NEED_FILTERS:
        kind, _sep, value = key.partition(":")
        if kind == "diet":
            choices.append((key, str(diets[value])))
        elif kind == "access":
            choices.append((key, str(access[value])))
    return choices


@bp.get("/events/<int:event_id>/answers")
@roles_required(*EDITORS)
def event_answers(event_id: int):
    event = db.get_or_404(Event, event_id)
    query = _query()
    counts = answer_counts(event)
    filtered = any(getattr(query, key) for key in _FILTERS)
    # unfiltered, the list is every invitation: the counts' sum spares its count (bench/pages.py)
    total = None if filtered else sum(getattr(counts, s.value) for s in InvitationStatus)
    page = paginate(answers_statement(event, query), query, total)
    statuses = InvitationStatus.choices()
    diets, access_needs = dict(Diet.choices()), dict(AccessNeed.choices())
    return render_template(
        "rsvp/answers.html",
        event=event,
        period=event_period(event),
        counts=counts,
        needs=needs_summary(event),
        is_open=answers_open(event),
        query=query,
        page=page,
        positions={
            inv.id: waitlist_position(inv)
            for inv in page.items
            if inv.status == InvitationStatus.waitlisted
        },
        statuses=statuses,
        status_labels=dict(statuses),
        need_choices=need_filter_choices(event, diets, access_needs),
        languages=dict(language_choices(list(event.languages or ()))),
        diets=diets,
        access_needs=access_needs,
        edit_link=_edit_links(event.id),
        filtered=filtered,
        export_args={key: request.args[key] for key in _FILTERS if request.args.get(key)},
    )


def _export(event_id: int, kind: str):
    event = db.get_or_404(Event, event_id)
    query = _query()
    invitations = db.session.scalars(answers_statement(event, query)).all()
    record(
        "event.export_answers",
        event,
        {"format": kind, "rows": len(invitations), **query.model_dump(exclude_none=True)},
    )
    db.session.commit()
    if kind == "csv":
        body = exports.to_csv(event, invitations, delimiter_from(request.args.get("sep")))
        mimetype = "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(event, invitations)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    # "Hatay Çalıştayı 2026-03-04 Yanıtlar.xlsx": a name the organiser finds again in Downloads
    name = file_name(event.title, event.local_starts_at.date().isoformat(), _("Answers"), ext=kind)
    response.headers["Content-Disposition"] = content_disposition("attachment", name)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/events/<int:event_id>/answers.csv")
@roles_required(*EDITORS)
def export_csv(event_id: int):
    return _export(event_id, "csv")


@bp.get("/events/<int:event_id>/answers.xlsx")
@roles_required(*EDITORS)
def export_xlsx(event_id: int):
    return _export(event_id, "xlsx")


@bp.route("/events/<int:event_id>/answers/<int:invitation_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_answer(event_id: int, invitation_id: int):
    """An invitee's answer in detail, with the form to answer for them (by phone, by email)."""
    invitation = _invitation_of(event_id, invitation_id)
    event = invitation.event
    values, errors, status = {**values_of(invitation), "note": None}, {}, 200
    if request.method == "POST":
        data = form_data(LIST_FIELDS)
        reply, errors = validate_form(ManualAnswer, data)
        if reply is not None:
            try:
                result = operations.answer(invitation, reply, by=current_user)
            except operations.AnswerRefused as exc:
                db.session.rollback()
                flash(_refused_message(exc.reason), "error")
                return redirect(
                    url_for("answers.edit_answer", event_id=event_id, invitation_id=invitation.id)
                )
            db.session.commit()
            flash(
                _(
                    "Answer saved for %(name)s: %(status)s.",
                    name=invitation.contact.full_name,
                    status=result.status.label,
                ),
                "success",
            )
            for promoted in result.promoted:
                flash(_promoted_message(promoted), "info")
            return redirect(url_for("answers.event_answers", event_id=event_id))
        values, errors, status = data, form_errors(errors), 422
    return render_template(
        "rsvp/edit_answer.html",
        invitation=invitation,
        event=event,
        contact=invitation.contact,
        period=event_period(event),
        position=waitlist_position(invitation),
        values=values,
        errors=errors,
        manual=True,
        form_action=url_for("answers.edit_answer", event_id=event_id, invitation_id=invitation.id),
        deadline=None,
        replies=[Reply.accept, Reply.tentative, Reply.decline],
        diets=Diet.choices(),
        access_needs=AccessNeed.choices(),
        languages=language_choices(list(event.languages or ())),
        retention_months=current_app.config.get("RETENTION_MONTHS", 6),
        organiser_email=current_user.email,
    ), status


def _refused_message(reason: str) -> str:
    if reason == "revoked":
        return _("This invitation was revoked: it cannot be answered.")
    if reason == "cancelled":
        return _("The event is cancelled: answers cannot be changed.")
    if reason == "erased":
        return _("This contact was erased: the invitation cannot be answered.")
    return _("Answers are closed.")


def _promoted_message(invitation: Invitation) -> str:
    return _(
        "%(name)s moved up from the waiting list and was emailed.",
        name=invitation.contact.full_name,
    )


@bp.post("/events/<int:event_id>/answers/<int:invitation_id>/revoke")
@roles_required(*EDITORS)
def revoke(event_id: int, invitation_id: int):
    invitation = _invitation_of(event_id, invitation_id)
    promoted = operations.revoke(invitation, by=current_user)
    db.session.commit()
    flash(_("The invitation of %(name)s is revoked.", name=invitation.contact.full_name), "success")
    for inv in promoted:
        flash(_promoted_message(inv), "info")
    return redirect(url_for("answers.event_answers", event_id=event_id))


@bp.post("/events/<int:event_id>/answers/<int:invitation_id>/rotate-code")
@roles_required(*EDITORS)
def rotate_code(event_id: int, invitation_id: int):
    invitation = _invitation_of(event_id, invitation_id)
    if invitation.status == InvitationStatus.revoked:
        abort(409)
    operations.rotate_code(invitation, by=current_user)
    db.session.commit()
    if invitation.status == InvitationStatus.accepted:
        message = _(
            "%(name)s has a new check-in code, sent by email. The old code no longer works.",
            name=invitation.contact.full_name,
        )
    else:
        message = _(
            "%(name)s has a new check-in code. The old code no longer works.",
            name=invitation.contact.full_name,
        )
    flash(message, "success")
    return redirect(url_for("answers.edit_answer", event_id=event_id, invitation_id=invitation.id))


@bp.post("/events/<int:event_id>/answers/<int:invitation_id>/approve")
@roles_required(*EDITORS)
def approve_colleague(event_id: int, invitation_id: int):
    """Let a colleague sent instead of an invitee have their invitation (events that ask for
    approval)."""
    from ..substitutes.operations import approve

    invitation = _invitation_of(event_id, invitation_id)
    if approve(invitation, by=current_user):
        db.session.commit()
        flash(
            _("%(name)s is invited: the email is on its way.", name=invitation.contact.full_name),
            "success",
        )
    return redirect(url_for("answers.event_answers", event_id=event_id))
