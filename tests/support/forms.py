"""Helpers for posting real forms (CSRF stays on in tests)."""

from __future__ import annotations

import re


def csrf_token(client, path: str) -> str:
    """The CSRF token from the page at `path` (its <meta name="csrf-token">)."""
    html = client.get(path, follow_redirects=True).get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', html) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client, path: str, data: dict, **kw):
    """GET the page for its token, then POST the form with it."""
    data = {"csrf_token": csrf_token(client, path), **data}
    return client.post(path, data=data, **kw)
