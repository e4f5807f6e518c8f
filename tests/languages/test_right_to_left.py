"""Latin names, organisations, places and zone names inside Arabic text keep their order: the
RSVP page and the invitation email isolate them (<bdi>, Unicode isolates in plain text), lists
use the Arabic comma; in Chromium the name and the organisation are laid out right to left
while each keeps its own words left to right."""

from __future__ import annotations

import pytest

from reslog_events.core.bidi import FSI, PDI, RLI

ORGANISATION = "Suriyeli Topluluk"
NAME = "Rasha Haddad"


@pytest.fixture
def arabic_invitation(create_event, create_contact, create_organisation, create_invitation):
    event = create_event(
        venue="Sarıçam Kültür Merkezi",
        address="Atatürk Cd. 5",
        city="Adana",
        languages=["tr", "ar"],
    )
    contact = create_contact(
        full_name=NAME, language="ar", organisation=create_organisation(name=ORGANISATION)
    )
    return create_invitation(event=event, contact=contact)


def test_rsvp_page_isolates_latin_parts_in_arabic(client, arabic_invitation):
    from reslog_events.extensions import db

    invitation = arabic_invitation.invitation
    invitation.event.rsvp_deadline = invitation.event.starts_at
    db.session.commit()
    html = client.get(f"/rsvp/{arabic_invitation.rsvp_token}").get_data(as_text=True)
    assert html.count(f"{FSI}Europe/Istanbul{PDI}") >= 2  # the period's zone, the deadline's
    assert '<html lang="ar" dir="rtl">' in html
    assert f"دعوة إلى <bdi>{NAME}</bdi>، <bdi>{ORGANISATION}</bdi>" in html
    assert f"{FSI}Europe/Istanbul{PDI}" in html  # the zone's name in the period
    parts = f"{FSI}Sarıçam Kültür Merkezi{PDI}، {FSI}Atatürk Cd. 5{PDI}، {FSI}Adana{PDI}"
    assert f"{RLI}{parts}{PDI}" in html  # the place: a right-to-left list of isolated parts
    assert "التركية</span>، <span" in html  # the offered languages, with the Arabic comma


def test_english_page_adds_no_isolates(client, arabic_invitation):
    html = client.get(f"/rsvp/{arabic_invitation.rsvp_token}?lang=en").get_data(as_text=True)
    assert FSI not in html and PDI not in html
    assert f"Invitation for <bdi>{NAME}</bdi>, <bdi>{ORGANISATION}</bdi>" in html


def test_arabic_invitation_email_isolates_names_in_plain_text(
    api, stub_worker, create_event, create_contact
):
    event = create_event(title="Göç Forumu", city="Adana")
    arabic = create_contact(full_name=NAME, language="ar")
    english = create_contact(full_name="Jane Doe", language="en")
    api().post(
        f"/api/v1/events/{event.id}/invitations",
        json={"contact_ids": [arabic.id, english.id]},
    )
    stub_worker.drain()
    messages = {m["To"].addresses[0].addr_spec: m for m in stub_worker.messages()}
    text = messages[arabic.email].get_body(("plain",)).get_content()
    assert f"{FSI}{NAME}{PDI}" in text and f"{FSI}Göç Forumu{PDI}" in text
    html = messages[arabic.email].get_body(("html",)).get_content()
    assert f"<bdi>{NAME}</bdi>" in html
    plain_en = messages[english.email].get_body(("plain",)).get_content()
    assert FSI not in plain_en and PDI not in plain_en


@pytest.mark.browser
def test_arabic_rsvp_page_lays_out_mixed_text_in_order(live_server, page, arabic_invitation):
    page.goto(f"{live_server.url}/rsvp/{arabic_invitation.rsvp_token}")
    boxes = page.evaluate(
        """() => {
          const line = document.querySelector(".rsvp-for");
          const [name, organisation] = line.querySelectorAll("bdi");
          const words = (element) => {
            const text = element.firstChild, out = [];
            let start = 0;
            for (const word of text.textContent.split(" ")) {
              const range = document.createRange();
              range.setStart(text, start);
              range.setEnd(text, start + word.length);
              const box = range.getBoundingClientRect();
              out.push({word, left: box.left, right: box.right, top: box.top});
              start += word.length + 1;
            }
            return out;
          };
          return {name: words(name), organisation: words(organisation),
                  nameBox: name.getBoundingClientRect().toJSON(),
                  organisationBox: organisation.getBoundingClientRect().toJSON()};
        }"""
    )
    name, organisation = boxes["name"], boxes["organisation"]
    # each Latin part reads left to right inside the Arabic line
    assert name[0]["word"] == "Rasha" and name[0]["right"] <= name[1]["left"] + 1
    assert organisation[0]["word"] == "Suriyeli"
    assert organisation[0]["right"] <= organisation[1]["left"] + 1
    # and the line reads right to left: the name (first) stands right of the organisation
    # (the bug this guards against: one Latin run "Rasha Haddad, Suriyeli Topluluk", the name
    # at its left)
    assert boxes["nameBox"]["top"] == boxes["organisationBox"]["top"]
    assert boxes["nameBox"]["left"] >= boxes["organisationBox"]["right"] - 1


#: the bounding box of the first occurrence of a text in the page (a DOM Range over it)
_BOX_OF = """(wanted) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent.indexOf(wanted);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const box = range.getBoundingClientRect();
      return {left: box.left, right: box.right, top: box.top};
    }
  }
  return null;
}"""


@pytest.mark.browser
def test_arabic_invitation_email_html_in_chromium(
    page, api, stub_worker, create_event, create_contact
):
    event = create_event(
        title="Göç Forumu",
        venue="Sarıçam Kültür Merkezi",
        address="Atatürk Cd. 5",
        city="Adana",
    )
    contact = create_contact(full_name=NAME, language="ar")
    api().post(f"/api/v1/events/{event.id}/invitations", json={"contact_ids": [contact.id]})
    stub_worker.drain()
    (message,) = stub_worker.messages()
    page.set_viewport_size({"width": 900, "height": 900})
    page.set_content(message.get_body(("html",)).get_content())

    def box(text):
        found = page.evaluate(_BOX_OF, text)
        assert found, text
        return found

    # "حضرة Rasha Haddad،": the greeting word first, at the right; the name reads left to right
    dear, rasha, haddad = box("حضرة"), box("Rasha"), box("Haddad")
    assert dear["top"] == rasha["top"] and dear["left"] >= haddad["right"] - 1
    assert rasha["right"] <= haddad["left"] + 1
    # the place: venue, address, city from right to left; "Atatürk Cd. 5" keeps its own order
    venue, street, number, city = box("Sarıçam"), box("Atatürk"), box("Cd. 5"), box("Adana")
    assert venue["top"] == city["top"]
    assert venue["left"] >= street["right"] - 1 and street["left"] >= city["right"] - 1
    assert street["right"] <= number["left"] + 1
