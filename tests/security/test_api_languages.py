"""API validation errors in the requester's language, the NUL refusal and the check-in nonce
as other validation errors are: the message, and the field's message naming it by its label.
(The check-in nonce's label: tests/checkin/test_scan_api.py.)"""

from __future__ import annotations

import pytest

NUL_BODY = {"name": "Şişli\x00", "kind": "ngo"}


@pytest.mark.parametrize(
    ("language", "body", "field"),
    [
        ("tr", "İstek gövdesi geçerli değil.", "Ad: Metin NUL karakteri içeremez."),
        ("sv", "Innehållet i begäran är ogiltigt.", "Texten får inte innehålla NUL-tecken."),
        ("ar", "محتوى الطلب غير صالح.", "لا يجوز أن يحتوي النص على محرف NUL."),
    ],
)
def test_a_nul_in_json_is_refused_in_the_requesters_language(api, language, body, field):
    resp = api("organiser").post(
        "/api/v1/organisations", json=NUL_BODY, headers={"Accept-Language": language}
    )
    assert resp.status_code == 422
    error = resp.json["error"]
    assert error["message"] == body
    assert field in error["fields"]["name"]


def test_a_nul_in_json_follows_lang_too(api):
    resp = api("organiser").post("/api/v1/organisations?lang=tr", json=NUL_BODY)
    assert resp.json["error"]["fields"]["name"] == "Ad: Metin NUL karakteri içeremez."
