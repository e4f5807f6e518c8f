"""What an uploaded file is, judged by its bytes, and the name it is shown under.

The extension only says what the sender claims: the content must be of an allowed type *and*
of the type its extension names (a `.pdf` that is an HTML page, a `.docx` that carries macros, a
renamed executable are refused). The content type stored and served is the one found here,
never the browser's.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    #: may be shown in the browser (pictures); everything else is downloaded
    inline: bool = False


_TYPES = {
    t.extension: t
    for t in (
        FileType("pdf", "application/pdf"),
        FileType("png", "image/png", inline=True),
        FileType("jpg", "image/jpeg", inline=True),
        FileType("jpeg", "image/jpeg", inline=True),
        FileType("webp", "image/webp", inline=True),
        FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        FileType(
            "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        ),
        FileType("odt", "application/vnd.oasis.opendocument.text"),
        FileType("ods", "application/vnd.oasis.opendocument.spreadsheet"),
        FileType("odp", "application/vnd.oasis.opendocument.presentation"),
    )
}
#: the extensions accepted, for messages and the form's `accept`
EXTENSIONS = tuple(sorted(_TYPES))

#: Office Open XML: the part that makes a package a document of its kind
_OOXML_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_OPENDOCUMENT = {"odt", "ods", "odp"}


def _zip_kind(stream: IO[bytes], extension: str) -> bool:
    """Whether the ZIP package is an office document of the extension's kind, without macros."""
    try:
        with zipfile.ZipFile(stream) as package:
            names = set(package.namelist())
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return False
            if extension in _OOXML_PARTS:
                return "[Content_Types].xml" in names and _OOXML_PARTS[extension] in names
            if extension in _OPENDOCUMENT and "mimetype" in names:
                declared = package.read("mimetype")[:100].decode("ascii", "replace").strip()
                return declared == _TYPES[extension].content_type
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    return False


def _head_matches(head: bytes, extension: str) -> bool:
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    return head.startswith(b"PK\x03\x04")  # the office formats are ZIP packages


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def sniff(stream: IO[bytes], filename: str) -> FileType | None:
    """The file's type if its name's extension is allowed and its content is of that type;
    None otherwise. Reads from the stream and rewinds it."""
    extension = extension_of(filename)
    kind = _TYPES.get(extension)
    if kind is None:
        return None
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    matches = _head_matches(head, extension)
    if matches and extension in _OOXML_PARTS.keys() | _OPENDOCUMENT:
        matches = _zip_kind(stream, extension)
        stream.seek(0)
    return kind if matches else None


def is_inline(content_type: str) -> bool:
    return any(t.inline and t.content_type == content_type for t in _TYPES.values())


#: never in a shown name: path separators, characters Windows refuses, controls
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
NAME_MAX = 200


def display_name(filename: str) -> str:
    """The name the file is shown and downloaded under: the sender's, with its letters kept
    (Şişli_tutanak.pdf stays so), without folders, separators or control characters."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]
    # bidirectional overrides could make "gpj.exe" read as "exe.jpg"
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cf", "Cc"))
    name = " ".join(_UNSAFE.sub("_", name).split()).strip(" .")
    if len(name) > NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        keep = NAME_MAX - len(extension) - 1
        name = f"{stem[:keep]}.{extension}" if dot and keep > 0 else name[:NAME_MAX]
    return name or "document"
