"""The survey's editing form, read into the API's `SurveyIn` (one validation for both).

Each question of the form is a numbered group of fields: `kind_N`, `key_N` (a standard
question's name, kept), `position_N` (the order), `remove_N`, `text_N_<language>` and, for a
choice, `options_N_<language>` (one option a line, the lines of each language in the same
order) with `optkeys_N` (the existing options' keys). One empty group adds a question."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from .models import FeedbackSurvey, QuestionKind


def form_groups(survey: FeedbackSurvey | None, languages: list[str]) -> list[dict[str, Any]]:
    """The form's values for the current questions, and one empty group to add one."""
    groups = []
    for n, q in enumerate(survey.questions if survey else [], start=1):
        group = {
            "kind": q.kind.value,
            "key": q.key or "",
            "position": q.position,
            "optkeys": ",".join(o["key"] for o in q.options or ()),
        }
        for language in languages:
            group[f"text_{language}"] = q.texts.get(language, "")
            group[f"options_{language}"] = "\n".join(
                o["texts"].get(language, "") for o in q.options or ()
            )
        groups.append((n, group))
    blank = {"kind": "", "key": "", "position": len(groups) + 1, "optkeys": ""}
    groups.append((len(groups) + 1, blank))
    return [{"n": n, **group} for n, group in groups]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines()]


def read_questions(
    form: dict[str, Any], languages: list[str]
) -> tuple[list[dict[str, Any]], list[int]]:
    """The form's questions as `SurveyIn.questions` takes them, in their order, and the form's
    group number of each (to put an error back on its field)."""
    numbers = sorted(
        {int(k.split("_")[1]) for k in form if k.startswith("kind_") and k[5:].isdigit()}
    )
    found: list[tuple[float, int, dict[str, Any]]] = []
    for n in numbers:
        if form.get(f"remove_{n}"):
            continue
        kind = form.get(f"kind_{n}") or ""
        texts = {lang: form.get(f"text_{n}_{lang}") or "" for lang in languages}
        if not kind and not any(texts.values()):
            continue  # the empty group for a new question, left empty
        options = []
        if kind == QuestionKind.choice.value:
            keys = [k for k in (form.get(f"optkeys_{n}") or "").split(",") if k]
            by_language = {lang: _lines(form.get(f"options_{n}_{lang}")) for lang in languages}
            count = max((len([x for x in v if x]) for v in by_language.values()), default=0)
            for i in range(count):
                option: dict[str, Any] = {
                    "texts": {
                        lang: (lines[i] if i < len(lines) else "")
                        for lang, lines in by_language.items()
                    }
                }
                if i < len(keys):
                    option["key"] = keys[i]
                options.append(option)
        question = {"kind": kind or None, "texts": texts, "options": options}
        if form.get(f"key_{n}"):
            question["key"] = form[f"key_{n}"]
        try:
            position = float(form.get(f"position_{n}") or n)
        except ValueError:
            position = n
        found.append((position, n, question))
    found.sort(key=lambda item: (item[0], item[1]))
    return [q for _p, _n, q in found], [n for _p, n, _q in found]


def form_errors(errors: dict[str, str], numbers: list[int]) -> dict[str, str]:
    """API error keys ("questions.2.texts") as the form's fields ("text_5")."""
    fields = {"texts": "text", "kind": "kind", "options": "options", "key": "kind"}
    out: dict[str, str] = {}
    for key, message in errors.items():
        parts = key.split(".")
        if parts[0] == "questions" and len(parts) >= 3 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(numbers):
                out.setdefault(f"{fields.get(parts[2], 'text')}_{numbers[index]}", message)
                continue
        if parts[0] == "questions":
            out.setdefault("questions", _("Give the survey at least one question."))
            continue
        out.setdefault(parts[0], message)
    return out
