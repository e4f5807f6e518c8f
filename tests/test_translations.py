"""The translation catalogues against the source: every wrapped string translated in every language.

The messages are extracted afresh from the code and templates with the same `babel.cfg` that
`make extract-messages` uses, so a string wrapped in a commit that forgot to re-extract fails here
too. For each language of the app (`reslog_events.extensions.LANGUAGES`):

- every message is in the catalogue, translated (every plural form), and not fuzzy;
- a translation has exactly the placeholders of its source: `%(name)s` (with its type) for Python
  and Jinja strings, `{name}` for the strings handed to the scanner's JavaScript; it survives
  %-formatting (Jinja's new-style gettext formats every string, so a stray `%` would crash a page);
- the catalogue declares the number of plural forms its language has, and each plural message has
  that many forms;
- it compiles, and the compiled `.mo` next to it (what the app loads; `make translations` or
  `python3 dev.py` writes it) is that compilation, not an older one.

English is the source language: its catalogue must hold every message (it is updated with the
others) but may leave a translation empty, which gettext answers with the English source itself.
A non-empty English msgstr (a copy-edit) is checked like any translation.

To fix a failure: `make extract-messages`, translate the new or changed entries (no fuzzy
matching: a changed source string is a new, empty entry), then `make translations`.
"""

from __future__ import annotations

import io
import re
from gettext import GNUTranslations
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from reslog_events.extensions import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "reslog_events" / "translations"
SOURCE_LANGUAGE = "en"

# Plural forms per language, as the catalogues declare them (CLDR categories used by gettext).
# Turkish distinguishes "one" and "other" (CLDR; GNU gettext's table), although a count is
# followed by the singular noun, so both forms usually read alike; Babel's default for `tr`
# (nplurals=1) is older. Arabic has six: zero, one, two, few (3–10), many (11–99), other.
PLURAL_FORMS = {
    "tr": 2,
    "en": 2,
    "sv": 2,
    "ar": 6,
}

_PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
    r"(?P<type>[diouxXeEfFgGcrsa%])"
)
_BRACES = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")
_SAMPLE = {"d": 7, "i": 7, "o": 7, "u": 7, "x": 7, "X": 7, "c": 65}


def _placeholders(text: str) -> set[tuple[str, str]]:
    """`%(name)s` as ("name", "s"), positional `%d` as ("", "d"), `{name}` as ("{}", "name")."""
    found = {(m["name"] or "", m["type"]) for m in _PERCENT.finditer(text) if m["type"] != "%"}
    found |= {("{}", name) for name in _BRACES.findall(text)}
    return found


def _format_error(text: str, placeholders: set[tuple[str, str]]) -> str | None:
    """The error %-formatting `text` raises with sample values for `placeholders`, if any."""
    named = {
        name: _SAMPLE.get(kind, 1.5 if kind in "eEfFgG" else "x") for name, kind in placeholders
    }
    try:
        text % named  # noqa: B018  (only the exception matters)
    except (KeyError, ValueError, TypeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _key(message) -> tuple[str, str | None]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return msgid, message.context


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    """The messages extracted now from the code and templates, as `make extract-messages` does."""
    with (ROOT / "babel.cfg").open() as fileobj:
        method_map, options_map = parse_mapping_cfg(fileobj, "babel.cfg")
    template = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


@pytest.fixture(scope="module")
def source(extracted) -> dict[tuple[str, str | None], str | tuple[str, str]]:
    """msgid, or (singular, plural), by (singular, context)."""
    messages = {_key(m): m.id for m in extracted if m.id}
    assert len(messages) > 500, "extraction found almost nothing: is babel.cfg read?"
    return messages


def _catalogue(language: str) -> Catalog:
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"no catalogue for {language}: pybabel init -l {language}"
    with path.open("rb") as fileobj:
        # abort_invalid: a malformed entry (e.g. more forms than nplurals) fails instead of
        # being dropped silently.
        return read_po(fileobj, locale=language, abort_invalid=True)


def test_every_language_has_a_catalogue_and_its_plural_rule():
    on_disk = {p.name for p in TRANSLATIONS.iterdir() if (p / "LC_MESSAGES").is_dir()}
    assert on_disk == set(LANGUAGES)
    assert set(PLURAL_FORMS) == set(LANGUAGES)


_LAZY_CALL = re.compile(r"""\b(?:_l|lazy_gettext)\(\s*"((?:[^"\\\n])+)"\s*[,)]""")
_TEMPLATE_NGETTEXT = re.compile(r"""\bngettext\(\s*(["'])(.+?)\1\s*,""")


def test_extraction_covers_lazy_strings_template_plurals_and_email_text(extracted, source):
    """babel.cfg's keywords and sections reach every kind of wrapped string."""
    lazy = {
        match
        for path in (ROOT / "reslog_events").rglob("*.py")
        for match in _LAZY_CALL.findall(path.read_text(encoding="utf-8"))
    }
    assert lazy and not {text for text in lazy if (text, None) not in source}

    plurals = {
        match[1]
        for path in (ROOT / "templates").rglob("*.html")
        for match in _TEMPLATE_NGETTEXT.findall(path.read_text(encoding="utf-8"))
    }
    assert plurals and all(isinstance(source.get((text, None)), tuple) for text in plurals)

    located = {Path(filename).as_posix() for m in extracted for filename, _line in m.locations}
    texts = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "templates").rglob("*.txt")
        if "_(" in path.read_text(encoding="utf-8")
    }
    assert texts and texts <= located, texts - located


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_and_well_formed(language, source):
    catalogue = _catalogue(language)
    problems: list[str] = []

    if catalogue.num_plurals != PLURAL_FORMS[language]:
        problems.append(
            f"header: Plural-Forms says nplurals={catalogue.num_plurals}, "
            f"{language} has {PLURAL_FORMS[language]}"
        )

    for key, msgid in sorted(source.items(), key=lambda item: item[0][0].casefold()):
        label = repr(key[0]) + (f" (context {key[1]!r})" if key[1] else "")
        message = catalogue.get(key[0], key[1])
        if message is None:
            problems.append(f"missing: {label}")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {label}")
        if message.id != msgid:
            problems.append(f"plural forms of the source changed: {label}")
            continue
        forms = list(message.string) if isinstance(message.string, tuple) else [message.string]
        if isinstance(msgid, tuple) and len(forms) != PLURAL_FORMS[language]:
            problems.append(
                f"{len(forms)} plural forms instead of {PLURAL_FORMS[language]}: {label}"
            )
        if not all(forms):
            if language != SOURCE_LANGUAGE or any(forms):
                problems.append(f"untranslated: {label}")
            continue
        problems += _placeholder_problems(label, msgid, forms)

    if problems:
        pytest.fail(
            f"{language}: {len(problems)} problem(s)\n" + "\n".join(problems), pytrace=False
        )


