"""The certificate of attendance: the PDF (its text read back by pypdf, Turkish letters and
Arabic exactly), the verification page, the 404s, and what erasure and rotation do to it."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from reslog_events.checkin.models import CheckIn
from reslog_events.extensions import db

DAYS = (date(2026, 3, 14), date(2026, 3, 15))


@pytest.fixture
def ended(create_event):
    return create_event(
        title="Şehir Dayanıklılığı Çalıştayı",
        starts_at=datetime(2026, 3, 14, 6, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 15, 14, 0, tzinfo=UTC),
        venue="Kültür Merkezi",
        city="İstanbul",
    )


@pytest.fixture
def attendee(create_invitation, create_contact, create_organisation, ended):
    """An invitee checked in at `ended` on the given days."""

    def make(event=None, days=DAYS, status="accepted", **contact):
        event = event or ended
        name = contact.pop("organisation", None)
        organisation = create_organisation(**({"name": name} if name else {}))
        new = create_invitation(
            event=event,
            contact=create_contact(organisation=organisation, **contact),
            status=status,
        )
        for day in days:
            db.session.add(CheckIn(event_id=event.id, invitation_id=new.invitation.id, day=day))
        db.session.commit()
        return new

    return make


def _pdf_text(response) -> str:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.data)).pages[0].extract_text()


def _code(text: str) -> str:
    (code,) = re.findall(r"/verify/([A-Za-z0-9_-]{16})", text)
    return code


def test_turkish_certificate_reads_back_exactly(app, client, attendee):
    new = attendee(full_name="Ayşe Yılmaz", language="tr", organisation="Şişli Belediyesi")
    response = client.get(f"/rsvp/{new.rsvp_token}/certificate.pdf")
    text = _pdf_text(response)
    for expected in (
        "Ayşe Yılmaz",
        "Şişli Belediyesi",
        "Şehir Dayanıklılığı Çalıştayı",
        "Kültür Merkezi, İstanbul",
        "14 Mart 2026",
        "15 Mart 2026",
        "Katılım belgesi",
    ):
        assert expected in text, expected
    code = _code(text)
    assert f"{app.config['PUBLIC_BASE_URL']}/verify/{code}" in text
    # the QR code on the page holds the same link
    page = PdfReader(io.BytesIO(response.data)).pages[0]
    (image,) = page.images
    (qr,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
    assert qr.text.endswith(f"/verify/{code}")
    # fonts embedded, none assumed from the system
    fonts = page["/Resources"]["/Font"]
    for font in fonts.values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()
    # the code is stable
    again = _pdf_text(client.get(f"/rsvp/{new.rsvp_token}/certificate.pdf"))
    assert _code(again) == code


def test_arabic_certificate_reads_back_exactly(client, attendee):
    new = attendee(full_name="محمد العلي", language="ar", organisation="Reyhanlı Belediyesi")
    text = _pdf_text(client.get(f"/rsvp/{new.rsvp_token}/certificate.pdf"))
    assert "محمد العلي" in text
    assert "شهادة حضور" in text
    assert "Reyhanlı Belediyesi" in text


def test_verification_page_shows_name_event_days_only(client, attendee):
    new = attendee(
        full_name="Ayşe Yılmaz", email="ayse@example.org", organisation="Şişli Belediyesi"
    )
    code = _code(_pdf_text(client.get(f"/rsvp/{new.rsvp_token}/certificate.pdf")))
    page = client.get(f"/verify/{code}?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "This certificate is genuine" in html
    assert "Ayşe Yılmaz" in html and "Şehir Dayanıklılığı Çalıştayı" in html
    assert "March 14, 2026" in html and "March 15, 2026" in html
    assert "Şişli Belediyesi" not in html and "ayse@example.org" not in html
    assert "Kültür Merkezi" not in html
    arabic = client.get(f"/verify/{code}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in arabic and "Ayşe Yılmaz" in arabic
    assert client.get("/verify/AAAAAAAAAAAAAAAA").status_code == 404
    assert client.get("/verify/short").status_code == 404


def test_nobody_else_gets_one(client, app, attendee, create_event, create_invitation):
    from datetime import timedelta

    from reslog_events.core.columns import utcnow

    never_came = create_invitation(event=attendee().invitation.event, status="accepted")
    running = create_event(starts_at=utcnow() - timedelta(hours=1))
    still_on = attendee(event=running, days=(utcnow().date(),))
    revoked = attendee()
    revoked.invitation.status = "revoked"
    cancelled_event = create_event(
        starts_at=datetime(2026, 3, 1, 6, 0, tzinfo=UTC), status="cancelled"
    )
    cancelled = attendee(event=cancelled_event, days=(date(2026, 3, 1),))
    db.session.commit()
    for token in (
        never_came.rsvp_token,
        still_on.rsvp_token,
        revoked.rsvp_token,
        cancelled.rsvp_token,
        "x" * 43,
        "no",
    ):
        assert client.get(f"/rsvp/{token}/certificate.pdf").status_code == 404, token


def test_rotation_and_erasure_invalidate_the_code(client, app, attendee):
    from reslog_events.invitations.operations import rotate_checkin_code
    from reslog_events.privacy.operations import erase_contact

    new = attendee(full_name="Ayşe Yılmaz")
    url = f"/rsvp/{new.rsvp_token}/certificate.pdf"
    first = _code(_pdf_text(client.get(url)))
    rotate_checkin_code(db.session.merge(new.invitation))
    db.session.commit()
    assert client.get(f"/verify/{first}").status_code == 404
    second = _code(_pdf_text(client.get(url)))
    assert second != first
    assert client.get(f"/verify/{second}").status_code == 200

    erase_contact(db.session.merge(new.invitation).contact)
    db.session.commit()
    assert client.get(f"/verify/{second}").status_code == 404
    assert client.get(url).status_code == 404


def test_rsvp_page_links_the_certificate(client, attendee, create_invitation):
    new = attendee()
    page = client.get(f"/rsvp/{new.rsvp_token}?lang=en").get_data(as_text=True)
    assert f"/rsvp/{new.rsvp_token}/certificate.pdf" in page
    absent = create_invitation(event=new.invitation.event, status="accepted")
    page = client.get(f"/rsvp/{absent.rsvp_token}?lang=en").get_data(as_text=True)
    assert "certificate.pdf" not in page


def test_the_personal_data_export_lists_the_certificate(api, client, attendee):
    new = attendee(full_name="Ayşe Yılmaz")
    code = _code(_pdf_text(client.get(f"/rsvp/{new.rsvp_token}/certificate.pdf")))
    contact_id = new.invitation.contact_id
    export = api("organiser").get(f"/api/v1/contacts/{contact_id}/export")
    assert export.status_code == 200
    (invitation,) = export.json["invitations"]
    assert invitation["certificate"]["valid"] is True
    assert invitation["certificate"]["issued_at"]
    assert code not in export.get_data(as_text=True)  # the verification code is left out
