"""Benchmark of a 500-participant forum's certificates, generated and emailed by the workers at
its end. Wall time and CPU per certificate of every process; none may be lost or doubled.

    .venv/bin/python -m bench.certificate_mailing                       # a forum of 500
    .venv/bin/python -m bench.certificate_mailing --participants 100 --processes 2 --threads 2

On the production stack of `bench.stack` (a scratch PostgreSQL database, a private Redis, the
bench.sink SMTP server, `dramatiq workers`; no web server or clock: the run sends the clock's
`send_certificates` message itself). A forum that ended an hour ago (two days, Europe/Istanbul)
has its participants checked in, with Turkish and Arabic names in tr, ar, en and sv; its
certificates are switched to "emailed" and one `send_certificates` message is sent. The workers
issue the certificates, claim them, queue the emails, render each PDF (fpdf2 with HarfBuzz
shaping) in the participant's language and send it. The clock starts at that message and stops
at the last certificate the SMTP server accepts; CPU is read from /proc for the worker processes,
the database's backends, Redis and the SMTP server. A smaller forum warms the workers up first.
Afterwards the sink's log and the database are checked: every participant got one certificate,
none twice. Prints Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from bench.process_usage import backends_cpu, cpu_seconds, tree_cpu
from bench.stack import Stack, StackOptions, StackProcesses, machine
from tests.invitations.processes import wait_until

FIRST = ("Ayşe", "Şükrü", "Gülşen", "İbrahim", "محمد", "فاطمة", "Çiğdem", "Anna")
LAST = ("Yılmaz", "Sarıçam", "Öztürk", "Çağlar", "العلي", "الحسن", "Reyhanlı", "Lindqvist")
#: the participants' languages in turn (their certificates and emails are in these)
LANGUAGES = ("tr", "ar", "tr", "en", "ar", "tr", "sv", "tr")


def _seed(app, participants: int, warm: int) -> tuple[int, int, list[str]]:
    """The forum and the warm-up event, ended, with everyone checked in on both days. Returns
    (forum id, warm-up id, the forum's participants' addresses)."""
    from reslog_events.auth.models import Role
    from reslog_events.auth.operations import create_user
    from reslog_events.checkin.models import CheckIn
    from reslog_events.core.columns import utcnow
    from reslog_events.directory.models import Contact, Language, Organisation, OrganisationKind
    from reslog_events.events.models import (
        CertificatePolicy,
        Event,
        EventKind,
        EventLevel,
        EventStatus,
    )
    from reslog_events.extensions import db
    from reslog_events.invitations.models import InvitationStatus
    from reslog_events.invitations.operations import build_invitation

    organiser = create_user("bench@example.org", Role.organiser, password="bench-password-123")
    organisations = [
        Organisation(name=name, kind=OrganisationKind.municipality, country="TR")
        for name in ("Şişli Belediyesi", "Sarıçam Belediyesi", "Reyhanlı Belediyesi")
    ]
    db.session.add_all(organisations)
    ended = utcnow().replace(microsecond=0, second=0) - timedelta(hours=1)
    events = []
    for title, policy in (
        ("Göç ve Yerel Yönetim Forumu", CertificatePolicy.off),  # switched on when measured
        ("Isınma Çalıştayı", CertificatePolicy.emailed),
    ):
        events.append(
            Event(
                title=title,
                kind=EventKind.forum,
                level=EventLevel.national,
                status=EventStatus.published,
                starts_at=ended - timedelta(days=1, hours=8),
                ends_at=ended,
                timezone="Europe/Istanbul",
                venue="Haliç Kongre Merkezi",
                address="Sütlüce Mah. Karaağaç Cad. No:1, Beyoğlu",
                city="İstanbul",
                country="TR",
                certificates=policy,
                translations={"ar": {"title": "منتدى الهجرة والإدارة المحلية", "description": ""}},
                organiser=organiser,
            )
        )
    db.session.add_all(events)
    db.session.flush()
    forum, warm_up = events
    addresses: list[str] = []
    for index in range(participants + warm):
        event = forum if index < participants else warm_up
        name = f"{FIRST[index % len(FIRST)]} {LAST[(index // len(FIRST)) % len(LAST)]} {index}"
        contact = Contact(
            full_name=name,
            email=f"katilimci{index}@example.org",
            organisation=organisations[index % len(organisations)],
            language=Language(LANGUAGES[index % len(LANGUAGES)]),
        )
        db.session.add(contact)
        invitation = build_invitation(
            event, contact, invited_by=organiser, status=InvitationStatus.accepted
        ).invitation
        db.session.flush()
        for day in sorted({event.local_starts_at.date(), event.local_ends_at.date()}):
            db.session.add(CheckIn(event_id=event.id, invitation_id=invitation.id, day=day))
        if event is forum:
            addresses.append(contact.email)
    db.session.commit()
    return forum.id, warm_up.id, addresses


def _send_certificates(stack: Stack) -> None:
    """What the clock does every quarter of an hour: one message to the workers (the clock's
    jobs are not in `jobs.QUEUES`, which names what the app itself enqueues)."""
    import dramatiq

    from reslog_events import create_app
    from reslog_events.jobs import MAINTENANCE_QUEUE, broker_of

    sender = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": stack.database_url,
            "SECRET_KEY": stack.secret,
            "REDIS_URL": stack.redis_url,
        }
    )
    with sender.app_context():
        broker = broker_of(sender)
        broker.declare_queue(MAINTENANCE_QUEUE)
        broker.enqueue(
            dramatiq.Message(
                queue_name=MAINTENANCE_QUEUE,
                actor_name="send_certificates",
                args=(),
                kwargs={},
                options={},
            )
        )


def _certificates_received(stack: Stack) -> list[dict]:
    return [m for m in stack.sink.received() if m.get("kind") == "certificate"]


def main() -> None:  # noqa: C901 - a script, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--warm", type=int, default=16, help="participants of the warm-up")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    options = StackOptions(
        redis="private",
        clock=False,
        worker_processes=args.processes,
        worker_threads=args.threads,
    )
    with Stack(options) as stack:
        from flask_migrate import upgrade

        app = stack.app()
        with app.app_context():
            upgrade()
            forum_id, _warm_id, addresses = _seed(app, args.participants, args.warm)
        stack.processes = StackProcesses(stack.env(), stack.workdir)
        stack.start_workers()

        # warm-up: both worker processes import fpdf2, load the fonts, shape a first PDF
        _send_certificates(stack)
        wait_until(
            lambda: len(_certificates_received(stack)) >= args.warm, 300, "the warm-up", every=0.2
        )
        time.sleep(1)
        warm_ids = {m["id"] for m in _certificates_received(stack)}

        pids = {
            "workers": lambda: tree_cpu(stack.workers.pid),
            "postgres": lambda: backends_cpu(stack._dbname),
            "redis": lambda: cpu_seconds(stack.redis.proc.pid),
            "sink": lambda: cpu_seconds(stack.sink.proc.pid),
        }
        load_before = machine().split("; load generator")[0]  # none here
        cpu0 = {name: read() for name, read in pids.items()}
        with stack.engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE events SET certificates = 'emailed' WHERE id = :id"),
                {"id": forum_id},
            )
        started = time.time()
        _send_certificates(stack)

        def forum_done() -> bool:
            fresh = {m["id"] for m in _certificates_received(stack)} - warm_ids
            return len(fresh) >= args.participants

        wait_until(forum_done, 3600, f"{args.participants} certificates", every=0.2)
        received = [m for m in _certificates_received(stack) if m["id"] not in warm_ids]
        finished = max(m["at"] for m in received)
        cpu1 = {name: read() for name, read in pids.items()}
        time.sleep(2)  # anything doubled would arrive now
        received = [m for m in _certificates_received(stack) if m["id"] not in warm_ids]
        with stack.engine.connect() as conn:
            emailed = conn.scalar(
                sa.text(
                    "SELECT count(*) FROM certificates c JOIN invitations i "
                    "ON i.id = c.invitation_id WHERE i.event_id = :id AND c.emailed_at IS NOT NULL"
                ),
                {"id": forum_id},
            )
            statuses = dict(
                conn.execute(
                    sa.text(
                        "SELECT status, count(*) FROM outgoing_emails "
                        "WHERE kind = 'certificate' GROUP BY 1"
                    )
                ).all()
            )
        tracebacks = stack.tracebacks()

    by_outbox = Counter(m["id"] for m in received)
    by_person = Counter(m["to"] for m in received)
    duplicates = sum(n - 1 for n in by_outbox.values() if n > 1)
    lost = sorted(set(addresses) - set(by_person))
    wall = finished - started
    n = args.participants
    per = {name: (cpu1[name] - cpu0[name]) / n * 1000 for name in cpu0}
    print(f"\n## Certificates of a {n}-participant forum, emailed by the workers at its end\n")
    print(f"- machine at the start: {load_before}")
    print(
        f"- {args.processes} worker processes × {args.threads} threads (`dramatiq workers`), "
        "PostgreSQL, a private Redis, the bench.sink SMTP server; one `send_certificates` message"
    )
    print(
        f"- **{wall:.1f} s** from the message to the last certificate accepted: "
        f"{wall / n * 1000:.0f} ms per certificate, {n / wall:.1f} certificates per second"
    )
    print(
        f"- {len(by_outbox)} distinct certificate emails received for {len(addresses)} "
        f"participants: {len(lost)} lost, {duplicates} duplicated, "
        f"{sum(n - 1 for n in by_person.values() if n > 1)} people with two; "
        f"certificates marked emailed: {emailed}; outbox: {statuses}"
    )
    if tracebacks:
        print(f"- tracebacks in the logs: {dict(tracebacks)}")
    print("\n| CPU per certificate (issue, render, send) | ms |\n|---|---:|")
    labels = {
        "workers": "worker processes",
        "postgres": "PostgreSQL (backends of its database)",
        "redis": "Redis",
        "sink": "SMTP sink (bench.sink)",
    }
    for name, label in labels.items():
        print(f"| {label} | {per[name]:.1f} |")
    print(f"| **all processes** | **{sum(per.values()):.1f}** |")
    if lost or duplicates:
        raise SystemExit(f"{len(lost)} lost, {duplicates} duplicated")


if __name__ == "__main__":
    main()
