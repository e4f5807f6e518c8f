"""The invitation emails are rendered once per shared context, the invitee's name and link put
in afterwards (invitations.shared_render): the result must be byte for byte the full Jinja
render, in every language and kind, for names and links that need escaping. (Kept across
batches, and never stale: test_shared_render_cache.py.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale

from reslog_events.invitations import shared_render as shared
from reslog_events.invitations.notifications import KINDS, context
from reslog_events.mail.messages import render_email

START = datetime(2027, 3, 4, 7, 0, tzinfo=UTC)
NAMES = [
    'Ayşe <b>Sarıçam</b> & "Şükrü"',
    "محمد العربي",
    "O'Brien & Co <x@y>",
    "Åsa Öberg",
    "İbrahim Çağlar",
]
TEMPLATES = ("emails/invitation.txt", "emails/invitation.html")


@pytest.fixture
def invitations(app, create_event, create_contact, create_invitation):
    event = create_event(
        title="Göç & Kent <Forumu>",
        starts_at=START,
        ends_at=START + timedelta(hours=6),
        address="Atatürk Cd. 5",
        description="Gündem: <script>alert(1)</script> & açılış",
        online_url="https://meet.example.org/a?b=1&c=2",
        rsvp_deadline=START - timedelta(days=7),
    )
    made = []
    for language in ("tr", "en", "ar", "sv"):
        for name in NAMES:
            contact = create_contact(full_name=name, language=language)
            made.append((language, create_invitation(event=event, contact=contact).invitation))
    return made


def test_shared_render_equals_the_full_render(app, invitations):
    payloads = {
        "invitation": {"note": "Lütfen <katılın> & bildirin"},
        "update": {"changes": {"starts_at": [START.isoformat(), None], "venue": ["a", "b"]}},
        "cancellation": {},
        "reminder": {},
    }
    compared = 0
    for kind in KINDS:
        for language, invitation in invitations:
            with force_locale(language):
                ctx = context(invitation, kind, payloads[kind], language)
                for template in TEMPLATES:
                    assert shared.shared_render(template, ctx) == render_email(template, **ctx)
                    compared += 1
    assert compared == len(KINDS) * len(invitations) * 2
    renders = dict(shared.shared_renders().items())
    # one shared render per template, kind and language, all of them usable
    assert len(renders) == len(KINDS) * 4 * 2
    assert all(isinstance(pieces, list) for pieces in renders.values())
    html = next(p for k, p in renders.items() if k[0].endswith(".html"))
    assert shared._NAME in html and shared._URL in html


@pytest.mark.parametrize(
    "source",
    [
        "{{ contact.full_name }} <{{ contact.email }}>",  # another attribute of the contact
        "{{ contact.full_name|upper }} {{ rsvp_url }}",  # a filter on the name
        "{% if contact.full_name|length > 12 %}long{% endif %} {{ rsvp_url }}",
        "{{ invitation.status }}",
        "{{ contact.full_name|truncate(5) }} {{ rsvp_url|urlencode }}",
        "{% if rsvp_url == 'x' %}x{% endif %}{{ contact.full_name[:3] }}",
        "{{ contact }}",
    ],
)
def test_a_template_that_needs_the_invitee_is_rendered_in_full(
    app, invitations, monkeypatch, source
):
    def render(template, **ctx):
        return app.jinja_env.from_string(source).render(ctx)

    monkeypatch.setattr(shared, "render_email", render)
    for language, invitation in invitations[:4]:
        with force_locale(language):
            ctx = context(invitation, "invitation", {}, language)
            assert shared.shared_render("emails/x.txt", ctx) == render("emails/x.txt", **ctx)
    assert [pieces for _key, pieces in shared.shared_renders().items()] == [shared._FULL]
