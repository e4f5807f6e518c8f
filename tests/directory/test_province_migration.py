"""Migration 0009 on a directory of free-text provinces as offices typed them: mixed case, with and
without Turkish letters, a Swedish county, Lebanese governorates and values that name nothing.

It runs on its own throw-away database (SQLite file, or PostgreSQL beside TEST_DATABASE_URL):
upgrade to 0008, insert the old rows, upgrade to 0009, check; then down again.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.support.migrations import app_at_revision

#: (name, country, province as typed) → code, or None when it names no province
ROWS = [
    ("Seyhan Belediyesi", "TR", "adana", "TR-01"),
    ("Kadıköy Belediyesi", "TR", "İSTANBUL", "TR-34"),
    ("Şişli Belediyesi", "TR", "Istanbul", "TR-34"),
    ("Fatih Belediyesi", "TR", "istanbul", "TR-34"),
    ("Haliliye Belediyesi", "TR", "Şanlıurfa", "TR-63"),
    ("Eyyübiye Belediyesi", "TR", "sanliurfa", "TR-63"),
    ("Iğdır Belediyesi", "TR", "IGDIR", "TR-76"),
    ("Bornova Belediyesi", "TR", "  izmir ", "TR-35"),
    ("Yüksekova Belediyesi", "TR", "HAKKARİ", "TR-30"),
    ("Elbistan Belediyesi", "TR", "KAHRAMANMARAŞ", "TR-46"),
    ("Malmö stad", "SE", "Skåne", "SE-M"),
    ("Botkyrka kommun", "SE", "Stockholms län", "SE-AB"),
    ("Tyre Municipality", "LB", "Al Janub", "LB-JA"),
    ("Beirut Municipality", "LB", "Beirut", None),
    ("Sandıklı Belediyesi", "TR", "Afyon", None),
    ("Onikişubat Belediyesi", "TR", "K.Maraş", None),
    # a Turkish province for a Swedish partner: not one of its country's
    ("Göteborgs Stad", "SE", "İzmir", None),
    ("Göç Derneği", "TR", None, None),
]


@pytest.fixture
def fresh_app(tmp_path_factory):
    with app_at_revision(tmp_path_factory, "0008") as app:
        yield app


def _insert_old_rows(engine) -> dict[str, int]:
    ids = {}
    with engine.begin() as conn:
        for n, (name, country, province, _code) in enumerate(ROWS):
            ident = conn.execute(
                sa.text(
                    "INSERT INTO organisations (name, search_key, sort_key, kind, country,"
                    " province, created_at, updated_at) VALUES (:name, :key, :key, 'municipality',"
                    " :country, :province, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id"
                ),
                {"name": name, "key": f"org {n}", "country": country, "province": province},
            ).scalar_one()
            ids[name] = ident
    return ids


def test_free_text_provinces_become_codes(fresh_app, capsys):
    from flask_migrate import downgrade, upgrade

    from reslog_events.extensions import db

    ids = _insert_old_rows(db.engine)
    upgrade(revision="0009")
    with db.engine.connect() as conn:
        rows = {
            r.id: r
            for r in conn.execute(
                sa.text("SELECT id, province, province_unmatched, confirmed FROM organisations")
            )
        }
    for name, _country, typed, code in ROWS:
        row = rows[ids[name]]
        assert row.province == code, name
        assert bool(row.confirmed) is True
        if code is None and typed is not None:
            assert row.province_unmatched == typed.strip(), name
        else:
            assert row.province_unmatched is None, name

    printed = capsys.readouterr().out
    assert "Provinces to fix: 4 organisation(s)" in printed
    for text in ("'Beirut'", "'Afyon'", "'K.Maraş'", "Göteborgs Stad (SE): 'İzmir'"):
        assert text in printed
    assert "'adana'" not in printed

    # the database now refuses a province of another country, and free text
    for bad in ("TR-01", "Adana"):
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE organisations SET province = :p WHERE id = :id"),
                {"p": bad, "id": ids["Malmö stad"]},
            )

    downgrade(revision="0008")
    with db.engine.connect() as conn:
        back = dict(conn.execute(sa.text("SELECT id, province FROM organisations")).all())
    assert back[ids["Seyhan Belediyesi"]] == "Adana"
    assert back[ids["Şişli Belediyesi"]] == "İstanbul"
    assert back[ids["Sandıklı Belediyesi"]] == "Afyon"  # the unmatched text is given back
    assert back[ids["Göç Derneği"]] is None
