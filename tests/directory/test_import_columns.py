"""The import's error table names the columns as the uploaded file does ("Kurum", "Ad Soyad"),
not by the contract's field names, and offers the values of a list by their labels, which the
import then accepts too. The API keeps the contract's `field`."""

from __future__ import annotations

import re
from html import unescape

from flask_babel import force_locale
from flask_babel import gettext as _

from tests.directory.conftest import csv_bytes
from tests.directory.test_import_api import upload
from tests.directory.test_pages import _upload
from tests.languages.untranslated import english_in, internal_values

HEADER = ["Ad Soyad", "E-posta", "Kurum", "Görevi", "Rolü", "Cinsiyeti", "Tercih Edilen Dil"]


def _error_table(html: str) -> list[tuple[str, str, str]]:
    table = html.split('id="errors-heading"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r'<td class="num"[^>]*>([^<]*)</td><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td>', table
    )
    strip = lambda cell: unescape(re.sub(r"<[^>]+>", "", cell))  # noqa: E731
    return [(row, strip(column), strip(problem)) for row, column, problem in rows]


def test_error_table_uses_the_files_own_column_names(client, auth, municipalities, staging):
    auth.login("organiser")
    client.get("/contacts/import?lang=tr")
    data = csv_bytes(
        [
            HEADER,
            ["Şükrü Çağlar", "sukru@sisli.bel.tr", "Şişli", "Uzman", "müdür", "E", "Türkçe"],
            ["", "isimsiz@example.org", "Kozan Belediyesi", "", "", "Kadın", "Fince"],
        ]
    )
    assert data.decode("cp1254") and "Ş".encode("cp1254") in data  # Windows-1254, ";"
    resp = _upload(client, data)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    table = _error_table(html)
    assert {(row, column) for row, column, _problem in table} == {
        ("2", "Rolü"),
        ("3", "Ad Soyad"),
        ("3", "Kurum"),
        ("3", "Tercih Edilen Dil"),
    }, table
    assert "<code>role_category</code>" not in html and "<code>organisation</code>" not in html
    problems = dict(((row, column), problem) for row, column, problem in table)
    with force_locale("tr"):
        labels = [_("Elected official"), _("Municipal staff"), _("Refugee community")]
    for label in labels:
        assert label in problems[("2", "Rolü")]
    for problem in problems.values():
        assert not english_in(problem, "tr"), problem
        assert not set(re.findall(r"[\w-]+", problem)) & internal_values(), problem


def test_a_missing_column_is_named_in_the_pages_language(client, auth, municipalities, staging):
    auth.login("organiser")
    client.get("/contacts/import?lang=ar")
    resp = _upload(client, csv_bytes([["Kurum", "Görevi"], ["Şişli", "Uzman"]]))
    assert resp.status_code == 422
    table = _error_table(resp.get_data(as_text=True))
    with force_locale("ar"):
        assert {column for _row, column, _p in table} == {_("Full name"), _("Email")}


def test_the_labels_offered_are_accepted(api, municipalities):
    """What the message offers is what the file may say: labels in any of the languages."""
    with force_locale("ar"):
        arabic = _("Refugee community")
    with force_locale("sv"):
        swedish = _("Undisclosed")
    data = csv_bytes(
        [HEADER, ["Rasha Haddad", "rasha@example.org", "SARICAM", "", arabic, swedish, "ar"]],
        encoding="utf-8",
    )
    resp = upload(api("organiser"), data)
    assert resp.status_code == 200, resp.json
    assert resp.json["created"] == 1


def test_the_api_keeps_the_contract_field(api, municipalities):
    data = csv_bytes([HEADER, ["Ayşe Kaya", "ayse@example.org", "MBB", "", "x", "", ""]])
    resp = upload(api("organiser"), data)
    assert resp.status_code == 422
    assert [(e["row"], e["field"]) for e in resp.json["errors"]] == [(2, "role_category")]
    assert set(resp.json["errors"][0]) == {"row", "field", "message"}
