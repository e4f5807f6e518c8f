"""Emails of administration: an invitation to set a password, a password reset."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import RTL_LANGUAGES, db
from ..mail.messages import RenderedEmail, SkipEmail, renderer
from ..mail.models import OutgoingEmail
from .models import LINK_VALIDITY, AccountLink, LinkPurpose


def _render_link_email(outgoing: OutgoingEmail, purpose: LinkPurpose) -> RenderedEmail:
    from ..core.tokens import unseal

    link = db.session.get(AccountLink, int(outgoing.payload["link_id"]))
    token = unseal(outgoing.payload.get("token", ""))
    if link is None or token is None or not link.usable():
        raise SkipEmail("the link was used, replaced or has expired")
    language = outgoing.language
    with force_locale(language):
        if purpose is LinkPurpose.invite:
            subject = _("You are invited to RESLOG Events")
        else:
            subject = _("Set a new password for RESLOG Events")
        context = {
            "subject": subject,
            "purpose": purpose.value,
            "lang": language,
            "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
            "name": link.user.name,
            "email": link.user.email,
            "link": current_app.config["PUBLIC_BASE_URL"].rstrip("/")
            + f"/account/password/{token}",
            "hours": int(LINK_VALIDITY[purpose].total_seconds() // 3600),
        }
        return RenderedEmail(
            subject=subject,
            text=render_template("admin/email/link.txt", **context),
            html=render_template("admin/email/link.html", **context),
        )


@renderer("account_invite")
def render_account_invite(outgoing: OutgoingEmail) -> RenderedEmail:
    return _render_link_email(outgoing, LinkPurpose.invite)


@renderer("password_reset")
def render_password_reset(outgoing: OutgoingEmail) -> RenderedEmail:
    return _render_link_email(outgoing, LinkPurpose.reset)
