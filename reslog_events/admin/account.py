"""Everyone's own account page (password, API tokens), revoking a token, and the one-time
link pages where an invited user chooses a password or a user sets a new one."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..auth.models import ApiToken, Role
from ..auth.views import start_session
from ..core.web import validate_form
from ..extensions import db, limiter
from . import operations
from .operations import AdminError
from .queries import tokens_of, union_codes
from .schemas import NewPasswordIn, PasswordChangeIn

bp = Blueprint("account", __name__)

PASSWORD_FIELDS = ("current_password", "new_password", "repeat_password")


def _passwords(*names: str) -> dict[str, str | None]:
    # passwords as typed: form_data() would trim their blanks
    return {name: request.form.get(name) or None for name in names}


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    user = current_user._get_current_object()
    errors: dict[str, str] = {}
    if request.method == "POST":
        data, errors = validate_form(PasswordChangeIn, _passwords(*PASSWORD_FIELDS))
        if data is not None:
            if operations.change_password(user, data.current_password, data.new_password):
                db.session.commit()
                # the other sessions ended with the change; this browser stays logged in
                remember = request.cookies.get("remember_token") is not None
                start_session(user, remember=remember)
                flash(
                    _("Your password was changed. You were logged out everywhere else."),
                    "success",
                )
                return redirect(url_for("account.account"))
            errors = {"current_password": _("This is not your current password.")}
    return render_template(
        "admin/account.html",
        user=user,
        codes=union_codes(),
        tokens=tokens_of(user.id),
        errors=errors,
    ), 422 if errors else 200


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke an API token: one's own, or as an administrator one of a user they manage."""
    token = db.session.get(ApiToken, token_id)
    user = current_user._get_current_object()
    if token is None:
        abort(404)
    try:
        operations.revoke_token(token, by=user)
    except AdminError:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(_("The token %(prefix)s… was revoked.", prefix=token.prefix), "success")
    if token.user_id != user.id and user.role == Role.admin:
        return redirect(url_for("admin.user", user_id=token.user_id))
    return redirect(url_for("account.account"))


@bp.route("/account/password/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute")
def set_password(token: str):
    """The page of an invitation or reset link: choose a password, once."""
    link = operations.link_for_token(token)
    if link is None:
        return render_template("admin/link_gone.html"), 404
    errors: dict[str, str] = {}
    if request.method == "POST":
        data, errors = validate_form(NewPasswordIn, _passwords(*PASSWORD_FIELDS[1:]))
        if data is not None:
            operations.set_password_with_link(link, data.new_password)
            db.session.commit()
            if current_user.is_authenticated:
                logout_user()
            flash(_("Your password is set. Log in with it now."), "success")
            return redirect(url_for("auth.login"))
    return render_template(
        "admin/set_password.html", link=link, errors=errors
    ), 422 if errors else 200
