"""Contact lists uploaded for import and never confirmed do not stay on disk: the clock deletes
them after a day, and an erasure deletes at once those that name the person."""

from __future__ import annotations

import io
import os
import time

import pytest

from tests.directory.conftest import csv_bytes


@pytest.fixture
def folder(app, tmp_path):
    app.config["IMPORT_STAGING_DIR"] = str(tmp_path / "imports")
    return tmp_path / "imports"


def _stage(data: bytes, filename: str = "rehber.csv", user_id: int = 1) -> str:
    from reslog_events.directory.imports import staging

    return staging.stage(data, filename, user_id)


def _age(folder, token: str, hours: float) -> None:
    then = time.time() - hours * 3600
    for suffix in (".upload", ".json"):
        os.utime(folder / f"{token}{suffix}", (then, then))


def _tokens(folder) -> set[str]:
    return {path.stem for path in folder.glob("*.upload")}


def test_the_clock_sends_the_deletion_hourly_without_arguments(app):
    from workers.clock import build_scheduler

    job = build_scheduler(app.config).get_job("delete_stale_imports")
    assert job.func.__self__.actor_name == "delete_stale_imports"
    assert job.trigger.interval.total_seconds() == 3600
    assert job.args == () and job.kwargs == {}


def test_the_actor_deletes_uploads_older_than_a_day_idempotently(folder, stub_worker):
    from workers.privacy import delete_stale_imports

    sheet = csv_bytes([["Ad Soyad", "E-posta"], ["Şükrü Iğdırlı", "sukru@example.org"]])
    old, fresh = _stage(sheet), _stage(sheet)
    _age(folder, old, 25)
    _age(folder, fresh, 23)
    for _run in range(2):
        delete_stale_imports.send()
        stub_worker.drain()
        assert _tokens(folder) == {fresh}
    assert not (folder / f"{old}.json").exists()


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_erasure_deletes_the_uploads_that_name_the_person(folder, api, create_contact):
    person = create_contact(full_name="Ayşe Çukurova", email="ayse.cukurova@example.org")
    by_email = _stage(csv_bytes([["Ad Soyad", "E-posta"], ["A. Ç.", "AYSE.CUKUROVA@example.org"]]))
    by_name = _stage(_xlsx([["Ad Soyad", "Kurum"], ["AYŞE  ÇUKUROVA", "Sarıçam Belediyesi"]]))
    other = _stage(csv_bytes([["Ad Soyad", "E-posta"], ["Ayşe Çukurovalı", "ayse@example.org"]]))
    resp = api("organiser").post(f"/api/v1/contacts/{person.id}/erase", json={"confirm": True})
    assert resp.status_code == 200
    assert resp.json["staged_imports_deleted"] == 2
    assert _tokens(folder) == {other}
    assert {by_email, by_name}.isdisjoint(path.stem for path in folder.iterdir())
