"""The organisers' page for a message to a group: write it (once, or per language), see how many
people it will reach and what each language's readers will get, then confirm. Nothing is sent
before the confirmation; the confirmation sends what was previewed."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from ..auth.permissions import EDITORS, roles_required
from ..core.columns import utcnow
from ..core.web import form_data, validate_form
from ..directory.models import Language
from ..events.display import event_period
from ..events.models import Event
from ..extensions import db
from ..invitations.models import Invitation
from . import operations, queries
from .models import Audience, EventMessage
from .notifications import render_message
from .schemas import MessageIn

bp = Blueprint("messages", __name__)

_TEXT_FIELDS = ("subject", "body")


def _other_languages(default: str) -> list[tuple[str, str]]:
    return [(code, label) for code, label in Language.choices() if code != default]


def _message_in(data: dict[str, Any], default: str) -> tuple[MessageIn | None, dict[str, str]]:
    """The form as the API's body: the default language's texts, and any other language's
    that were filled in (both subject and body)."""
    body: dict[str, Any] = {"audience": data.get("audience")}
    extra = [
        code
        for code, _label in _other_languages(default)
        if data.get(f"subject_{code}") or data.get(f"body_{code}")
    ]
    for name in _TEXT_FIELDS:
        if extra:
            texts = {default: data.get(name) or ""}
            texts.update({code: data.get(f"{name}_{code}") or "" for code in extra})
            body[name] = texts
        else:
            body[name] = data.get(name) or ""
    parsed, errors = validate_form(MessageIn, body)
    return parsed, {key.split(".")[0]: message for key, message in errors.items()}


def _counts(event: Event) -> dict[str, int]:
    now = utcnow()
    return {
        audience.value: sum(
            1 for _id, email, _l in queries.audience_members(event.id, audience, now) if email
        )
        for audience in Audience
    }


def _previews(event: Event, parsed: MessageIn, default: str) -> list[dict[str, Any]]:
    """Per language among the reachable readers: how many, and the email one of them gets."""
    members = queries.audience_members(event.id, parsed.audience, utcnow())
    draft = EventMessage(
        audience=parsed.audience,
        subject=operations.texts_by_language(parsed.subject, default),
        body=operations.texts_by_language(parsed.body, default),
        default_language=default,
    )
    previews = []
    for language, count in sorted(queries.languages_of(members).items()):
        sample_id = next(i for i, email, lang in members if email and lang == language)
        email = render_message(draft, db.session.get(Invitation, sample_id), language)
        _subject, _body, text_language = draft.text_for(language)
        previews.append(
            {
                "language": language,
                "count": count,
                "subject": email.subject,
                "text": email.text,
                "text_language": text_language,
            }
        )
    return previews


def _page(event: Event, values: dict[str, Any], errors: dict[str, str], status: int = 200):
    default = queries.default_language(event)
    sent = db.session.scalars(
        sa.select(EventMessage)
        .where(EventMessage.event_id == event.id)
        .order_by(EventMessage.id.desc())
        .limit(20)
    ).all()
    return render_template(
        "messages/compose.html",
        event=event,
        period=event_period(event),
        audiences=Audience.choices(),
        counts=_counts(event),
        default_language=default,
        default_language_label=dict(Language.choices()).get(default, default),
        other_languages=_other_languages(default),
        values=values,
        errors=errors,
        sent=sent,
    ), status


@bp.route("/events/<int:event_id>/messages", methods=["GET", "POST"])
@roles_required(*EDITORS)
def compose(event_id: int):
    event = db.get_or_404(Event, event_id)
    if request.method == "GET":
        return _page(event, {"audience": request.args.get("audience")}, {})
    data = form_data()
    # the button pressed: preview (the default), edit (back to the form) or send
    action = data.pop("action", None) or "preview"
    if action == "edit":
        return _page(event, data, {})
    default = queries.default_language(event)
    parsed, errors = _message_in(data, default)
    if parsed is None:
        return _page(event, data, errors, 422)
    if action != "send":
        previews = _previews(event, parsed, default)
        return render_template(
            "messages/preview.html",
            event=event,
            period=event_period(event),
            audience=parsed.audience,
            total=sum(p["count"] for p in previews),
            previews=previews,
            values=data,
        )
    try:
        message = operations.send_message(event, parsed, by=current_user)
    except operations.MessageRefused as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".compose", event_id=event.id), 303)
    db.session.commit()
    flash(
        ngettext(
            "The message is on its way to %(num)d person.",
            "The message is on its way to %(num)d people.",
            message.recipients,
        ),
        "success",
    )
    return redirect(url_for(".compose", event_id=event.id), 303)
