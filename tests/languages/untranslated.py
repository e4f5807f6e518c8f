"""Finding the app's own English in a page or an email meant for another language.

The English to look for comes from the app itself: the msgids of the catalogue. From them the
finder keeps word pairs ("the event", "Send invitations") and words of four letters or more
("Save", "Attendance"), less those the language's own translations use as well ("RESLOG
Events", "Forum", "Excel" in Turkish): what is left is English that a Turkish, Arabic or
Swedish reader should never meet. Hard-coded text is caught as long as it shares a word pair
or a word with any message of the app, which English in this app almost always does.

What people typed is not the app's text: a text node that is (or, once found suspect, contains)
a value stored in the database is left out, as is anything marked with another `lang` (the
language switcher, a tab named in its own language) or `translate="no"`.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "reslog_events" / "translations"

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
#: placeholders and markup split a message into the fragments whose words are neighbours
_BREAK = re.compile(r"%\([^)]*\)[a-z]|%[sd]|\{[A-Za-z_]+\}|<[^>]*>|[.:;!?()\"“”«»·—–/|…]")
#: shorter words are too often words of the other languages, or parts of codes ("TR", "QR")
MIN_WORD = 4
#: attributes whose text a person reads or hears
_READ_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label", "data-confirm", "label")
#: code shows names to type as they are (the import's column names), not language
_SKIPPED = ("style", "svg", "code", "kbd", "samp")
#: web addresses, email addresses, paths and identifiers (`full_name`, `contact.export`) are
#: not language
_CODE = re.compile(r"\S*[_/@]\S*|\S*[^\W\d_]\.[^\W\d_]\S*")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
_VOID |= {"track", "wbr"}


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _fragments(text: str) -> list[list[str]]:
    return [words(part) for part in _BREAK.split(_CODE.sub(" . ", text))]


@functools.cache
def _catalogue(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as fileobj:
        return read_po(fileobj, locale=language)


@functools.cache
def english(language: str) -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    """(word pairs, words) of the app's English that `language`'s translations never use."""
    pairs: set[tuple[str, str]] = set()
    singles: set[str] = set()
    for message in _catalogue("en"):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in filter(None, ids):
            for fragment in _fragments(text):
                pairs.update(zip(fragment, fragment[1:], strict=False))
                singles.update(w for w in fragment if len(w) >= MIN_WORD)
    used_pairs: set[tuple[str, str]] = set()
    used: set[str] = set()
    for message in _catalogue(language):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in filter(None, strings):
            for fragment in _fragments(text):
                used_pairs.update(zip(fragment, fragment[1:], strict=False))
                used.update(fragment)
    return frozenset(pairs - used_pairs), frozenset(singles - used)


@dataclass
class Leak:
    where: str
    text: str
    english: list[str]

    def __str__(self) -> str:
        return f"{self.where}: {self.english} in {self.text[:160]!r}"


@dataclass
class Texts(HTMLParser):
    """The texts a person reads in a page or an HTML email, outside other languages' parts."""

    language: str
    found: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._stack: list[tuple[str, bool]] = []
        self._json = False

    @property
    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self._stack)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        lang = (values.get("lang") or "").split("-")[0]
        skip = (
            tag in _SKIPPED
            or values.get("translate") == "no"
            or bool(lang and lang != self.language)
            or (tag == "script" and values.get("type") != "application/json")
        )
        if not skip and not self._skipping:
            self.found += [values[name] for name in _READ_ATTRIBUTES if values.get(name)]
            if tag == "input" and values.get("type") in ("submit", "button"):
                self.found.append(values.get("value") or "")
        if tag not in _VOID:
            self._stack.append((tag, skip))
            self._json = tag == "script" and not skip

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        while self._stack:
            if self._stack.pop()[0] == tag:
                break
        self._json = False

    def handle_data(self, data):
        if self._skipping or not data.strip():
            return
        if self._json:
            self.found += _json_strings(data)
        else:
            self.found.append(data)


def _json_strings(text: str) -> list[str]:
    try:
        value = json.loads(text)
    except ValueError:
        return [text]
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def html_texts(html: str, language: str) -> list[str]:
    parser = Texts(language)
    parser.feed(html)
    parser.close()
    return parser.found


