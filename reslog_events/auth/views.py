from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..audit.operations import record
from ..core.routing import parse_id
from ..core.turkish import email_lower
from ..extensions import db, limiter, login_manager
from .models import User
from .operations import authenticate_password

bp = Blueprint("auth", __name__)

_VERSION = re.compile(r"[0-9]{1,9}")
#: the session key holding when the session was last used (Unix seconds)
SEEN_KEY = "_seen"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of a session or remember-me cookie ("<id>:<session version>"): an id without
    the user's current version (logged out, password changed, deactivated) opens nothing."""
    ident, _sep, version = user_id.partition(":")
    number = parse_id(ident)
    if number is None or not _VERSION.fullmatch(version):
        return None
    user = db.session.get(User, number)
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):  # noqa: SIM102
        if not urlsplit(target).netloc and "\\" not in target:
            return target
    return url_for("home.index")


def _login_account() -> str:
    return "login-account:" + email_lower(request.form.get("email", ""))


def start_session(user: User, *, remember: bool) -> None:
    """Log `user` in on this browser (after the password was checked or set)."""
    session.permanent = remember
    login_user(user, remember=remember)
    session[SEEN_KEY] = int(time.time())


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
    errors: dict[str, str] = {}
    email = request.form.get("email", "")
    if request.method == "POST":
        password = request.form.get("password", "")
        if not email.strip():
            errors["email"] = _("Enter your email address.")
        if not password:
            errors["password"] = _("Enter your password.")
        user = None if errors else authenticate_password(email, password)
        if errors:
            error = _("Please correct the fields marked below.")
        elif user is None:
            error = _("Wrong email or password.")
        else:
            record("user.login", user, actor="user", user_id=user.id)
            db.session.commit()
            start_session(user, remember=bool(request.form.get("remember")))
            return redirect(_safe_next(request.args.get("next")))
    status = 422 if errors else 401 if error else 200
    return render_template("auth/login.html", error=error, errors=errors, email=email), status


@bp.post("/logout")
@login_required
def logout():
    """Logging out ends every session of the user, on every device: a copy of this browser's
    cookies (or a forgotten session elsewhere) opens nothing afterwards."""
    user = current_user._get_current_object()
    user.end_sessions()
    record("user.logout", user, actor="user", user_id=user.id)
    db.session.commit()
    logout_user()
    session.pop(SEEN_KEY, None)
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


def end_idle_session() -> None:
    """A session unused for SESSION_IDLE_MINUTES ends here (and the browser's remember-me
    cookie with it); the request goes on as anonymous (pages: to the login page, API: 401)."""
    if "_user_id" not in session:
        return
    now = int(time.time())
    seen = session.get(SEEN_KEY)
    if isinstance(seen, int) and now - seen > current_app.config["SESSION_IDLE_MINUTES"] * 60:
        logout_user()
        session.pop(SEEN_KEY, None)
        if not request.path.startswith("/api/"):
            flash(_("You were logged out after a time without activity. Please log in again."))
    elif not isinstance(seen, int) or now - seen >= 30:
        # at most every 30 s: the cookie is not signed and sent anew for every scan
        session[SEEN_KEY] = now
