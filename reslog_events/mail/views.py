"""`/dev/outbox`: the emails written by `MAIL_BACKEND=file`, for trying the system without a mail
server. Administrators and organisers only; 404 with any other backend."""

from __future__ import annotations

import base64
import email
import email.policy
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from flask import Blueprint, abort, current_app, make_response, render_template, request

from ..auth.permissions import EDITORS, roles_required

bp = Blueprint("mail_dev", __name__, url_prefix="/dev/outbox")

PER_PAGE = 50
_NAME = re.compile(r"^\d{8}\.eml$")
_CID = re.compile(r"cid:[^\s\"'<>)]+")
#: the email's own HTML: inline styles allowed, nothing else (no scripts, no remote images)
EMAIL_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data: cid:; "
    "frame-ancestors 'none'; form-action 'none'; base-uri 'none'"
)


@dataclass
class Written:
    name: str
    written_at: datetime
    to: str
    subject: str
    kind: str


def _directory() -> Path:
    if current_app.config["MAIL_BACKEND"] != "file":
        abort(404)
    return Path(current_app.config["MAIL_OUTBOX_DIR"])


def _parse(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def _file(name: str) -> Path:
    if not _NAME.match(name):
        abort(404)
    path = _directory() / name
    if not path.is_file():
        abort(404)
    return path


@bp.get("")
@roles_required(*EDITORS)
def index():
    directory = _directory()
    files = sorted(directory.glob("*.eml"), reverse=True) if directory.is_dir() else []
    page = max(1, request.args.get("page", 1, type=int))
    shown = []
    for path in files[(page - 1) * PER_PAGE : page * PER_PAGE]:
        msg = _parse(path)
        shown.append(
            Written(
                name=path.name,
                written_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
                to=str(msg["To"] or ""),
                subject=str(msg["Subject"] or ""),
                kind=str(msg["X-RESLOG-Kind"] or ""),
            )
        )
    return render_template(
        "mail/outbox.html", emails=shown, total=len(files), page=page, per_page=PER_PAGE
    )


@bp.get("/<name>")
@roles_required(*EDITORS)
def show(name: str):
    msg = _parse(_file(name))
    text = msg.get_body(preferencelist=("plain",))
    parts = [
        (i, part.get_content_type(), part.get_filename() or "")
        for i, part in enumerate(msg.walk())
        if not part.is_multipart()
    ]
    return render_template(
        "mail/message.html",
        name=name,
        headers=[(k, str(v)) for k, v in msg.items()],
        text=text.get_content() if text is not None else "",
        has_html=msg.get_body(preferencelist=("html",)) is not None,
        parts=parts,
    )


def _inline_parts(msg: EmailMessage) -> dict[str, str]:
    """`cid:` reference -> a data: URI of the inline part it names (the confirmation's QR code):
    a browser cannot resolve `cid:` outside a mail client."""
    found = {}
    for leaf in msg.walk():
        content_id = str(leaf.get("Content-ID") or "").strip().strip("<>")
        if content_id and not leaf.is_multipart():
            data = base64.b64encode(leaf.get_payload(decode=True) or b"").decode("ascii")
            found[f"cid:{content_id}"] = f"data:{leaf.get_content_type()};base64,{data}"
    return found


@bp.get("/<name>/html")
@roles_required(*EDITORS)
def html(name: str):
    msg = _parse(_file(name))
    part = msg.get_body(preferencelist=("html",))
    if part is None:
        abort(404)
    content = part.get_content()
    inline = _inline_parts(msg)
    if inline:
        content = _CID.sub(lambda m: inline.get(m.group(0), m.group(0)), content)
    response = make_response(content)
    response.headers["Content-Security-Policy"] = EMAIL_CSP
    return response


@bp.get("/<name>/part/<int:index>")
@roles_required(*EDITORS)
def part(name: str, index: int):
    leaves = [p for p in _parse(_file(name)).walk() if not p.is_multipart()]
    if not 0 <= index < len(leaves):
        abort(404)
    leaf = leaves[index]
    response = make_response(leaf.get_payload(decode=True) or b"")
    # never rendered by the browser as a page: downloaded as what it is
    response.headers["Content-Type"] = leaf.get_content_type()
    filename = leaf.get_filename() or f"part-{index}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/<name>/raw")
@roles_required(*EDITORS)
def raw(name: str):
    response = make_response(_file(name).read_bytes())
    response.headers["Content-Type"] = "text/plain; charset=us-ascii"
    return response