@functools.cache
def internal_values() -> frozenset[str]:
    """The app's enum values that are not words (`public_institution`, `walk-in`): shown to a
    person they are internal text in any language, the page should show their label."""
    from reslog_events.core.enums import LabelledEnum

    values: set[str] = set()
    stack = list(LabelledEnum.__subclasses__())
    while stack:
        cls = stack.pop()
        stack += cls.__subclasses__()
        values.update(member.value for member in cls if re.search(r"[_-]", member.value))
    return frozenset(values)


_TOKEN = re.compile(r"[\w-]+")


def english_in(text: str, language: str) -> list[str]:
    pairs, singles = english(language)
    found = [token for token in _TOKEN.findall(text) if token in internal_values()]
    for fragment in _fragments(text):
        found += [
            f"{a} {b}" for a, b in zip(fragment, fragment[1:], strict=False) if (a, b) in pairs
        ]
        found += [w for w in fragment if w in singles]
    return found


@dataclass
class Finder:
    """Looks for the app's English in texts of `language`, leaving out `user_content`."""

    language: str
    user_content: frozenset[str]
    leaks: list[Leak] = field(default_factory=list)
    #: where the HTML texts read came from
    read: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        # by word: the stored values a suspect word may come from
        self._by_word: dict[str, list[str]] = {}
        for value in self.user_content:
            for word in set(words(value)):
                self._by_word.setdefault(word, []).append(value)

    def _without_user_content(self, text: str, found: list[str]) -> str:
        candidates = {v for hit in found for w in hit.split() for v in self._by_word.get(w, ())}
        for value in sorted((v for v in candidates if v in text), key=len, reverse=True):
            text = text.replace(value, " ¶ ")
        return text

    def check(self, where: str, texts: list[str]) -> None:
        for text in texts:
            text = " ".join(text.split())
            if not text or text in self.user_content:
                continue
            found = english_in(text, self.language)
            if found:
                found = english_in(self._without_user_content(text, found), self.language)
            if found:
                self.leaks.append(Leak(where, text, found))

    def check_html(self, where: str, html: str) -> None:
        self.check(where, html_texts(html, self.language))

    def check_text(self, where: str, text: str) -> None:
        self.check(where, text.splitlines())


#: columns of a download that hold recorded codes and field names, not the app's sentences
#: (the audit log's action and details, as the page shows them: as code)
RECORDED_COLUMNS = {"/admin/audit.csv": {4, 7}}


def _csv_cells(data: bytes, path: str) -> list[str]:
    text = data.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    skipped = RECORDED_COLUMNS.get(path, set())
    return [
        cell
        for number, row in enumerate(csv.reader(io.StringIO(text), dialect))
        for column, cell in enumerate(row)
        if number == 0 or column not in skipped
    ]


def _xlsx_cells(data: bytes, _path: str) -> list[str]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    cells = [sheet.title for sheet in book.worksheets]
    for sheet in book.worksheets:
        cells += [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v]
    return cells


def _manifest_texts(data: bytes) -> list[str]:
    """What a phone shows of a web app manifest: its names and description."""
    manifest = json.loads(data)
    return [manifest[key] for key in ("name", "short_name", "description") if key in manifest]


def calendar_texts(data: bytes, _path: str = "") -> list[str]:
    from icalendar import Calendar

    texts = []
    # (a VTIMEZONE's comments are for programs, which never show them)
    for component in Calendar.from_ical(data).walk("VEVENT"):
        texts += [str(component[key]) for key in _CALENDAR_TEXTS if key in component]
    return texts


def pdf_texts(data: bytes, _path: str = "") -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


_CALENDAR_TEXTS = ("SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT")
#: what a person reads in each kind of answer; the others (a QR code, a script, the data
#: export's JSON, a ZIP of certificates the PDF check covers) carry no sentences
_READERS = {
    "text/csv": _csv_cells,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _xlsx_cells,
    "text/calendar": calendar_texts,
    "application/pdf": pdf_texts,
    "application/manifest+json": lambda data, _path: _manifest_texts(data),
}


#: downloads of what people uploaded: their content, not the app's
_UPLOADS = re.compile(r"/documents/\d+$")


def check_response(finder: Finder, path: str, where: str, resp) -> None:
    """Checks a page, a download or a calendar by what it is."""
    if _UPLOADS.search(path.split("?")[0]) and resp.mimetype != "text/html":
        return
    if resp.mimetype == "text/html":
        finder.check_html(where, resp.get_data(as_text=True))
    elif resp.mimetype in _READERS:
        finder.check(where, _READERS[resp.mimetype](resp.get_data(), path))
