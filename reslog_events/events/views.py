"""The organisers' event pages: the list, an event's hub, the create/edit form, and publishing
and cancelling, each behind a confirmation that says who will be notified."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.models import Role
from ..auth.permissions import DOOR, EDITORS, EVENT_READERS, REPORTERS, roles_required
from ..core.api import paginate
from ..core.countries import country_code
from ..core.datetimes import input_value
from ..core.validation import label_of, labelled, with_label
from ..core.web import form_data, validate_form
from ..directory.models import Language
from ..extensions import db
from ..teams import queries as team_queries
from . import change_notice, operations, queries
from .display import (
    content_in,
    content_languages,
    default_language_name,
    event_description,
    event_moment,
    event_period,
    event_title,
    event_venue_notes,
    session_title,
)
from .models import CertificatePolicy, Event, EventKind, EventLevel, EventStatus
from .schemas import COMMON_TIMEZONES, EventIn, EventQuery, default_timezone
from .visibility import event_or_404, is_union_scoped

bp = Blueprint("events", __name__)
bp.add_app_template_global(event_period, "event_period")
bp.add_app_template_global(event_moment, "event_moment")
bp.add_app_template_global(event_title, "event_title")
bp.add_app_template_global(event_description, "event_description")
bp.add_app_template_global(event_venue_notes, "event_venue_notes")
bp.add_app_template_global(session_title, "session_title")
bp.add_app_template_global(content_in, "content_in")
bp.add_app_template_global(content_languages, "content_languages")
bp.add_app_template_global(default_language_name, "default_language_name")

PER_PAGE = 20
_FILTERS = ("kind", "level", "status", "q")


def _list_query() -> EventQuery:
    """The list's filters from the URL; a filter that does not parse is ignored."""
    args = {key: request.args[key] for key in (*_FILTERS, "page") if request.args.get(key)}
    args["when"] = "past" if request.args.get("when") == "past" else "upcoming"
    args["per_page"] = PER_PAGE
    query, errors = validate_form(EventQuery, args)
    if errors:
        for key in errors:
            args.pop(key, None)
        query = EventQuery.model_validate(args)
    return query


@bp.get("/events")
@roles_required(*EVENT_READERS)
def list_events():
    if current_user.role == Role.staff:
        # the door's phone: only what can be scanned at today
        return render_template("events/door.html", events=queries.door_events_today(current_user))
    query = _list_query()
    page = paginate(queries.events_statement(query, current_user), query)
    filtered = any(getattr(query, key) is not None for key in _FILTERS)
    return render_template(
        "events/list.html",
        events=page.items,
        total=page.total,
        query=query,
        filtered=filtered,
        kinds=EventKind.choices(),
        levels=EventLevel.choices(),
        certificate_policies=CertificatePolicy.choices(),
        statuses=EventStatus.choices(),
        can_edit=current_user.role in EDITORS,
    )


def _links(event: Event) -> list[tuple[str, str]]:
    """The event's pages in other features, for the roles that may open them."""
    role = current_user.role
    candidates = [
        ("programme.agenda", _("Agenda"), EVENT_READERS, {"event_id": event.id}),
        ("itinerary.itinerary", _("Itinerary and delegation"), EDITORS, {"event_id": event.id}),
        ("invitations.event_invitations", _("Invitations"), EDITORS, {"event_id": event.id}),
        ("answers.event_answers", _("Answers"), EDITORS, {"event_id": event.id}),
        ("messages.compose", _("Message to a group"), EDITORS, {"event_id": event.id}),
        ("documents.event_documents", _("Minutes and documents"), EDITORS, {"event_id": event.id}),
        ("series.copy", _("Copy to another day"), EDITORS, {"event_id": event.id}),
        ("series.series", _("Series"), EDITORS, {"event_id": event.id}),
        ("certificates.download_all", _("All certificates (ZIP)"), EDITORS, {"event_id": event.id}),
        ("checkin.scanner", _("Check-in scanner"), DOOR, {"event_id": event.id}),
        ("checkin.log", _("Check-in log"), DOOR, {"event_id": event.id}),
        ("reports.dashboard", _("Attendance report"), REPORTERS, {"event_id": event.id}),
        ("feedback.results_page", _("Feedback"), REPORTERS, {"event_id": event.id}),
    ]
    return [
        (url_for(name, **args), label)
        for name, label, roles, args in candidates
        if name in current_app.view_functions and role in roles
    ]


