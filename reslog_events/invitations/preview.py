"""The email an invitee would get, for the organisers' preview: rendered exactly as the worker
renders it, for a sample invitee (a contact of the event's audience in that language, or a made-up
one) whose RSVP link goes nowhere."""

from __future__ import annotations

from babel import Locale
from flask import current_app
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _

from ..core.tokens import seal
from ..core.web import list_sep
from ..directory.models import Contact, Language
from ..events.models import Event
from ..mail.messages import RenderedEmail
from .models import Invitation, InvitationStatus
from .notifications import event_agenda_days, render_invitation_email

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


def _missing_in(event: Event, code: str, sessions: list) -> list[str]:
    """What of the event's content an invitee reading `code` gets in the default language."""
    missing = []
    if not event.has_translation(code):
        missing.append(_("the title and description"))
    if event.venue_notes and not event.has_text_in("venue_notes", code):
        missing.append(_("the venue notes"))
    untranslated = sum(1 for session in sessions if not session.has_text_in("title", code))
    if untranslated:
        missing.append(
            ngettext(
                "%(num)d agenda session title",
                "%(num)d agenda session titles",
                untranslated,
            )
        )
    return missing


def fallbacks(event: Event, languages: dict[str, int]) -> list[dict[str, object]]:
    """The invitees' languages (counted as in `languages`) in which some of the event's
    content (title and description, venue notes, agenda session titles) is missing: they will
    get the default language's; each with the language's name and the missing parts in the
    page's language, for the confirmation page's and the preview's warning."""
    default = current_app.config["DEFAULT_LANGUAGE"]
    page = str(get_locale() or default)
    sessions = [session for day in event_agenda_days(event) for session in day.sessions]
    warnings = []
    for code, count in sorted(languages.items()):
        if code == default or not count:
            continue
        missing = _missing_in(event, code, sessions)
        if missing:
            warnings.append(
                {
                    "code": code,
                    "num": count,
                    "language": Locale.parse(code).get_display_name(page),
                    "default": Locale.parse(default).get_display_name(page),
                    "parts": list_sep().join(missing),
                }
            )
    return warnings
