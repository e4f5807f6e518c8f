"""The email an invitee would get, for the organisers' preview: rendered exactly as the worker
renders it, for a sample invitee (a contact of the event's audience in that language, or a made-up
one) whose RSVP link goes nowhere."""

from __future__ import annotations

from babel import Locale
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from ..core.tokens import seal
from ..directory.models import Contact, Language
from ..events.models import Event
from ..mail.messages import RenderedEmail
from .models import Invitation, InvitationStatus
from .notifications import render_invitation_email

PREVIEW_TOKEN = "preview-not-a-real-link"  # noqa: S105 - a placeholder, not a secret


def sample_invitation(event: Event, language: str) -> Invitation:
    """A transient invitation (never added to the session) for a sample invitee."""
    with force_locale(language):
        name = _("Ayşe Yılmaz (example)")
    contact = Contact(full_name=name, email="example@example.org", language=Language(language))
    return Invitation(
        event=event,
        contact=contact,
        status=InvitationStatus.pending,
        uid="preview",
        token_hash="",
        token_sealed=seal(PREVIEW_TOKEN),
        checkin_code_hash="",
        checkin_code_sealed="",
    )


def preview_email(
    event: Event, language: str, *, kind: str = "invitation", note: str | None = None
) -> RenderedEmail:
    invitation = sample_invitation(event, language)
    payload = {"note": note} if note else {}
    with force_locale(language):
        return render_invitation_email(invitation, kind, payload, language)


def fallbacks(event: Event, languages: dict[str, int]) -> list[dict[str, object]]:
    """The invitees' languages (counted as in `languages`) that have no title of their own in
    the event: they will get the default language's; each with its name in the page's
    language, for the confirmation page's warning."""
    default = current_app.config["DEFAULT_LANGUAGE"]
    page = str(get_locale() or default)
    return [
        {
            "code": code,
            "num": count,
            "language": Locale.parse(code).get_display_name(page),
            "default": Locale.parse(default).get_display_name(page),
        }
        for code, count in sorted(languages.items())
        if code != default and count and not event.has_translation(code)
    ]