def _placeholder_problems(label: str, msgid, forms: list[str]) -> list[str]:
    """Same placeholders as the source. In a plural message a form other than the last (which
    covers "other") may leave out a placeholder, e.g. the count in Arabic's "one" and "two"
    forms; it may not bring in one the source does not have."""
    sources = [msgid] if isinstance(msgid, str) else list(msgid)
    expected = set().union(*(_placeholders(s) for s in sources))
    source_formats = all(_format_error(s, expected) is None for s in sources)
    problems = []
    for index, form in enumerate(forms):
        found = _placeholders(form)
        may_omit = isinstance(msgid, tuple) and index < len(forms) - 1
        if found - expected or (not may_omit and found != expected):
            problems.append(
                f"placeholders {sorted(found)} instead of {sorted(expected)}: {label} -> {form!r}"
            )
        elif source_formats and (error := _format_error(form, expected)):
            problems.append(f"does not %-format ({error}): {label} -> {form!r}")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_compiles_and_the_compiled_file_is_current(language):
    catalogue = _catalogue(language)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    translations = GNUTranslations(compiled)

    # The plural rule of the compiled file picks a form that exists for every count.
    plural_messages = [m for m in catalogue if m.id and m.pluralizable and all(m.string)]
    for message in plural_messages[:1]:
        for n in range(0, 1001):
            assert translations.ngettext(message.id[0], message.id[1], n) in message.string, n
    if language == "tr" and plural_messages:
        message = plural_messages[0]
        assert translations.ngettext(message.id[0], message.id[1], 1) == message.string[0]
        assert translations.ngettext(message.id[0], message.id[1], 5) == message.string[1]

    on_disk = TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo"
    assert on_disk.exists() and on_disk.read_bytes() == compiled.getvalue(), (
        f"{on_disk.relative_to(ROOT)} is missing or older than its .po: run `make translations`"
    )


def test_pages_render_in_turkish(client, auth, create_event, create_invitation):
    """?lang=tr gives Turkish pages, Turkish letters intact, from the compiled catalogue."""
    page = client.get("/login?lang=tr")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert page.content_type.endswith("charset=utf-8")
    assert '<html lang="tr"' in html
    for text in ("Giriş yap", "Parola", "Oturumum açık kalsın", "İçeriğe geç"):
        assert text in html, text

    event = create_event(title="Şişli Çalıştayı", kind="workshop", city="İstanbul")
    new = create_invitation(event=event)
    auth.login("organiser")
    html = client.get(f"/events/{event.id}?lang=tr").get_data(as_text=True)
    for text in ("Şişli Çalıştayı", "Çalıştay", "Davetler", "Çıkış yap", "Kişiler"):
        assert text in html, text
    auth.logout()

    html = client.get(f"/rsvp/{new.rsvp_token}?lang=tr").get_data(as_text=True)
    for text in ("Katılacak mısınız?", "Evet, katılacağım", "Kişisel verileriniz", "KVKK"):
        assert text in html, text
