"""The check-in QR code as a PNG: in the confirmation email and on the RSVP page.

The code text is short (31 characters, QR alphanumeric mode), so the symbol is a small version 2
(25×25 modules) that any phone camera reads. `qrcode` computes the modules and picks the mask
with the lowest penalty, as the standard asks (most of a code's cost); Pillow draws one pixel
per module and scales up without smoothing (bench/qr.py, docs/benchmarks.md).
Emails are rendered by the workers, off the request path; on the RSVP page the PNG is cached per
code hash, so reloading it at the door costs nothing.
"""

from __future__ import annotations

import io

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

from ..core.lru import BoundedCache
from .models import Invitation
from .operations import checkin_code_of

#: pixels per module and quiet zone in modules (the standard asks for 4)
BOX_SIZE = 8
BORDER = 4
_CACHE_SIZE = 2048


def qr_png(text: str, *, box_size: int = BOX_SIZE, border: int = BORDER) -> bytes:
    """A black-on-white PNG of `text` as a QR code (error correction M: 15% may be damaged)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    qr.add_data(text)
    qr.make(fit=True)
    modules = qr.get_matrix()
    size = len(modules) + 2 * border
    image = Image.new("1", (size, size), 1)
    pixels = image.load()
    for y, row in enumerate(modules, start=border):
        for x, dark in enumerate(row, start=border):
            if dark:
                pixels[x, y] = 0
    image = image.resize((size * box_size, size * box_size), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


#: the check-in pictures of the RSVP page, by code hash (the code itself is not kept)
png_cache: BoundedCache[str, bytes] = BoundedCache(_CACHE_SIZE)


def checkin_qr_png(invitation: Invitation) -> bytes | None:
    """The PNG of the invitation's current check-in code (None if it cannot be unsealed).
    A rotated code has a new hash, so the old picture is never served again."""
    key = invitation.checkin_code_hash
    png = png_cache.get(key)
    if png is None:
        code = checkin_code_of(invitation)
        if code is None:
            return None
        png = qr_png(code)
        png_cache.put(key, png)
    return png
