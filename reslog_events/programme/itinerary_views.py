"""The organisers' itinerary pages of a visit: sites per day, the delegation (who travels,
arrival and departure, visa and accommodation notes), and sending the itinerary by email."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..auth.permissions import EDITORS, roles_required
from ..core.datetimes import input_value
from ..core.routing import parse_id
from ..core.validation import labelled
from ..core.web import form_data, validate_form
from ..events.models import Event
from ..events.visibility import event_or_404
from ..extensions import db
from . import itinerary, operations, queries
from .models import DelegationMember, ItinerarySite
from .schemas import MemberIn, MemberPatch, SiteIn

bp = Blueprint("itinerary", __name__)

_SITE_FIELDS = (
    "day",
    "host_name",
    "host_organisation_id",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "notes",
    "position",
)
_MEMBER_TEXT = ("travel_details", "visa_notes", "accommodation_notes")


def _site_values(site: ItinerarySite) -> dict[str, Any]:
    return {field: getattr(site, field) for field in _SITE_FIELDS}


def _member_values(member: DelegationMember) -> dict[str, Any]:
    zone = member.invitation.event.zone
    values: dict[str, Any] = {field: getattr(member, field) for field in _MEMBER_TEXT}
    for field in ("arrives_at", "departs_at"):
        values[field] = input_value(getattr(member, field), zone)
    values["invitation_id"] = member.invitation_id
    return values


def _submitted_site() -> tuple[dict[str, Any], dict[str, Any]]:
    values = form_data()
    data = {k: v for k, v in values.items() if not (k in ("notes", "position") and v is None)}
    return values, data


def _render(
    event: Event,
    *,
    site_values=None,
    site_errors=None,
    member_values=None,
    member_errors=None,
    status: int = 200,
):
    members = queries.delegation_of(event)
    return render_template(
        "programme/itinerary.html",
        event=event,
        days=queries.agenda_days(event),
        event_days=queries.event_days(event),
        settings=queries.settings_of(event),
        members=members,
        news={m.id: itinerary.has_news(m) for m in members},
        candidates=queries.invitees_outside_delegation(event),
        site_values=site_values or {},
        site_errors=site_errors or {},
        member_values=member_values or {},
        member_errors=member_errors or {},
    ), status


@bp.get("/events/<int:event_id>/itinerary", endpoint="itinerary")
@roles_required(*EDITORS)
def itinerary_page(event_id: int):
    return _render(event_or_404(event_id))


@bp.post("/events/<int:event_id>/itinerary/sites")
@roles_required(*EDITORS)
def add_site(event_id: int):
    event = event_or_404(event_id)
    values, data = _submitted_site()
    parsed, errors = validate_form(SiteIn, data)
    if parsed is not None:
        try:
            site = operations.create_site(event, parsed)
        except (operations.ProgrammeError, operations.ProgrammeConflict) as exc:
            errors = getattr(exc, "fields", None) or {"host_name": str(exc)}
        else:
            db.session.commit()
            flash(_("Site “%(name)s” added.", name=site.host_name), "success")
            return redirect(url_for(".itinerary", event_id=event.id))
    db.session.rollback()
    return _render(event, site_values=values, site_errors=errors, status=422)


@bp.route("/events/<int:event_id>/itinerary/sites/<int:site_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_site(event_id: int, site_id: int):
    site = db.get_or_404(ItinerarySite, site_id)
    if site.event_id != event_id:
        abort(404)
    values, errors = _site_values(site), {}
    if request.method == "POST":
        values, data = _submitted_site()
        parsed, errors = validate_form(SiteIn, data)
        if parsed is not None:
            try:
                operations.update_site(site, parsed.model_dump())
            except (operations.ProgrammeError, operations.ProgrammeConflict) as exc:
                errors = getattr(exc, "fields", None) or {"host_name": str(exc)}
            else:
                db.session.commit()
                flash(_("Site “%(name)s” saved.", name=site.host_name), "success")
                return redirect(url_for(".itinerary", event_id=event_id))
        db.session.rollback()
    return render_template(
        "programme/site_form.html",
        event=site.event,
        site=site,
        values=values,
        errors=errors,
        event_days=queries.event_days(site.event),
    ), (422 if errors else 200)


@bp.post("/events/<int:event_id>/itinerary/sites/<int:site_id>/delete")
@roles_required(*EDITORS)
def delete_site(event_id: int, site_id: int):
    site = db.get_or_404(ItinerarySite, site_id)
    if site.event_id != event_id:
        abort(404)
    operations.delete_site(site)
    db.session.commit()
    flash(_("Site removed."), "success")
    return redirect(url_for(".itinerary", event_id=event_id))


@bp.post("/events/<int:event_id>/delegation")
@roles_required(*EDITORS)
def add_member(event_id: int):
    event = event_or_404(event_id)
    values = form_data()
    parsed, errors = validate_form(MemberIn, values)
    if parsed is not None:
        try:
            member = itinerary.add_member(event, parsed)
        except operations.ProgrammeError as exc:
            errors = labelled(MemberIn, exc.fields)
        except operations.ProgrammeConflict as exc:
            errors = {"invitation_id": exc.message}
        else:
            db.session.commit()
            name = member.invitation.contact.full_name
            flash(_("%(name)s joins the delegation.", name=name), "success")
            return redirect(url_for(".itinerary", event_id=event.id) + "#delegation")
    db.session.rollback()
    return _render(event, member_values=values, member_errors=errors, status=422)


@bp.route("/events/<int:event_id>/delegation/<int:member_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_member(event_id: int, member_id: int):
    member = db.get_or_404(DelegationMember, member_id)
    if member.invitation.event_id != event_id:
        abort(404)
    values, errors = _member_values(member), {}
    if request.method == "POST":
        values = form_data()
        values.pop("invitation_id", None)
        parsed, errors = validate_form(MemberPatch, values)
        if parsed is not None:
            try:
                itinerary.update_member(member, parsed.model_dump())
            except operations.ProgrammeError as exc:
                errors = labelled(MemberIn, exc.fields)
            except operations.ProgrammeConflict as exc:  # the contact was erased
                db.session.rollback()
                flash(exc.message, "error")
                return redirect(url_for(".itinerary", event_id=event_id) + "#delegation")
            else:
                db.session.commit()
                flash(_("Travel details saved."), "success")
                return redirect(url_for(".itinerary", event_id=event_id) + "#delegation")
        db.session.rollback()
    return render_template(
        "programme/member_form.html",
        event=member.invitation.event,
        member=member,
        values=values,
        errors=errors,
    ), (422 if errors else 200)


@bp.post("/events/<int:event_id>/delegation/<int:member_id>/delete")
@roles_required(*EDITORS)
def remove_member(event_id: int, member_id: int):
    member = db.get_or_404(DelegationMember, member_id)
    if member.invitation.event_id != event_id:
        abort(404)
    itinerary.remove_member(member)
    db.session.commit()
    flash(_("Removed from the delegation."), "success")
    return redirect(url_for(".itinerary", event_id=event_id) + "#delegation")


@bp.post("/events/<int:event_id>/itinerary/send")
@roles_required(*EDITORS)
def send_itinerary(event_id: int):
    event = event_or_404(event_id)
    members = None
    member_id = parse_id(request.form.get("member_id"))
    if member_id is not None:
        member = db.get_or_404(DelegationMember, member_id)
        if member.invitation.event_id != event.id:
            abort(404)
        members = [member]
    queued = itinerary.send_itinerary(event, members)
    db.session.commit()
    if queued:
        flash(
            ngettext(
                "The itinerary is on its way to %(num)d person.",
                "The itinerary is on its way to %(num)d people.",
                queued,
            ),
            "success",
        )
    else:
        flash(_("Nobody to send the itinerary to."), "info")
    return redirect(url_for(".itinerary", event_id=event.id) + "#delegation")
