from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter, login_manager
from .models import User
from .operations import authenticate_password

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):  # noqa: SIM102
        if not urlsplit(target).netloc and "\\" not in target:
            return target
    return url_for("home.index")


def _login_account() -> str:
    return "login-account:" + request.form.get("email", "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
# one account guessed from many addresses: failed attempts per account, over every address
@limiter.limit(
    "20 per hour",
    methods=["POST"],
    key_func=_login_account,
    deduct_when=lambda response: response.status_code == 401,
)
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    error = None
    email = request.form.get("email", "")
    if request.method == "POST":
        user = authenticate_password(email, request.form.get("password", ""))
        if user is None:
            error = _("Wrong email or password.")
        else:
            db.session.commit()
            login_user(user, remember=bool(request.form.get("remember")))
            return redirect(_safe_next(request.args.get("next")))
    status = 401 if error else 200
    return render_template("auth/login.html", error=error, email=email), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))
