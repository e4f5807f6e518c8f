"""The administrators' pages: users (list, invite, role and union, deactivate, reactivate,
password reset, their API tokens). A union's administrator sees and acts on their union's
users only; anyone else's page is a 404 to them. Thin: operations do the work."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.models import Role, User
from ..auth.permissions import ADMINS, roles_required
from ..core.api import PageQuery, paginate
from ..core.routing import parse_id
from ..core.web import form_data, validate_form
from ..extensions import LANGUAGES, db
from . import operations
from .operations import AdminError
from .queries import tokens_of, union_codes, unions, users_for
from .schemas import InviteIn, RoleIn

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 50


def _admin() -> User:
    return current_user._get_current_object()


def _managed_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not operations.manages(_admin(), user):
        abort(404)
    return user


def _form_context(values: dict, errors: dict) -> dict:
    admin = _admin()
    union_choices = [(u.id, u.code or u.name) for u in unions()]
    if admin.union_id is not None:
        union_choices = [c for c in union_choices if c[0] == admin.union_id]
    return {
        "values": values,
        "errors": errors,
        "roles": Role.choices(),
        "union_choices": union_choices,
        "programme_wide": admin.union_id is None,
        "languages": LANGUAGES,
    }


@bp.get("/users")
@roles_required(*ADMINS)
def users():
    page = min(parse_id(request.args.get("page")) or 1, 1_000_000)
    found = paginate(users_for(_admin()), PageQuery(page=page, per_page=PER_PAGE))
    return render_template(
        "admin/users.html",
        users=found.items,
        codes=union_codes(),
        page=page,
        per_page=PER_PAGE,
        total=found.total,
    )


def _union_value(values: dict) -> dict:
    """The form's union: the union administrator's own, whatever was sent."""
    admin = _admin()
    if admin.union_id is not None:
        values["union_id"] = admin.union_id
    return values


@bp.route("/users/invite", methods=["GET", "POST"])
@roles_required(*ADMINS)
def invite():
    values: dict = {"language": _admin().language or "tr", "role": Role.organiser.value}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _union_value(form_data())
        data, errors = validate_form(InviteIn, values)
        if data is not None:
            try:
                user, _token = operations.invite_user(
                    data.email,
                    data.role,
                    name=data.name,
                    union_id=data.union_id,
                    language=data.language,
                    by=_admin(),
                )
            except AdminError as exc:
                db.session.rollback()
                errors = {exc.field or "email": exc.message}
            else:
                db.session.commit()
                flash(_("The invitation was sent to %(email)s.", email=user.email), "success")
                return redirect(url_for("admin.user", user_id=user.id))
    return render_template(
        "admin/invite.html", **_form_context(values, errors)
    ), 422 if errors else 200


@bp.get("/users/<int:user_id>")
@roles_required(*ADMINS)
def user(user_id: int):
    person = _managed_user(user_id)
    values = {"role": person.role.value, "union_id": person.union_id}
    return _user_page(person, values, {})


def _user_page(person: User, values: dict, errors: dict, status: int = 200):
    return render_template(
        "admin/user.html",
        person=person,
        codes=union_codes(),
        tokens=tokens_of(person.id),
        is_self=person.id == _admin().id,
        **_form_context(values, errors),
    ), status


@bp.post("/users/<int:user_id>/role")
@roles_required(*ADMINS)
def set_role(user_id: int):
    person = _managed_user(user_id)
    values = _union_value(form_data())
    data, errors = validate_form(RoleIn, values)
    if data is not None:
        try:
            changed = operations.set_role(person, data.role, data.union_id, by=_admin())
        except AdminError as exc:
            db.session.rollback()
            errors = {exc.field or "role": exc.message}
        else:
            db.session.commit()
            if changed:
                flash(_("The role was changed; the user's sessions have ended."), "success")
            return redirect(url_for("admin.user", user_id=person.id))
    return _user_page(person, values, errors, 422)


def _act(user_id: int, action, message: str):
    person = _managed_user(user_id)
    try:
        action(person, by=_admin())
    except AdminError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("admin.user", user_id=person.id))


@bp.post("/users/<int:user_id>/deactivate")
@roles_required(*ADMINS)
def deactivate(user_id: int):
    message = _("The user was deactivated: their sessions and API tokens no longer work.")
    return _act(user_id, operations.deactivate_user, message)


@bp.post("/users/<int:user_id>/reactivate")
@roles_required(*ADMINS)
def reactivate(user_id: int):
    return _act(user_id, operations.reactivate_user, _("The user can log in again."))


@bp.post("/users/<int:user_id>/password-reset")
@roles_required(*ADMINS)
def password_reset(user_id: int):
    message = _("A link to set a new password was sent by email.")
    return _act(user_id, operations.send_password_reset, message)
