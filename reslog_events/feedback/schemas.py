"""The survey as the API and the editing page take it, the answer form, and the results.

Nothing here carries a person: the results are counts, averages and (for the organisers) the
free comments as a plain list; no model has an invitation, contact or response id."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask_babel import gettext as _
from pydantic import BeforeValidator, Field, StringConstraints

from ..core.api import Schema
from ..directory.models import Language
from ..extensions import LANGUAGES
from ..reports.schemas import AttendanceFilters, ExportFormat, GroupBy
from .models import QuestionKind

QUESTION_MAX = 300
OPTION_MAX = 100
MAX_QUESTIONS = 20
MAX_OPTIONS = 10
#: the standard questions, counted across events (the dashboard, `average_usefulness`)
STANDARD_KEYS = ("usefulness", "will_use", "comment")


def _texts(max_length: int):
    def check(value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError(_("Give the texts by language (tr, en, ar, sv)."))
        texts: dict[str, str] = {}
        for language, text in value.items():
            if language not in Language.__members__:
                raise ValueError(
                    _("Unknown language %(code)s: use tr, en, ar or sv.", code=language)
                )
            if text is None or (isinstance(text, str) and not text.strip()):
                continue  # a language left empty falls back to the default language
            if not isinstance(text, str):
                raise ValueError(_("The text in %(code)s is not text.", code=language))
            if len(text.strip()) > max_length:
                raise ValueError(_("At most %(num)s characters.", num=max_length))
            texts[language] = " ".join(text.split())
        return texts

    return check


QuestionTexts = Annotated[dict[str, str], BeforeValidator(_texts(QUESTION_MAX))]
OptionTexts = Annotated[dict[str, str], BeforeValidator(_texts(OPTION_MAX))]
OptionKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,32}$")]


class OptionIn(Schema):
    #: a short name for the option (letters, digits, _); given by position when left out
    key: OptionKey | None = None
    texts: OptionTexts


class QuestionIn(Schema):
    kind: QuestionKind
    #: one of the standard questions (usefulness, will_use, comment), or none
    key: Literal["usefulness", "will_use", "comment"] | None = None
    texts: QuestionTexts
    options: list[OptionIn] = Field(default_factory=list, max_length=MAX_OPTIONS)


class SurveyIn(Schema):
    """The survey of an event. Leaving `questions` out keeps them (a new survey gets the three
    standard ones); the questions can change only until the first answer arrives."""

    enabled: bool = True
    send_at_end: bool = True
    questions: list[QuestionIn] | None = Field(None, min_length=1, max_length=MAX_QUESTIONS)


class OptionOut(Schema):
    key: str
    texts: dict[str, str]


class QuestionOut(Schema):
    id: int
    position: int
    kind: QuestionKind
    key: str | None
    texts: dict[str, str]
    options: list[OptionOut]


class SurveyOut(Schema):
    event_id: int
    enabled: bool
    send_at_end: bool
    default_language: str
    #: true once an answer arrived: the questions can no longer change
    locked: bool
    questions: list[QuestionOut]
    #: participants sent the survey, and how many of them answered
    sent: int
    answered: int
    #: participants (checked in, with an email address) not sent the survey yet
    to_send: int


class SendResult(Schema):
    #: emails queued now (participants not sent the survey before)
    recipients: int


class Cell(Schema):
    """Counts per option (to coordinators `null` when small, see docs/reports.md), how many
    answered and the average (a scale), shown only when no count of the row is hidden."""

    key: str | None = None
    label: str | None = None
    counts: dict[str, int | None]
    answered: int | None
    average: float | None = None
    suppressed: bool = False


class OptionLabel(Schema):
    key: str
    label: str


class QuestionResult(Schema):
    position: int
    kind: QuestionKind
    key: str | None
    text: str
    options: list[OptionLabel]
    overall: Cell
    #: by "gender", "role_category", "organisation_kind"
    breakdowns: dict[str, list[Cell]]
    #: the free answers, as a plain list in no particular order (organisers and admins only)
    comments: list[str] | None = None


class EventResults(Schema):
    event_id: int
    title: str
    respondents: int | None
    #: participants sent the survey; null to coordinators when it, or how many of them did
    #: not answer, is from 1 to REPORT_MIN_CELL − 1 (docs/reports.md, "Small cells")
    sent: int | None
    suppressed: bool = False
    questions: list[QuestionResult]


class EventFeedbackRow(Schema):
    event_id: int
    title: str
    respondents: int | None
    average_usefulness: float | None
    suppressed: bool = False


class FeedbackReport(Schema):
    """The standard questions over the period's events (the dashboard's feedback block)."""

    events: list[EventFeedbackRow]
    respondents: int | None
    questions: list[QuestionResult]
    suppressed: bool = False


class ResultsQuery(Schema):
    format: ExportFormat = ExportFormat.json
    sep: Literal[",", ";"] = ","
    lang: Literal[LANGUAGES] | None = None  # type: ignore[valid-type]


class FeedbackReportQuery(AttendanceFilters):
    """The attendance report's filters; the rows are events."""

    group_by: Literal[GroupBy.event] = GroupBy.event
    format: ExportFormat = ExportFormat.json
    sep: Literal[",", ";"] = ","
    lang: Literal[LANGUAGES] | None = None  # type: ignore[valid-type]

    def params(self) -> dict[str, Any]:
        skip = ("format", "lang", "sep", "group_by")
        return {k: v for k, v in super().params().items() if k not in skip}
