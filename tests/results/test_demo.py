"""`flask demo` keeps the twelve RESLOG pilot municipalities on the pilot list and sets this
year's targets, once."""

from __future__ import annotations

from tests.events.test_demo import PILOTS


def test_demo_has_the_pilot_list_and_targets(runner, app, api):
    from reslog_events.results.queries import pilot_list, today

    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "12 pilot municipalities" in first.output
    names = sorted(row.organisation.name for row in pilot_list())
    expected = [name for names in PILOTS.values() for name in names]
    assert len(names) == 12
    for name in expected:
        assert any(found.startswith(name) for found in names), name
    assert "Şişli Belediyesi" in names and "Reyhanlı Belediyesi" in names
    second = runner.invoke(args=["demo"])
    assert "nothing added" in second.output, second.output
    assert len(pilot_list()) == 12
    year = today().year
    data = api("admin").get("/api/v1/results").json
    assert data["period"] == {"start": f"{year}-01-01", "end": f"{year}-12-31"}
    items = {item["key"]: item for item in data["indicators"]}
    assert items["pilot_municipalities"]["denominator"] == 12
    assert items["pilot_municipalities"]["target"] == 12
    assert items["share_women"]["target"] == 45
