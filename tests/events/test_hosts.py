"""Any organisation of the directory can host an event (Adana BB an Adana roundtable, Botkyrka a
Stockholm visit): the form's host search, GET /api/v1/events/hosts, and the union rule (a
union-scoped organiser hosts within their union only, or the event would leave their reach)."""

from __future__ import annotations

import pytest

from reslog_events.events.models import Event
from reslog_events.extensions import db
from tests.events.test_pages import form, html
from tests.support.forms import post_form


@pytest.fixture
def directory(create_organisation):
    mbb = create_organisation(name="Marmara Belediyeler Birliği", code="MBB", kind="union")
    cbb = create_organisation(name="Çukurova Belediyeler Birliği", code="ÇBB", kind="union")
    return {
        "MBB": mbb,
        "ÇBB": cbb,
        "adana": create_organisation(
            name="Adana Büyükşehir Belediyesi", code="ADANABB", unions=[cbb], province="Adana"
        ),
        "saricam": create_organisation(name="Sarıçam Belediyesi", unions=[cbb]),
        "sisli": create_organisation(name="Şişli Belediyesi", unions=[mbb]),
        "botkyrka": create_organisation(name="Botkyrka kommun", country="SE"),
        "walk_in": create_organisation(name="Adana Kapıda Kayıt", confirmed=False),
    }


def _hosts(client, **query):
    resp = client.get("/api/v1/events/hosts", query_string=query)
    assert resp.status_code == 200, resp.json
    return resp.json


def test_any_confirmed_organisation_can_be_found_by_name_or_code(client, auth, directory):
    auth.login("organiser")  # programme-wide; the form's script asks with its session
    found = _hosts(client, q="adana")
    assert [item["name"] for item in found["items"]] == ["Adana Büyükşehir Belediyesi"]
    assert found["items"][0] == {
        "id": directory["adana"].id,
        "name": "Adana Büyükşehir Belediyesi",
        "code": "ADANABB",
        "label": "Adana Büyükşehir Belediyesi (ADANABB)",
        "kind": "municipality",
        "country": "TR",
    }
    assert [i["name"] for i in _hosts(client, q="BOTK")["items"]] == ["Botkyrka kommun"]
    assert [i["name"] for i in _hosts(client, q="çbb")["items"]] == ["Çukurova Belediyeler Birliği"]
    assert [i["name"] for i in _hosts(client, q="sarıçam")["items"]] == ["Sarıçam Belediyesi"]
    # page by page, all confirmed organisations (the walk-in's is not offered)
    first = _hosts(client, per_page=4)
    second = _hosts(client, per_page=4, page=2)
    assert first["total"] == second["total"] == 6
    names = [i["name"] for i in first["items"] + second["items"]]
    assert len(names) == 6 and "Adana Kapıda Kayıt" not in names
    assert names[0] == "Adana Büyükşehir Belediyesi"  # Turkish alphabetical order
    assert client.get("/api/v1/events/hosts?per_page=101").status_code == 422


def test_a_union_organiser_finds_their_union_and_its_members_only(
    client, auth, create_user, directory
):
    organiser = create_user("organiser", union_id=directory["ÇBB"].id)
    auth.login(user=organiser)
    everyone = [i["name"] for i in _hosts(client)["items"]]
    assert everyone == [
        "Çukurova Belediyeler Birliği",  # their union first
        "Adana Büyükşehir Belediyesi",
        "Sarıçam Belediyesi",
    ]
    assert _hosts(client, q="botkyrka")["total"] == 0
    assert _hosts(client, q="şişli")["total"] == 0


def test_door_staff_and_coordinators_may_not_search_hosts(client, auth, directory):
    for role in ("staff", "coordinator"):
        auth.login(role)
        assert client.get("/api/v1/events/hosts?q=adana").status_code == 403
        auth.logout()


def test_the_form_saves_any_organisation_as_host(client, auth, directory):
    auth.login("organiser")
    page = html(client.get("/events/new"))
    assert 'id="host-search"' in page and "/api/v1/events/hosts" in page
    botkyrka = directory["botkyrka"]
    resp = post_form(client, "/events/new", form(host_organisation_id=str(botkyrka.id)))
    assert resp.status_code == 302, html(resp)
    event = db.session.scalars(db.select(Event)).one()
    assert event.host_organisation_id == botkyrka.id
    # the edit form lists the host although it is no union or partner
    edit = html(client.get(f"/events/{event.id}/edit"))
    assert f'<option value="{botkyrka.id}" selected>Botkyrka kommun</option>' in edit


def test_a_union_organiser_cannot_host_outside_their_union(client, auth, create_user, directory):
    """The rule: refuse (422, the field named), rather than save an event that would vanish
    from its own organiser's lists."""
    organiser = create_user("organiser", union_id=directory["ÇBB"].id)
    auth.login(user=organiser)
    outside = post_form(
        client, "/events/new?lang=tr", form(host_organisation_id=str(directory["botkyrka"].id))
    )
    assert outside.status_code == 422
    assert "Ev sahibi olarak kendi birliğinizi ya da üyelerinden birini seçin." in html(outside)
    assert db.session.scalars(db.select(Event)).all() == []
    inside = post_form(client, "/events/new", form(host_organisation_id=str(directory["adana"].id)))
    assert inside.status_code == 302
    event = db.session.scalars(db.select(Event)).one()
    assert client.get(f"/events/{event.id}").status_code == 200
    moved = post_form(
        client,
        f"/events/{event.id}/edit?lang=tr",
        form(host_organisation_id=str(directory["sisli"].id)),
    )
    assert moved.status_code == 422
    db.session.refresh(event)
    assert event.host_organisation_id == directory["adana"].id
    assert client.get(f"/events/{event.id}").status_code == 200
