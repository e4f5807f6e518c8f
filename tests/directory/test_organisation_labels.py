"""An organisation among others (host lists, union filters): its name and its code in brackets,
never a second pair of brackets when the name already carries an abbreviation."""

from __future__ import annotations

import pytest

from reslog_events.directory.models import organisation_label

SALAR = "Sveriges Kommuner och Regioner (SALAR)"


@pytest.mark.parametrize(
    ("name", "code", "label"),
    [
        ("Marmara Belediyeler Birliği", "MBB", "Marmara Belediyeler Birliği (MBB)"),
        (SALAR, "SKR", SALAR),
        ("SALAR", "SALAR", "SALAR"),
        ("ÇBB Çukurova Belediyeler Birliği", "CBB", "ÇBB Çukurova Belediyeler Birliği"),
        ("Türkiye Belediyeler Birliği", "TBB", "Türkiye Belediyeler Birliği (TBB)"),
        ("Şişli Belediyesi", None, "Şişli Belediyesi"),
        # a code that is only part of a word of the name is still shown
        ("Sarıçam Belediyesi", "SAR", "Sarıçam Belediyesi (SAR)"),
    ],
)
def test_the_code_is_added_only_where_the_name_lacks_it(name, code, label):
    assert organisation_label(name, code) == label


def test_lists_of_organisations_show_no_double_brackets(client, auth, create_organisation):
    create_organisation(name=SALAR, code="SKR", kind="union", country="SE")
    create_organisation(name="Marmara Belediyeler Birliği", code="MBB", kind="union")
    auth.login("organiser")
    for path in ("/calendar", "/events/new"):
        html = client.get(path).get_data(as_text=True)
        assert "(SALAR) (SKR)" not in html, path
        assert SALAR in html and "Marmara Belediyeler Birliği (MBB)" in html, path
