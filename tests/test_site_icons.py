"""The site's icon: linked from every page (error pages too), served with caching."""

from __future__ import annotations

import re


def _icon_links(html: str) -> list[str]:
    return re.findall(r'<link rel="icon" href="([^"]+)"', html)


def test_every_page_links_the_icon_and_it_is_cached(client):
    for path, status in (("/login?lang=tr", 200), ("/no-such-page?lang=ar", 404)):
        page = client.get(path)
        assert page.status_code == status
        links = _icon_links(page.get_data(as_text=True))
        assert "/favicon.ico" in links and any(link.endswith(".svg") for link in links), path
    ico = client.get("/favicon.ico")
    assert ico.status_code == 200
    assert ico.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's signature
    assert "max-age=604800" in ico.headers["Cache-Control"]
    assert "public" in ico.headers["Cache-Control"]
    svg = client.get(
        next(link for link in _icon_links(page.get_data(as_text=True)) if ".svg" in link)
    )
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data
