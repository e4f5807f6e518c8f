from tests.rsvp.conftest import answer, forget_locale, fresh, outbox  # noqa: F401
