"""Benchmark of the check-in QR code: how long one PNG takes, and what the RSVP page pays.

    .venv/bin/python -m bench.qr               # 300 codes
    .venv/bin/python -m bench.qr --codes 1000

Times, over distinct real check-in codes (core.tokens.new_checkin_code):
- `qr_png` as the app makes it (qrcode computes the modules, Pillow draws one pixel per module
  and scales up), and its two halves;
- qrcode's own Pillow image factory (`qrcode.make`), the obvious alternative;
- `GET /rsvp/<token>/qr.png` through the whole app (SQLite in a temporary folder): the first
  request for a code (PNG made) and the next ones (PNG from the per-code cache).
Checks that every PNG decodes to its code with zxing-cpp when it is installed. Prints Markdown.
"""

from __future__ import annotations

import argparse
import io
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"{statistics.median(samples) * 1000:.2f} | {statistics.mean(samples) * 1000:.2f} | "
        f"{p95 * 1000:.2f}"
    )


def _time_each(fn: Callable[[str], object], codes: list[str]) -> list[float]:
    """CPU time of this thread per call: steady on a shared, busy machine, where wall time is
    not (everything here runs in this thread, the test client's requests included)."""
    fn(codes[0])  # warm imports
    samples = []
    for code in codes:
        start = time.thread_time()
        fn(code)
        samples.append(time.thread_time() - start)
    return samples


def bench_functions(codes: list[str]) -> list[tuple[str, list[float]]]:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    from reslog_events.invitations.qr import qr_png

    def modules_only(code: str) -> object:
        qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        qr.add_data(code)
        qr.make(fit=True)
        return qr.get_matrix()

    def stock_pil(code: str) -> bytes:
        qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
        qr.add_data(code)
        qr.make(fit=True)
        out = io.BytesIO()
        qr.make_image().save(out)
        return out.getvalue()

    return [
        ("`qr_png` (the app's)", _time_each(qr_png, codes)),
        ("  of which: modules and mask (qrcode)", _time_each(modules_only, codes)),
        ("qrcode's Pillow factory (`make_image`)", _time_each(stock_pil, codes)),
    ]


def check_decodes(codes: list[str]) -> str:
    from reslog_events.invitations.qr import qr_png

    try:
        import zxingcpp
        from PIL import Image
    except ImportError:
        return "not checked (zxing-cpp not installed)"
    sizes = set()
    for code in codes:
        png = qr_png(code)
        image = Image.open(io.BytesIO(png))
        sizes.add((image.size, len(png)))
        (result,) = zxingcpp.read_barcodes(image)
        assert result.text == code, (result.text, code)
    pixels = sorted({size for size, _ in sizes})
    lengths = sorted(length for _, length in sizes)
    return (
        f"all {len(codes)} decode to their code (zxing-cpp); image {pixels[0][0]}×{pixels[0][1]} "
        f"px, {lengths[0]}–{lengths[-1]} bytes"
    )


def bench_requests(count: int) -> list[tuple[str, list[float]]]:
    """The page's qr.png: cold (PNG made) and warm (cached), through the whole app."""
    from datetime import UTC, datetime, timedelta

    from flask_migrate import upgrade

    from reslog_events import create_app
    from reslog_events.directory.models import Contact
    from reslog_events.events.models import Event, EventKind, EventLevel, EventStatus
    from reslog_events.extensions import db
    from reslog_events.invitations.models import InvitationStatus
    from reslog_events.invitations.operations import build_invitation
    from reslog_events.invitations.qr import png_cache

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.sqlite'}",
                "MAIL_OUTBOX_DIR": str(Path(folder) / "outbox"),
                "EMBEDDED_WORKER": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            upgrade()
            starts = datetime.now(UTC) + timedelta(days=30)
            event = Event(
                title="Bench forum",
                kind=EventKind.forum,
                level=EventLevel.national,
                status=EventStatus.published,
                starts_at=starts,
                ends_at=starts + timedelta(hours=6),
                timezone="Europe/Istanbul",
            )
            tokens = []
            for n in range(count):
                contact = Contact(full_name=f"Kişi {n}", email=f"kisi{n}@bench.example")
                new = build_invitation(event, contact, status=InvitationStatus.accepted)
                tokens.append(new.rsvp_token)
            db.session.commit()
            db.session.remove()
        png_cache.clear()
        client = app.test_client()

        def get(token: str) -> None:
            resp = client.get(f"/rsvp/{token}/qr.png")
            assert resp.status_code == 200 and resp.mimetype == "image/png"

        get(tokens[0])
        cold = _time_each(get, tokens[1:])
        warm = _time_each(get, tokens[1:])
    return [
        ("`GET /rsvp/<token>/qr.png`, first time for a code", cold),
        ("`GET /rsvp/<token>/qr.png`, again (cached PNG)", warm),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=300)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    from reslog_events.core.tokens import new_checkin_code

    codes = [new_checkin_code() for _ in range(args.codes)]
    rows = bench_functions(codes) + bench_requests(args.requests)
    print(f"QR check-in code, {args.codes} distinct codes of {len(codes[0])} characters")
    print(
        f"({platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, {platform.node()})\n"
    )
    print("| what (CPU time per call) | median ms | mean ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for label, samples in rows:
        print(f"| {label} | {_ms(samples)} |")
    print(f"\nDecoding: {check_decodes(codes)}")


if __name__ == "__main__":
    main()