@bp.get("/events/<int:event_id>")
@roles_required(*EVENT_READERS)
def detail(event_id: int):
    event = event_or_404(event_id)
    can_edit = current_user.role in EDITORS
    team = team_queries.team_of(event.id) if can_edit else []
    candidates = team_queries.candidates(event.id) if can_edit else []
    return render_template(
        "events/detail.html",
        event=event,
        answers=queries.answer_counts(event.id, current_user),
        links=_links(event),
        can_edit=can_edit,
        team=team,
        team_candidates=candidates,
        team_unions=team_queries.union_codes(
            [m.user_id for m in team] + [u.id for u in candidates]
        ),
    )


def _values_of(event: Event | None) -> dict[str, Any]:
    """What the form shows for an event (times as wall-clock times in its zone)."""
    if event is None:
        # a union-scoped organiser's events are their union's unless they name a member
        host = current_user.union_id if is_union_scoped(current_user) else None
        return {
            "timezone": default_timezone(),
            "languages": [],
            "host_organisation_id": host,
            "reminder_hours": 24,
            "certificates": CertificatePolicy.on_request.value,
        }
    return {
        "title": event.title,
        "kind": event.kind.value,
        "level": event.level.value,
        "starts_at": input_value(event.starts_at, event.zone),
        "ends_at": input_value(event.ends_at, event.zone),
        "timezone": event.timezone,
        "venue": event.venue,
        "address": event.address,
        "city": event.city,
        "country": event.country,
        "online_url": event.online_url,
        "venue_notes": event.venue_notes,
        "capacity": event.capacity,
        "reminder_hours": event.reminder_hours,
        "certificates": event.certificates.value,
        "rsvp_deadline": input_value(event.rsvp_deadline, event.zone),
        "languages": list(event.languages or []),
        "description": event.description,
        **_translation_values(event.translations or {}),
        "substitutes_need_approval": event.substitutes_need_approval,
        "is_public": event.is_public,
        "host_organisation_id": event.host_organisation_id,
    }


def _other_languages() -> list[tuple[str, str]]:
    """The languages of the form's optional tabs: all but the default one."""
    default = current_app.config["DEFAULT_LANGUAGE"]
    return [(code, label) for code, label in Language.choices() if code != default]


#: the texts each language tab holds (`title_ar`, `description_ar`, `venue_notes_ar`)
_TAB_FIELDS = ("title", "description", "venue_notes")


