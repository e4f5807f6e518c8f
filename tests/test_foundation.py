"""The app, its schema, users and tokens, login, headers."""

from __future__ import annotations

import sqlalchemy as sa

from tests.support.factories import PASSWORD
from tests.support.forms import post_form


def test_migrations_give_exactly_the_models(app):
    """`flask db upgrade` on an empty database (done by the fixture) leaves nothing to migrate."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from reslog_events.extensions import db

    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, db.metadata)
    assert diff == []


def test_database_enforces_invariants(app, create_event):
    from reslog_events.extensions import db

    event = create_event()
    with db.engine.connect() as conn:
        for statement in (
            "UPDATE events SET ends_at = starts_at WHERE id = :id",
            "UPDATE events SET capacity = 0 WHERE id = :id",
            "UPDATE events SET kind = 'party' WHERE id = :id",
        ):
            try:
                with conn.begin():
                    conn.execute(sa.text(statement), {"id": event.id})
            except sa.exc.IntegrityError:
                continue
            raise AssertionError(f"the database accepted: {statement}")


def test_users_create_prints_token_last(runner, client):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Ayşe@Example.org",
            "--role",
            "organiser",
            "--name",
            "Ayşe Yılmaz",
            "--token",
        ]
    )
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("rsl_")
    resp = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    again = runner.invoke(args=["users", "create", "AYŞE@EXAMPLE.ORG", "--role", "staff"])
    assert again.exit_code != 0 and "exists" in again.output
    bad = runner.invoke(args=["users", "create", "x@example.org", "--role", "boss"])
    assert bad.exit_code != 0


def test_api_tokens_are_stored_hashed(app, runner):
    from reslog_events.auth.models import ApiToken
    from reslog_events.extensions import db

    result = runner.invoke(args=["users", "create", "t@example.org", "--role", "admin", "--token"])
    token = result.output.strip().splitlines()[-1]
    stored = db.session.scalars(sa.select(ApiToken)).one()
    assert token not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64


def test_passwords_use_a_modern_kdf(create_user):
    user = create_user("staff")
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password(PASSWORD) and not user.check_password("wrong")


def test_login_and_logout(client, auth):
    resp = auth.login("organiser")
    assert resp.status_code == 302
    assert client.get("/", follow_redirects=False).status_code == 302
    resp = auth.logout()
    assert resp.status_code == 302
    assert "/login" in client.get("/events", follow_redirects=False).headers.get("Location", "")


def test_login_wrong_password_keeps_email(client, create_user):
    user = create_user("organiser")
    resp = post_form(client, "/login", {"email": user.email, "password": "nope"})
    assert resp.status_code == 401
    html = resp.get_data(as_text=True)
    assert user.email in html and 'role="alert"' in html


def test_an_empty_login_form_names_the_missing_fields(client, create_user):
    user = create_user("organiser")
    cases = [
        ({"email": "", "password": ""}, {"email", "password"}),
        ({"email": " ", "password": "x"}, {"email"}),
        ({"email": user.email, "password": ""}, {"password"}),
    ]
    for data, missing in cases:
        resp = post_form(client, "/login?lang=tr", data)
        html = resp.get_data(as_text=True)
        assert resp.status_code == 422, data
        assert "E-posta adresi veya parola hatalı." not in html
        assert ("E-posta adresinizi girin." in html) == ("email" in missing)
        assert ("Parolanızı girin." in html) == ("password" in missing)
        assert ('id="e-email"' in html) == ("email" in missing)


def test_login_without_csrf_is_refused(client, create_user):
    user = create_user("organiser")
    resp = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert resp.status_code == 400


def test_login_is_rate_limited(client, create_user):
    user = create_user("organiser")
    statuses = [
        post_form(client, "/login", {"email": user.email, "password": "bad"}).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[-1] == 429


def test_security_headers_and_cookie_flags(client, auth):
    resp = client.get("/login")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert resp.headers["X-Frame-Options"] == "DENY"
    login = auth.login("staff")
    cookie = login.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_language_switch_is_remembered(client):
    html = client.get("/login?lang=ar").get_data(as_text=True)
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="ar"' in html


def test_api_errors_are_json_never_html(client, api):
    resp = client.get("/api/v1/nowhere")
    assert resp.status_code == 404 and resp.json["error"]["code"] == "not_found"
    resp = api(None).get("/api/v1/openapi.json", headers={"Authorization": "Basic abc"})
    assert resp.status_code == 200  # the OpenAPI document is public


def test_openapi_document_lists_every_endpoint(client):
    from reslog_events.core.api import REGISTRY

    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    for ep in REGISTRY:
        assert ep.method.lower() in doc["paths"][ep.openapi_path], ep.openapi_path


def test_every_reference_in_the_openapi_document_resolves(client):
    """A client generator follows every `$ref`: each must name something the document has
    (query parameters' enums once pointed at a `#/$defs/...` the document did not carry)."""
    import json
    import re

    doc = client.get("/api/v1/openapi.json").json
    refs = set(re.findall(r'"\$ref": "([^"]+)"', json.dumps(doc)))
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in doc["components"]["schemas"], ref
    group_by = next(
        p
        for p in doc["paths"]["/api/v1/reports/attendance"]["get"]["parameters"]
        if p["name"] == "group_by"
    )
    assert "$defs" not in json.dumps(group_by)


def test_openapi_describes_what_each_endpoint_reads(client):
    """The document and the code cannot drift: query parameters, JSON bodies and multipart
    fields are described from the same models that validate them, and an API view reads no
    form field, query argument or file part behind its declaration's back."""
    import re
    from pathlib import Path

    from reslog_events.core.api import REGISTRY

    def names(model) -> set[str]:
        return {f.alias or name for name, f in model.model_fields.items()} if model else set()

    doc = client.get("/api/v1/openapi.json").json
    for ep in REGISTRY:
        op = doc["paths"][ep.openapi_path][ep.method.lower()]
        where = f"{ep.method} {ep.openapi_path}"
        query = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        assert query == names(ep.query), where
        content = op.get("requestBody", {}).get("content", {})
        if ep.body is not None:
            ref = content["application/json"]["schema"]["$ref"]
            assert ref == f"#/components/schemas/{ep.body.__name__}", where
        if ep.multipart:
            schema = content["multipart/form-data"]["schema"]
            assert set(schema["properties"]) == {"file"} | names(ep.form), where
            assert "file" in schema["required"], where
        else:
            assert "multipart/form-data" not in content, where
    upload = doc["paths"]["/api/v1/events/{event_id}/documents"]["post"]
    fields = upload["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
    visibility = fields["visibility"]
    if "$ref" in visibility:
        visibility = doc["components"]["schemas"][visibility["$ref"].rsplit("/", 1)[1]]
    assert set(visibility.get("enum", ())) == {"organisers", "invitees", "attendees"}

    # only core.api reads forms and queries for the API views; a view takes its upload's `file`
    root = Path(__file__).resolve().parents[1] / "reslog_events"
    for module in root.rglob("api.py"):
        if module.parent.name == "core":
            continue
        source = module.read_text()
        assert not re.search(r"request\.(form|values|args|json|get_json)\b", source), module
        assert set(re.findall(r"request\.files\.get\(([^)]*)\)", source)) <= {'"file"'}, module


def test_an_undeclared_upload_field_is_refused(api, create_event):
    """The upload's form is its declared model: a field the document does not describe is 422."""
    import io

    event = create_event()
    answer = api("organiser").post(
        f"/api/v1/events/{event.id}/documents",
        data={"file": (io.BytesIO(b"%PDF-1.4 x"), "a.pdf"), "title": "Başka ad"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422 and "title" in answer.json["error"]["fields"]
    bad = api("organiser").post(
        f"/api/v1/events/{event.id}/documents",
        data={"file": (io.BytesIO(b"%PDF-1.4 x"), "a.pdf"), "visibility": "everyone"},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "visibility" in bad.json["error"]["fields"]


def test_turkish_lower_case_in_running_text():
    from reslog_events.core.turkish import fold, locale_lower, sort_key

    assert locale_lower("İl", "tr") == "il" and locale_lower("IĞDIR", "tr") == "ığdır"
    assert locale_lower("Il", "en") == "il"
    assert fold("ŞİŞLİ Belediyesi") == "sisli belediyesi"
    names = ["Zeytinburnu", "Şişli", "Sarıçam", "Seyhan", "İzmir", "Iğdır", "Çukurova", "Ceyhan"]
    assert sorted(names, key=sort_key) == [
        "Ceyhan",
        "Çukurova",
        "Iğdır",
        "İzmir",
        "Sarıçam",
        "Seyhan",
        "Şişli",
        "Zeytinburnu",
    ]
