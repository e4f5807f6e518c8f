"""The survey's email, rendered by the send worker in the participant's language: thanks for
coming, and the personal link to the survey (one answer, no account). A message no longer due
(the survey switched off or answered, the event cancelled, the person erased) is skipped."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..core.tokens import unseal
from ..extensions import db
from ..mail.messages import RenderedEmail, SkipEmail, live_invitation, renderer
from ..mail.models import OutgoingEmail
from ..rsvp.notifications import invitation_context
from . import queries
from .models import FeedbackRequest
from .operations import KIND


def survey_url(request_row: FeedbackRequest) -> str | None:
    token = unseal(request_row.token_sealed) if request_row.token_sealed else None
    if not token:
        return None
    return f"{current_app.config['PUBLIC_BASE_URL']}/feedback/{token}"


@renderer(KIND)
def render_survey_email(outgoing: OutgoingEmail) -> RenderedEmail:
    invitation = live_invitation(outgoing)
    survey = queries.survey_of(invitation.event_id)
    if survey is None or not survey.enabled:
        raise SkipEmail("the survey was switched off")
    request_row = db.session.scalar(
        sa.select(FeedbackRequest).where(FeedbackRequest.invitation_id == invitation.id)
    )
    url = survey_url(request_row) if request_row is not None else None
    if url is None:
        raise SkipEmail("the survey link no longer exists")
    if request_row.answered:
        raise SkipEmail("the survey was answered already")
    language = outgoing.language
    with force_locale(language):
        ctx = invitation_context(invitation, language, survey_url=url)
        subject = _("Your feedback on %(title)s", title=invitation.event.title_in(language))
        text = render_template("emails/feedback_survey.txt", **ctx)
        html = render_template("emails/feedback_survey.html", **ctx)
    return RenderedEmail(subject=subject, text=text, html=html)