def _translation_values(translations: dict[str, dict[str, str]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for code, text in translations.items():
        for field in _TAB_FIELDS:
            values[f"{field}_{code}"] = text.get(field)
    return values


def _translations_of(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The tabs' fields as `translations`: a tab left empty is no translation; one with a
    description or venue notes but no title fails the title's check."""
    translations = {}
    for code, _label in _other_languages():
        texts = {field: data.pop(f"{field}_{code}", None) or "" for field in _TAB_FIELDS}
        if any(texts.values()):
            translations[code] = texts
    return translations


def _submitted() -> dict[str, Any]:
    data = form_data(("languages",))
    for steering in change_notice.STEERING:
        data.pop(steering, None)
    data["is_public"] = data.get("is_public") is not None
    data["substitutes_need_approval"] = data.get("substitutes_need_approval") is not None
    data.setdefault("description", "")
    data["translations"] = _translations_of(data)
    # the picker sends a code; a name (an old form, a script) is taken in any language too
    if data.get("country"):
        data["country"] = country_code(data["country"]) or data["country"]
    return data


def tab_field(field: str) -> str:
    """The form's name of a schema field: `translations.ar.title` is the tab's `title_ar`."""
    parts = field.split(".")
    if parts[0] == "translations" and len(parts) == 3:
        return f"{parts[2]}_{parts[1]}"
    return field


def _form_errors(errors: dict[str, str], data: dict[str, Any]) -> dict[str, str]:
    """The schema's messages, with a plain "required" for what was left empty."""
    shown = {}
    for field, message in errors.items():
        name = tab_field(field)
        if name.startswith("title_"):
            language = name.removeprefix("title_")
            if not (data["translations"].get(language) or {}).get("title"):
                message = _("Give a title in this language too, or leave the tab empty.")
        elif data.get(field) in (None, "", []):
            message = _("This field is required.")
        shown[name] = with_label(label_of(EventIn, field.split(".")), message)
    return shown


def _shown_values(data: dict[str, Any]) -> dict[str, Any]:
    """A submitted form's values as the form shows them again."""
    return {**data, **_translation_values(data.get("translations") or {})}


def _render_form(event: Event | None, values: dict[str, Any], errors: dict[str, str]):
    zones = list(COMMON_TIMEZONES)
    if values.get("timezone") and values["timezone"] not in zones:
        zones.insert(0, values["timezone"])
    hosts = queries.host_choices(current_user)
    host = event.host_organisation if event is not None else None
    if host is not None and host.id not in {key for key, _label in hosts}:
        hosts.insert(0, (host.id, host.label))
    return render_template(
        "events/form.html",
        event=event,
        values=values,
        errors=errors,
        kinds=EventKind.choices(),
        levels=EventLevel.choices(),
        certificate_policies=CertificatePolicy.choices(),
        zones=[(zone, zone.replace("_", " ")) for zone in zones],
        languages=Language.choices(),
        default_language=default_language_name(),
        other_languages=_other_languages(),
        hosts=hosts,
        notify=queries.invitees_to_notify(event.id) if event is not None else 0,
    ), (422 if errors else 200)


@bp.route("/events/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new():
    if request.method == "GET":
        return _render_form(None, _values_of(None), {})
    data = _submitted()
    parsed, errors = validate_form(EventIn, data)
    errors = _form_errors(errors, data)
    if parsed is not None:
        try:
            event = operations.create_event(parsed, current_user)
        except operations.InvalidEvent as exc:
            db.session.rollback()
            errors = {
                tab_field(field): message
                for field, message in labelled(EventIn, exc.fields).items()
            }
        else:
            db.session.commit()
            flash(_("The event was created as a draft."), "success")
            return redirect(url_for(".detail", event_id=event.id))
    return _render_form(None, _shown_values(data), errors)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(event_id: int):
    event = event_or_404(event_id)
    if event.is_cancelled:
        flash(_("A cancelled event cannot be changed."), "error")
        return redirect(url_for(".detail", event_id=event.id))
    if request.method == "GET":
        return _render_form(event, _values_of(event), {})
    data = _submitted()
    if request.form.get("back"):  # from the confirmation: the form again, as it was filled
        return _render_form(event, _shown_values(data), {})
    parsed, errors = validate_form(EventIn, data)
    errors = _form_errors(errors, data)
    if parsed is not None:
        event = operations.lock_event(event_id) or event
        try:
            changes = operations.update_event(
                event, parsed.model_dump(exclude={"status"}), current_user
            )
        except operations.InvalidEvent as exc:
            db.session.rollback()
            errors = {
                tab_field(field): message
                for field, message in labelled(EventIn, exc.fields).items()
            }
        except operations.EventConflict as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(url_for(".detail", event_id=event_id))
        else:
            confirmed = request.form.get("confirm_notify") == "1"
            if not confirmed and change_notice.needs_confirmation(event, changes):
                return change_notice.confirmation_page(event, changes)
            db.session.commit()
            if not changes:
                flash(_("Nothing was changed."), "info")
            elif event.status == EventStatus.published and (
                set(changes) & set(operations.NOTIFYING_FIELDS)
                or operations.notes_languages(event, changes)
            ):
                flash(_("Saved. The invitees will get an updated calendar entry."), "success")
            else:
                flash(_("Saved."), "success")
            return redirect(url_for(".detail", event_id=event.id))
    return _render_form(event, _shown_values(data), errors)


def _confirmed_change(event_id: int, action: str):
    """GET: the confirmation page stating the consequences; POST: do it."""
    event = event_or_404(event_id)
    if request.method == "POST":
        event = operations.lock_event(event_id) or event
        write = operations.publish_event if action == "publish" else operations.cancel_event
        try:
            write(event)
        except operations.EventConflict as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            if action == "publish":
                flash(_("The event is published."), "success")
            else:
                flash(_("The event is cancelled."), "success")
        return redirect(url_for(".detail", event_id=event_id))
    blocked = event.is_cancelled or (action == "publish" and event.status == EventStatus.published)
    return render_template(
        "events/confirm.html",
        event=event,
        action=action,
        blocked=blocked,
        notify=queries.invitees_to_notify(event.id),
        invited=sum(
            count
            for status, count in queries.invitation_summary(event.id).items()
            if status != "revoked"
        ),
    )


@bp.route("/events/<int:event_id>/publish", methods=["GET", "POST"])
@roles_required(*EDITORS)
def publish(event_id: int):
    return _confirmed_change(event_id, "publish")


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
@roles_required(*EDITORS)
def cancel(event_id: int):
    return _confirmed_change(event_id, "cancel")
