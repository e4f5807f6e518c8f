"""Report runs compiled by a real Dramatiq worker on the StubBroker, and the monthly summary."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import sqlalchemy as sa
from openpyxl import load_workbook


def _outbox(kind: str):
    from reslog_events.extensions import db
    from reslog_events.mail.models import OutgoingEmail

    return db.session.scalars(
        sa.select(OutgoingEmail).where(OutgoingEmail.kind == kind).order_by(OutgoingEmail.id)
    ).all()


def test_run_end_to_end_with_the_worker(api, world, stub_worker, app):
    from reslog_events.extensions import db

    user = api("coordinator")
    resp = user.post("/api/v1/reports/runs", json={"group_by": "union", "from": "2024-01-01"})
    assert resp.status_code == 202, resp.json
    run = resp.json
    assert run["status"] == "queued" and run["progress"] == 0 and run["result"] is None
    assert run["params"] == {"group_by": "union", "from": "2024-01-01"}
    assert user.get(f"/api/v1/reports/runs/{run['id']}/xlsx").status_code == 409

    stub_worker.drain()
    db.session.expire_all()

    done = user.get(f"/api/v1/reports/runs/{run['id']}").json
    assert done["status"] == "done" and done["progress"] == 100
    direct = user.get(
        "/api/v1/reports/attendance", query_string={"group_by": "union", "from": "2024-01-01"}
    ).json
    assert done["result"] == direct
    assert done["result"]["totals"]["invited"] == 13
    assert done["xlsx_url"] == f"/api/v1/reports/runs/{run['id']}/xlsx"

    xlsx = user.get(done["xlsx_url"])
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).worksheets[0]
    assert sheet["A2"].value == "Marmara Belediyeler Birliği" and sheet["B2"].value == 3

    # the requester was emailed a link, once, and the worker sent it
    emails = _outbox("report_ready")
    assert len(emails) == 1 and emails[0].payload == {"run_id": run["id"]}
    sent = stub_worker.messages()
    assert len(sent) == 1
    body = sent[0].get_body(preferencelist=("plain",)).get_content()
    assert f"http://rsvp.test/reports/runs/{run['id']}" in body
    assert sent[0]["Subject"] == "Your attendance report is ready"

    # idempotent: compiling again changes nothing and emails nobody
    from workers.reports import compile_report

    compile_report(run["id"])
    compile_report.send(run["id"])
    stub_worker.drain()
    assert len(_outbox("report_ready")) == 1


def test_actor_called_directly_reports_progress_and_failure(app, world, create_user):
    from reslog_events.extensions import db
    from reslog_events.reports.models import ReportRun
    from workers.reports import compile_report

    user = create_user("coordinator")
    run = ReportRun(requested_by=user, params={"group_by": "month"})
    bad = ReportRun(requested_by=user, params={"group_by": "nonsense"})
    db.session.add_all([run, bad])
    db.session.commit()

    compile_report(run.id)
    db.session.expire_all()
    assert run.status == "done" and run.progress == 100 and run.finished_at is not None
    assert [row["key"] for row in run.result["rows"]] == ["2024-03", "2024-04", "2099-06"]

    compile_report(bad.id)  # stored parameters no longer valid: failed, not retried
    db.session.expire_all()
    assert bad.status == "failed" and "group_by" in bad.error
    compile_report(999999)  # a run that no longer exists: nothing to do


def test_runs_are_private(api, world, client):
    mine = api("coordinator").post("/api/v1/reports/runs", json={}).json
    other = api("organiser")
    assert other.get(f"/api/v1/reports/runs/{mine['id']}").status_code == 404
    assert other.get(f"/api/v1/reports/runs/{mine['id']}/xlsx").status_code == 404
    assert api("admin").get(f"/api/v1/reports/runs/{mine['id']}").status_code == 200
    bad = api("coordinator").post("/api/v1/reports/runs", json={"union": "NOPE"})
    assert bad.status_code == 422 and "union" in bad.json["error"]["fields"]
    bad = api("coordinator").post("/api/v1/reports/runs", json={"group_by": "x", "format": "csv"})
    assert bad.status_code == 422
    assert {"group_by", "format"} <= set(bad.json["error"]["fields"])


def test_monthly_summary_once_per_coordinator_and_month(app, world, create_user, stub_worker):
    from reslog_events.extensions import db
    from reslog_events.reports.models import ReportRun
    from reslog_events.reports.operations import send_monthly_summaries

    first = create_user("coordinator", language="tr")
    second = create_user("coordinator")
    create_user("coordinator", active=False)
    create_user("organiser")
    # on 2 April 2024 (Istanbul) the summary covers March 2024: E1 only
    now = datetime(2024, 4, 2, 6, 0, tzinfo=UTC)
    assert send_monthly_summaries(now=now) == 2
    assert send_monthly_summaries(now=now) == 0  # the clock ticked twice: nobody gets two
    runs = db.session.scalars(sa.select(ReportRun).order_by(ReportRun.id)).all()
    assert [(r.requested_by_id, r.period, r.scheduled) for r in runs] == [
        (first.id, "2024-03", True),
        (second.id, "2024-03", True),
    ]
    assert runs[0].result["totals"]["invited"] == 6
    assert runs[0].params == {"group_by": "organisation", "from": "2024-03-01", "to": "2024-03-31"}
    emails = _outbox("monthly_summary")
    assert [e.user_id for e in emails] == [first.id, second.id]
    assert emails[0].language == "tr"
    stub_worker.drain()
    messages = stub_worker.messages()
    english = [m for m in messages if m["To"].addresses[0].addr_spec == second.email][0]
    text = english.get_body(preferencelist=("plain",)).get_content()
    assert english["Subject"] == "Attendance in March 2024"
    assert "Şişli Belediyesi" in text
    # next month: a new summary
    assert send_monthly_summaries(now=datetime(2024, 5, 1, 3, 0, tzinfo=UTC)) == 2


def test_the_actor_module_is_what_the_workers_import():
    import workers
    from workers.broker import broker

    assert "compile_report" in broker.get_declared_actors()
    assert "send_monthly_summaries" in broker.get_declared_actors()
    assert workers.reports.compile_report.queue_name == "reports"
