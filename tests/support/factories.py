"""Test factories. Each fixture returns a callable taking overrides: `create_event(title="…")`."""

from __future__ import annotations

import itertools
from datetime import timedelta

from reslog_events.core.columns import utcnow

_seq = itertools.count(1)

PASSWORD = "correct horse battery staple"
_password_hashes: dict[str, str] = {}


def _password_hash(password: str) -> str:
    """The scrypt hash of a test password, made once: scrypt costs ~0.1 s of CPU per call and
    most tests create users with the same password. The hash is a real one, so logging in still
    goes through `check_password_hash`."""
    if password not in _password_hashes:
        from werkzeug.security import generate_password_hash

        _password_hashes[password] = generate_password_hash(password, method="scrypt")
    return _password_hashes[password]


def create_user(app):
    from reslog_events.auth.models import Role
    from reslog_events.auth.operations import create_user as _create
    from reslog_events.extensions import db

    def make(role: str = "organiser", email: str | None = None, **kw):
        password = kw.pop("password", PASSWORD)
        user = _create(
            email or f"{role}{next(_seq)}@example.org", Role(role), name=kw.pop("name", "")
        )
        if password:
            user.password_hash = _password_hash(password)
        for key, value in kw.items():
            setattr(user, key, value)
        db.session.commit()
        return user

    return make


def create_organisation(app):
    from reslog_events.directory.models import Organisation, OrganisationKind
    from reslog_events.directory.provinces import resolve
    from reslog_events.extensions import db

    def make(**kw):
        n = next(_seq)
        unions = kw.pop("unions", [])
        country = kw.pop("country", "TR")
        if kw.get("province") is not None:
            # a name, as people write it: stored as its code, or kept as one to fix
            text = kw.pop("province")
            kw["province"] = resolve(text, country)
            if kw["province"] is None:
                kw["province_unmatched"] = text
        org = Organisation(
            name=kw.pop("name", f"Belediye {n}"),
            kind=OrganisationKind(kw.pop("kind", "municipality")),
            country=country,
            **kw,
        )
        org.unions = list(unions)
        db.session.add(org)
        db.session.commit()
        return org

    return make


def create_contact(app, create_organisation):
    from reslog_events.directory.models import Contact, Gender, Language, RoleCategory
    from reslog_events.extensions import db

    def make(**kw):
        n = next(_seq)
        if "organisation" not in kw and "organisation_id" not in kw:
            kw["organisation"] = create_organisation()
        contact = Contact(
            full_name=kw.pop("full_name", f"Kişi {n}"),
            email=kw.pop("email", f"person{n}@example.org"),
            role_category=RoleCategory(kw.pop("role_category", "municipal_staff")),
            gender=Gender(kw.pop("gender", "undisclosed")),
            language=Language(kw.pop("language", "tr")),
            **kw,
        )
        db.session.add(contact)
        db.session.commit()
        return contact

    return make


def create_event(app):
    from reslog_events.events.models import Event, EventKind, EventLevel, EventStatus
    from reslog_events.extensions import db

    def make(**kw):
        n = next(_seq)
        starts = kw.pop("starts_at", utcnow().replace(microsecond=0) + timedelta(days=14))
        event = Event(
            title=kw.pop("title", f"Forum {n}"),
            kind=EventKind(kw.pop("kind", "forum")),
            level=EventLevel(kw.pop("level", "regional")),
            status=EventStatus(kw.pop("status", "published")),
            starts_at=starts,
            ends_at=kw.pop("ends_at", starts + timedelta(hours=6)),
            timezone=kw.pop("timezone", "Europe/Istanbul"),
            venue=kw.pop("venue", "Kültür Merkezi"),
            city=kw.pop("city", "İstanbul"),
            country=kw.pop("country", "TR"),
            **kw,
        )
        db.session.add(event)
        db.session.commit()
        return event

    return make


def create_invitation(app, create_event, create_contact):
    """Returns a NewInvitation (invitation, rsvp_token, checkin_code)."""
    from reslog_events.extensions import db
    from reslog_events.invitations.models import InvitationStatus
    from reslog_events.invitations.operations import build_invitation

    def make(event=None, contact=None, status: str = "pending", **kw):
        new = build_invitation(
            event or create_event(),
            contact or create_contact(),
            status=InvitationStatus(status),
            walk_in=kw.pop("walk_in", False),
        )
        for key, value in kw.items():
            setattr(new.invitation, key, value)
        db.session.commit()
        return new

    return make


def makers(app):
    """(create_user, create_organisation, create_event, create_contact, create_invitation) bound
    to `app`, for worlds built once per module (the fixtures of the same names are per test)."""
    organisation, event = create_organisation(app), create_event(app)
    contact = create_contact(app, organisation)
    return create_user(app), organisation, event, contact, create_invitation(app, event, contact)


class ApiClient:
    """The test client with a bearer token: `api("organiser").post("/api/v1/…", json=…)`."""

    def __init__(self, client, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def open(self, method: str, path: str, **kw):
        headers = {**self.headers, **kw.pop("headers", {})}
        return self.client.open(path, method=method, headers=headers, **kw)

    def get(self, path, **kw):
        return self.open("GET", path, **kw)

    def post(self, path, **kw):
        return self.open("POST", path, **kw)

    def patch(self, path, **kw):
        return self.open("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.open("DELETE", path, **kw)


def api(app, client, create_user):
    from reslog_events.auth.operations import create_token
    from reslog_events.extensions import db

    tokens: dict[str, str] = {}

    def make(role: str | None = "organiser") -> ApiClient:
        if role is None:
            return ApiClient(client, None)
        if role not in tokens:
            user = create_user(role)
            tokens[role] = create_token(user)
            db.session.commit()
        return ApiClient(client, tokens[role])

    return make


class AuthActions:
    def __init__(self, client, create_user) -> None:
        self.client = client
        self.create_user = create_user
        self.user = None

    def login(self, role: str = "organiser", user=None):
        from tests.support.forms import post_form

        self.user = user or self.create_user(role)
        return post_form(self.client, "/login", {"email": self.user.email, "password": PASSWORD})

    def logout(self):
        from tests.support.forms import csrf_token

        return self.client.post("/logout", data={"csrf_token": csrf_token(self.client, "/")})


def auth(client, create_user):
    return AuthActions(client, create_user)
