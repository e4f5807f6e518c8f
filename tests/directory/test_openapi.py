"""The OpenAPI document describes the directory from the same schemas that validate requests."""

from __future__ import annotations


def test_directory_paths_in_openapi(client):
    doc = client.get("/api/v1/openapi.json").json
    paths = doc["paths"]
    for path in (
        "/api/v1/organisations",
        "/api/v1/organisations/{organisation_id}",
        "/api/v1/contacts",
        "/api/v1/contacts/{contact_id}",
        "/api/v1/contacts/import",
    ):
        assert path in paths, path
    schemas = doc["components"]["schemas"]
    organisation = schemas["OrganisationOut"]["properties"]
    # the contract's fields, and the directory's own additions (names, states)
    assert set(organisation) == {
        "id",
        "name",
        "kind",
        "code",
        "country",
        "province",
        "district",
        "unions",
    } | {"province_name", "province_unmatched", "confirmed"}
    contact = schemas["ContactIn"]
    assert set(contact["required"]) == {"full_name", "email"}
    assert contact["additionalProperties"] is False
    upload = paths["/api/v1/contacts/import"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload
    params = {p["name"] for p in paths["/api/v1/contacts"]["get"]["parameters"]}
    assert {
        "organisation_id",
        "union",
        "province",
        "kind",
        "role_category",
        "language",
        "gender",
        "q",
        "page",
        "per_page",
    } <= params
