"""The three standard questions a new survey starts with, in every language of the event."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from .models import QuestionKind

WILL_USE_OPTIONS = ("yes", "partly", "no")


def _usefulness() -> str:
    return _("How useful was this event for your work? (1 = not at all, 5 = very useful)")


def _will_use() -> str:
    return _("Will you use what you learned?")


def _comment() -> str:
    return _("Anything else you would like to tell the organisers?")


def _option(key: str) -> str:
    return {"yes": _("Yes"), "partly": _("Partly"), "no": _("No")}[key]


def _in_each(languages: list[str], text) -> dict[str, str]:
    texts = {}
    for language in languages:
        with force_locale(language):
            texts[language] = text()
    return texts


def standard_questions(languages: list[str]) -> list[dict]:
    """The standard questions as `SurveyIn.questions` takes them, texts in `languages`."""
    return [
        {
            "kind": QuestionKind.scale,
            "key": "usefulness",
            "texts": _in_each(languages, _usefulness),
            "options": [],
        },
        {
            "kind": QuestionKind.choice,
            "key": "will_use",
            "texts": _in_each(languages, _will_use),
            "options": [
                {"key": key, "texts": _in_each(languages, lambda key=key: _option(key))}
                for key in WILL_USE_OPTIONS
            ],
        },
        {
            "kind": QuestionKind.text,
            "key": "comment",
            "texts": _in_each(languages, _comment),
            "options": [],
        },
    ]


def standard_text(key: str) -> str:
    """A standard question's text in the page's language (the dashboard's across events)."""
    return {"usefulness": _usefulness, "will_use": _will_use, "comment": _comment}[key]()


def standard_option(key: str) -> str:
    return _option(key)
