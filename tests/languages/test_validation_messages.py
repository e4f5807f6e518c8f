"""Every validation message a person can see is in their language and names the field as the
form labels it: the API's 422 `fields` and the forms alike. No pydantic English, no regular
expression, no internal value (`public_institution`, `role_category`): choices by their labels.
The contract's error shape and field keys stay as they were."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.languages.untranslated import english_in, internal_values
from tests.support.forms import post_form

_PYDANTIC = re.compile(
    r"Input should|String should|Value should|Value error|Field required|Extra inputs|"
    r"valid integer|after validation|\^\[|\]\{|\$'"
)


def in_language(language: str, text: str) -> str:
    with force_locale(language):
        return _(text)


def assert_readable(message: str, language: str) -> None:
    assert not _PYDANTIC.search(message), message
    assert not english_in(message, language), (message, english_in(message, language))
    assert not set(re.findall(r"[\w-]+", message)) & internal_values(), message


def assert_labelled(messages: dict[str, str], labels: dict[str, str], language: str) -> None:
    """Each message starts with its field's label (`labels`: English) and reads well."""
    for key, label in labels.items():
        assert messages[key].startswith(in_language(language, label)), messages[key]
    for message in messages.values():
        assert_readable(message, language)


def assert_error_shape(resp, keys: set[str]) -> dict[str, str]:
    assert resp.status_code == 422, resp.get_data(as_text=True)
    error = resp.json["error"]
    assert set(error) == {"code", "message", "fields"} and error["code"] == "validation_error"
    assert set(error["fields"]) == keys, error["fields"]
    return error["fields"]


@pytest.mark.parametrize("language", ["tr", "ar"])
def test_organisation_api_names_fields_and_lists_kinds_by_label(api, language):
    resp = api("organiser").post(
        f"/api/v1/organisations?lang={language}",
        json={"name": "", "kind": "belediye", "code": "a b", "country": "TRX"},
    )
    fields = assert_error_shape(resp, {"name", "kind", "code", "country"})
    labels = {"name": "Name", "kind": "Kind", "code": "Code", "country": "Country"}
    assert_labelled(fields, labels, language)
    assert_readable(resp.json["error"]["message"], language)
    for kind in ("Municipality", "Public institution", "Union of municipalities"):
        assert in_language(language, kind) in fields["kind"], fields["kind"]


@pytest.mark.parametrize("language", ["tr", "ar"])
def test_contact_api_messages(api, language):
    resp = api("organiser").post(
        f"/api/v1/contacts?lang={language}",
        json={
            "full_name": "Ayşe Yılmaz",
            "email": "ayse-at-example.org",
            "role_category": "mayor",
            "gender": "f",
            "phone": "call me",
        },
    )
    fields = assert_error_shape(resp, {"email", "role_category", "gender", "phone"})
    labels = {"email": "Email", "role_category": "Role", "gender": "Gender", "phone": "Phone"}
    assert_labelled(fields, labels, language)
    assert in_language(language, "Elected official") in fields["role_category"]


@pytest.mark.parametrize("language", ["tr", "ar"])
def test_event_api_messages(api, language):
    resp = api("organiser").post(
        f"/api/v1/events?lang={language}",
        json={
            "title": "",
            "kind": "party",
            "level": "regional",
            "starts_at": "2031-05-14T10:00",
            "ends_at": "yarın",
            "capacity": 0,
            "translations": {"ar": {"title": ""}},
        },
    )
    fields = assert_error_shape(
        resp, {"title", "kind", "ends_at", "capacity", "translations.ar.title"}
    )
    labels = {"title": "Title", "kind": "Kind", "ends_at": "Ends", "capacity": "Seats"}
    assert_labelled(fields, labels, language)
    assert "العربية" in fields["translations.ar.title"]
    assert in_language(language, "Peer-to-peer visit") in fields["kind"]


@pytest.mark.parametrize("language", ["tr", "ar"])
def test_report_query_lists_groupings_by_label(api, language):
    resp = api("coordinator").get(
        f"/api/v1/reports/attendance?group_by=sehir&from=2031-02-30&lang={language}"
    )
    fields = assert_error_shape(resp, {"group_by", "from"})
    assert_labelled(fields, {"group_by": "Group by", "from": "Events starting from"}, language)
    assert in_language(language, "Role") in fields["group_by"]


@pytest.mark.parametrize("language", ["tr", "ar"])
def test_scanner_walk_in_messages(api, create_event, language):
    event = create_event()
    resp = api("staff").post(
        f"/api/v1/events/{event.id}/walk-ins?lang={language}",
        json={
            "full_name": "A",
            "email": "x",
            "nonce": "walkin-0001",
            "gate": "A",
            "organisation_kind": "x",
        },
    )
    fields = assert_error_shape(resp, {"full_name", "email", "organisation_kind"})
    assert_labelled(fields, {"email": "E-mail (optional)", "full_name": "Full name"}, language)


def _field_errors(html: str) -> dict[str, str]:
    found = re.findall(r'<p class="error" id="e-([\w-]+)" role="alert">([^<]*)</p>', html)
    return {name: unescape(text) for name, text in found}


@pytest.mark.parametrize("language", ["tr", "ar"])
def test_organisation_form_names_fields(client, auth, language):
    auth.login("organiser")
    client.get(f"/organisations/new?lang={language}")
    resp = post_form(
        client, "/organisations/new", {"name": "", "kind": "union_x", "code": "?!", "country": "T"}
    )
    assert resp.status_code == 422
    errors = _field_errors(resp.get_data(as_text=True))
    assert set(errors) >= {"name", "kind", "code", "country"}
    labels = {"name": "Name", "kind": "Kind", "code": "Code", "country": "Country"}
    assert_labelled(errors, labels, language)


@pytest.mark.parametrize("language", ["tr", "ar"])
def test_contact_form_names_fields(client, auth, language):
    auth.login("organiser")
    client.get(f"/contacts/new?lang={language}")
    resp = post_form(
        client,
        "/contacts/new",
        {"full_name": "", "email": "no", "role_category": "x", "gender": "f", "language": "tr"},
    )
    assert resp.status_code == 422
    errors = _field_errors(resp.get_data(as_text=True))
    assert set(errors) >= {"full_name", "email", "role_category", "gender"}
    labels = {"full_name": "Full name", "email": "Email", "role_category": "Role"}
    assert_labelled(errors, labels, language)
