"""Addresses stay left to right inside Arabic pages: the public programme's feed address
(wrapped into "http://127." over "0.0.1:5000/feeds/public.ics" when it inherited the page's
direction) and the email and web address fields as they are typed."""

from __future__ import annotations


def test_public_programme_feed_address_is_left_to_right(client):
    html = client.get("/programme?lang=ar").get_data(as_text=True)
    assert '<code class="feed-url" dir="ltr">' in html


def test_address_fields_run_left_to_right_in_chromium(live_server, page):
    page.goto(f"{live_server.url}/login?lang=ar")
    page.fill("input[name=email]", "ayse.celik@sisli.example")
    direction = page.eval_on_selector("input[name=email]", "el => getComputedStyle(el).direction")
    assert direction == "ltr"
    page.goto(f"{live_server.url}/programme?lang=ar")
    box = page.eval_on_selector(".feed-url", "el => getComputedStyle(el).direction")
    assert box == "ltr"
