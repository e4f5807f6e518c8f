"""What an invitee (or an organiser on their behalf) may send with an answer, and what the
answers API returns. The RSVP page validates its form with the same models."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from ..core.api import PageQuery, Schema
from ..core.enums import LabelledEnum, labels
from ..core.validation import field_labels
from ..invitations.models import InvitationStatus


class Reply(LabelledEnum):
    """The `response` field of the RSVP form (the public contract)."""

    accept = "accept"
    decline = "decline"
    tentative = "tentative"

    @property
    def label(self) -> str:
        # Kept apart from core.enums' shared labels: StrEnum members equal their value, so
        # Reply.tentative would take the place of InvitationStatus.tentative there.
        return str(_REPLY_LABELS[self.value])


class Diet(LabelledEnum):
    vegetarian = "vegetarian"
    vegan = "vegan"
    halal = "halal"
    kosher = "kosher"
    gluten_free = "gluten_free"
    lactose_free = "lactose_free"


class AccessNeed(LabelledEnum):
    wheelchair = "wheelchair"
    step_free = "step_free"
    sign_language = "sign_language"
    hearing_loop = "hearing_loop"
    large_print = "large_print"
    companion = "companion"


_REPLY_LABELS = {
    "accept": _l("Yes, I will attend"),
    "tentative": _l("Maybe, I am not sure yet"),
    "decline": _l("No, I cannot attend"),
}
labels(
    {
        Diet.vegetarian: _l("Vegetarian"),
        Diet.vegan: _l("Vegan"),
        Diet.halal: _l("Halal"),
        Diet.kosher: _l("Kosher"),
        Diet.gluten_free: _l("Gluten-free"),
        Diet.lactose_free: _l("Lactose-free"),
    }
)

labels(
    {
        AccessNeed.wheelchair: _l("Wheelchair access"),
        AccessNeed.step_free: _l("Step-free route (no stairs)"),
        AccessNeed.sign_language: _l("Sign language interpretation"),
        AccessNeed.hearing_loop: _l("Hearing loop"),
        AccessNeed.large_print: _l("Large-print documents"),
        AccessNeed.companion: _l("I come with a companion or assistant"),
    }
)

#: the status an answer asks for (capacity may turn `accepted` into `waitlisted`)
WANTED_STATUS = {
    Reply.accept: InvitationStatus.accepted,
    Reply.decline: InvitationStatus.declined,
    Reply.tentative: InvitationStatus.tentative,
}


class Needs(Schema):
    """What the invitee needs to take part. Kept only with their consent to the processing of
    data: needs may reveal health or religion (KVKK art. 6, GDPR art. 9)."""

    diet_choices: list[Diet] = Field(default_factory=list, max_length=len(Diet))
    dietary_needs: str | None = Field(None, max_length=500)
    access_choices: list[AccessNeed] = Field(default_factory=list, max_length=len(AccessNeed))
    accessibility_needs: str | None = Field(None, max_length=500)
    #: an ISO 639-1 code, None for none
    interpretation_language: str | None = Field(None, pattern=r"^[a-z]{2}$")

    @property
    def has_needs(self) -> bool:
        return any(getattr(self, name) for name in NEED_FIELDS)


NEED_FIELDS = tuple(Needs.model_fields)


class InviteeAnswer(Needs):
    """The RSVP form. Accepting requires consent to the processing of data."""

    response: Reply
    consent_data: bool = Field(False, validate_default=True)
    consent_photos: bool = False

    @field_validator("consent_data")
    @classmethod
    def _consent(cls, consent: bool, info: ValidationInfo) -> bool:
        if consent:
            return consent
        response = info.data.get("response")
        if response == Reply.accept:
            raise PydanticCustomError(
                "consent_required",
                str(_("Please agree to the processing of your data to accept the invitation.")),
            )
        if response == Reply.tentative and any(info.data.get(n) for n in NEED_FIELDS):
            raise PydanticCustomError(
                "consent_required",
                str(_("We can only keep your needs with your consent to the processing of data.")),
            )
        return consent


class ManualAnswer(Needs):
    """An organiser answering on someone's behalf (by phone, by email). The consent is what
    the invitee told them, so accepting does not depend on it."""

    response: Reply
    consent_data: bool = False
    consent_photos: bool = False
    #: a short note for the audit log ("by phone")
    note: str | None = Field(None, max_length=200)


#: filters of the organisers' list: one need at a time, "any" for anyone with a need
NEED_FILTERS = (
    ("any", "interpretation")
    + tuple(f"diet:{d}" for d in Diet)
    + tuple(f"access:{a}" for a in AccessNeed)
)


class AnswersQuery(PageQuery):
    per_page: int = Field(100, ge=1, le=500)
    status: InvitationStatus | None = None
    #: "any", "interpretation", "interpretation:ar", "diet:vegetarian", "access:wheelchair", …
    need: str | None = None
    q: str | None = Field(None, max_length=100)

    @field_validator("need")
    @classmethod
    def _known_need(cls, need: str | None) -> str | None:
        if need is None or need in NEED_FILTERS or re.fullmatch(r"interpretation:[a-z]{2}", need):
            return need
        raise PydanticCustomError("unknown_need", str(_("Choose one of the values offered.")))


class AnswerCounts(Schema):
    accepted: int
    waitlisted: int
    declined: int
    tentative: int
    pending: int
    revoked: int
    #: sent a colleague instead
    substituted: int = 0
    capacity: int | None
    #: None when the event has no limit
    seats_left: int | None


class NeedsSummary(Schema):
    """Counted among the invitees who accepted (the venue plans for them)."""

    interpretation: dict[str, int]
    diets: dict[str, int]
    access: dict[str, int]
    with_dietary_notes: int
    with_accessibility_notes: int


class AnswersOut(Schema):
    event_id: int
    counts: AnswerCounts
    needs: NeedsSummary
    rsvp_open: bool
    rsvp_deadline: datetime | None


class AnsweredOut(Schema):
    id: int
    status: InvitationStatus
    responded_at: datetime | None
    #: 1-based position on the waitlist, None when not waitlisted
    waitlist_position: int | None
    promoted_ids: list[int] = Field(default_factory=list)


#: the invitation page's labels, naming the fields in messages
field_labels(
    Needs,
    labels={
        "response": _l("Answer"),
        "dietary_needs": _l("Other dietary needs or allergies"),
        "accessibility_needs": _l("Other accessibility needs"),
        "interpretation_language": _l("Interpretation into"),
        "note": _l("Note for the record (e.g. “by phone”)"),
    },
)
