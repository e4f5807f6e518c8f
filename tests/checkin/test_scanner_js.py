"""The scanner's offline logic (static/js/checkin-local.js) agrees with the server: the same
Turkish folding, the same code hashes, the same event-local days, the same verdicts."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from reslog_events.core.tokens import digest, new_checkin_code, normalise_checkin_code
from reslog_events.core.turkish import fold
from tests.support.services import require

MODULE = Path(__file__).resolve().parents[2] / "static" / "js" / "checkin-local.js"

NAMES = [
    "Şişli Belediyesi",
    "İSTANBUL",
    "ıspanak IĞDIR",
    "Çağlayan  Gönül   Ünal",
    "Âşık Veysel",
    "Zoë Müller-Lüdenscheidt",
    "محمد الأحمد",
]


def run_node(script: str) -> object:
    node = shutil.which("node")
    require(node is not None, "Node.js is not installed")
    done = subprocess.run(
        [node, "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_offline_logic_matches_the_server():
    code = new_checkin_code()
    typed = f"  {code.lower()} "
    list_data = {
        "day": "2031-03-03",
        "items": [
            {
                "invitation_id": 1,
                "code_hash": digest(code),
                "full_name": "Ayşe Yılmaz",
                "organisation": "Şişli Belediyesi",
                "status": "accepted",
                "is_walk_in": False,
                "checked_in_at": None,
                "gate": None,
            },
            {
                "invitation_id": 2,
                "code_hash": "ab" * 32,
                "full_name": "Geri Alınan",
                "organisation": None,
                "status": "revoked",
                "is_walk_in": False,
                "checked_in_at": None,
                "gate": None,
            },
        ],
        "retired_code_hashes": ["cd" * 32],
    }
    script = f"""
import {{ fold, normaliseCode, sha256Hex, eventDay, ExpectedList }} from "{MODULE.as_uri()}";
const names = {json.dumps(NAMES)};
const list = new ExpectedList("Europe/Istanbul");
list.load({json.dumps(list_data)});
const hash = await sha256Hex(normaliseCode({json.dumps(typed)}));
const at = new Date("2031-03-03T07:00:00Z");
const first = list.verdictForHash(hash, at, "A");
const second = list.verdictForHash(hash, new Date("2031-03-03T08:00:00Z"), "B");
const nextDay = list.verdictForHash(hash, new Date("2031-03-04T07:00:00Z"), "B");
console.log(JSON.stringify({{
  folded: names.map(fold),
  hash,
  day: eventDay(new Date("2031-03-03T22:30:00Z"), "Europe/Istanbul"),
  verdicts: [first.result, second.result, nextDay.result,
    list.verdictForHash("ab".repeat(32), at, "A").result,
    list.verdictForHash("cd".repeat(32), at, "A").result,
    list.verdictForHash("ef".repeat(32), at, "A").result],
  firstGate: second.first_gate,
  found: list.search("sisli AYSE").map((i) => i.invitation_id),
}}));
"""
    out = run_node(script)
    assert out["folded"] == [fold(name) for name in NAMES]
    assert out["hash"] == digest(normalise_checkin_code(typed))
    assert out["day"] == "2031-03-04"  # 01:30 in Istanbul
    assert out["verdicts"] == [
        "offline_ok",
        "already_checked_in",
        "offline_ok",
        "revoked",
        "revoked",
        "offline_unknown",
    ]
    assert out["firstGate"] == "A"
    assert out["found"] == [1]


@pytest.mark.parametrize("name", sorted(MODULE.parent.glob("checkin*.js")), ids=lambda p: p.name)
def test_scripts_parse(name):
    node = shutil.which("node")
    require(node is not None, "Node.js is not installed")
    flag = [] if name.name == "checkin-decoder.js" else ["--experimental-default-type=module"]
    done = subprocess.run(
        [node, *flag, "--check", str(name)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_offline_verdicts_follow_the_door_rules():
    """Statuses, the event's days and the override decide offline as they do on the server."""
    items = [
        {
            "invitation_id": n,
            "code_hash": f"{n:02d}" * 32,
            "full_name": f"Kişi {n}",
            "organisation": None,
            "status": status,
            "is_walk_in": False,
            "checked_in_at": None,
            "gate": None,
            "responded_at": "2026-12-12T08:00:00+00:00" if status == "declined" else None,
            "waitlist_position": 3 if status == "waitlisted" else None,
        }
        for n, status in enumerate(["accepted", "declined", "waitlisted", "substituted"], 1)
    ]
    list_data = {
        "day": "2031-03-03",
        "first_day": "2031-03-03",
        "last_day": "2031-03-04",
        "items": items,
        "retired_code_hashes": [],
    }
    script = f"""
import {{ ExpectedList }} from "{MODULE.as_uri()}";
const list = new ExpectedList("Europe/Istanbul");
list.load({json.dumps(list_data)});
const day1 = new Date("2031-03-03T07:00:00Z");
const hash = (n) => String(n).padStart(2, "0").repeat(32);
const out = {{
  early: list.verdictForHash(hash(1), new Date("2031-03-02T20:30:00Z"), "A"),
  late: list.verdictForHash(hash(1), new Date("2031-03-04T21:30:00Z"), "A").result,
  lastDay: list.verdictForHash(hash(1), new Date("2031-03-04T20:30:00Z"), "A").result,
  declined: list.verdictForHash(hash(2), day1, "A"),
  waitlisted: list.verdictForHash(hash(3), day1, "A"),
  substituted: list.verdictForHash(hash(4), day1, "A").result,
  override: list.verdictForHash(hash(2), day1, "A", true),
  overrideAgain: list.verdictForHash(hash(2), day1, "A", true).result,
  overrideOtherDay:
    list.verdictForHash(hash(3), new Date("2031-03-05T07:00:00Z"), "A", true).result,
}};
console.log(JSON.stringify(out));
"""
    out = run_node(script)
    assert out["early"]["result"] == "wrong_day" and out["early"]["reason"] == "early"
    assert (out["early"]["first_day"], out["early"]["last_day"]) == ("2031-03-03", "2031-03-04")
    assert out["late"] == "wrong_day" and out["lastDay"] == "offline_ok"
    assert out["declined"]["result"] == "not_attending"
    assert out["declined"]["responded_at"] == "2026-12-12T08:00:00+00:00"
    assert out["waitlisted"]["result"] == "not_attending"
    assert out["waitlisted"]["waitlist_position"] == 3
    assert out["substituted"] == "not_attending"
    assert out["override"]["result"] == "offline_ok" and out["override"]["override"] is True
    assert out["overrideAgain"] == "already_checked_in"
    assert out["overrideOtherDay"] == "wrong_day"
