"""Fault drills on the production stack (bench.stack), each scripted, measured and repeatable:

    .venv/bin/python -m bench.drills                      # all four, one after the other
    .venv/bin/python -m bench.drills postgres_restart     # or: redis_restart, worker_kill,
                                                          #     mail_outage (several may be named)

- postgres_restart: the machine's PostgreSQL server restarted (`pg_ctlcluster … restart`) under
  event-day traffic. Requests must fail cleanly (503 with Retry-After, never a 500 or a broken
  connection) and recover; afterwards no half-written data.
- redis_restart: the broker (a private redis-server on a free port, never the shared 6379)
  shut down without saving in the middle of a 500-invitation fan-out and started again empty.
- worker_kill: one `dramatiq` worker process SIGKILLed in the middle of a 500-invitation fan-out;
  `dramatiq workers` then stops its other process and exits, and is started again 5 s later,
  as a process supervisor (systemd's Restart=, a platform) would.
- mail_outage: the SMTP provider refusing connections for 60 s, then answering every message
  with `421` for 30 s, then well again, in the middle of a 200-invitation fan-out.

Each drill runs with the production settings (lease 120 s, sweep after 60 s every 30 s,
retries from 30 s doubling) and light event-day traffic (bench.traffic) throughout, then checks
the database and the sink (bench.verify): what was lost (must be nothing), what was duplicated,
how long recovery took. Prints Markdown; exits 1 when a drill fails.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from bench.drills_outcome import (
    Outcome,
    attempts_histogram,
    describe_failures,
    failures_of,
    half_written,
    record_checks,
)
from bench.eventday import Plan, seed_event_day
from bench.load import run_traffic, traffic_result
from bench.stack import BASE_URL, Stack, StackOptions, kill, machine
from bench.traffic import EXPECTED
from bench.verify import check_event_day, check_fan_out
from tests.invitations.processes import wait_until

TRAFFIC_RATE = 12  # requests/s of event-day traffic during a drill (open loop)
TRAFFIC_USERS = 12


# --- helpers -----------------------------------------------------------------------------------


def invite(plan: Plan, contact_ids: list[int]) -> float:
    """The organiser's API call for a fan-out; returns when it was answered (epoch)."""
    conn = http.client.HTTPConnection("127.0.0.1", int(plan.base_url.rsplit(":", 1)[1]), 120)
    body = json.dumps({"contact_ids": contact_ids})
    headers = {
        "Authorization": f"Bearer {plan.organiser_token}",
        "Content-Type": "application/json",
    }
    conn.request("POST", f"/api/v1/events/{plan.other_event_id}/invitations", body, headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    if resp.status != 202:
        raise RuntimeError(f"invite answered {resp.status}: {data[:300]!r}")
    return time.time()


def invitations_received(stack: Stack) -> set[str]:
    return {m["id"] for m in stack.sink.received() if m["kind"] == "invitation"}


def settle_traffic(stack: Stack, proc, out: Path, seconds: float) -> dict:
    return traffic_result(proc, out, seconds + 400)


#: keep each drill's database and logs (--keep)
KEEP = False


def stack_for_drill(**env: str) -> Stack:
    return Stack(StackOptions(redis="private", env=env, keep=KEEP))


# --- (a) PostgreSQL restarted under traffic ----------------------------------------------------


def postgres_cluster() -> list[str]:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def postgres_up() -> bool:
    engine = sa.create_engine(BASE_URL, pool_pre_ping=True)
    try:
        with engine.connect() as conn:
            return conn.scalar(sa.text("SELECT 1")) == 1
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def ensure_postgres_up() -> None:
    """The shared server must be up at the end, whatever happened."""
    with contextlib.suppress(AssertionError):
        wait_until(postgres_up, 30, "PostgreSQL", every=0.5)
        return
    subprocess.run([*postgres_cluster(), "start"], check=False, timeout=120)
    wait_until(postgres_up, 60, "PostgreSQL after a start", every=0.5)


def postgres_restart() -> Outcome:
    outcome = Outcome("PostgreSQL restarted during traffic")
    seconds = 100
    with stack_for_drill() as stack:
        plan = seed_event_day(stack, invitees=400, past_events=4)
        stack.start_processes()
        proc, out = run_traffic(stack, plan, seconds=seconds, users=16, rate=25)
        time.sleep(30)
        fault = time.time()
        try:
            done = subprocess.run(
                [*postgres_cluster(), "restart"], capture_output=True, text=True, timeout=120
            )
            took = time.time() - fault
            outcome.say(
                f"`pg_ctlcluster … restart` at +30 s took {took:.1f} s (exit {done.returncode})"
            )
        finally:
            ensure_postgres_up()
        up = time.time() - fault
        result = settle_traffic(stack, proc, out, seconds)
        describe_failures(outcome, result, fault)
        ok_after = [
            r
            for r in result["records"]
            if result["started_epoch"] + r[0] > fault and r[2] in EXPECTED.get(r[1], {200})
        ]
        if ok_after:
            first_ok = min(result["started_epoch"] + r[5] for r in ok_after) - fault
            outcome.say(f"server accepting connections again {up:.1f} s after the restart began")
            outcome.say(f"first right answer after the fault: +{first_ok:.1f} s")
        bad = failures_of(result)
        if bad:
            last_bad = max(result["started_epoch"] + r[5] for r in bad) - fault
            outcome.say(f"**recovery** (last failed request answered): +{last_bad:.1f} s")
        drained = stack.wait_for_outbox(400)
        outcome.say(f"outbox drained {drained:.0f} s after the traffic ended")
        outcome.say(f"attempts per email: {attempts_histogram(stack, plan.event_id)}")
        # a confirmation whose `sent` mark could not be committed as the server went down is
        # sent again after its lease: at most one per worker thread (docs/delivery.md)
        threads = stack.options.worker_processes * stack.options.worker_threads
        checks = check_event_day(
            stack.engine, plan.event_id, result, stack.sink.received(), duplicates_allowed=threads
        )
        record_checks(outcome, checks)
        half_written(outcome, stack, plan)
        outcome.say(f"tracebacks in the logs: {dict(stack.tracebacks()) or 'none'}")
    return outcome


# --- (b) Redis restarted during a fan-out ------------------------------------------------------


def fan_out_drill(
    outcome: Outcome,
    *,
    count: int,
    started_when: int,
    fault: Callable[[Stack], None],
    recover: Callable[[Stack], None],
    wait: float = 600,
    duplicates_allowed: int = 0,
    **env: str,
) -> None:
    """Invite `count` people; when `started_when` emails have arrived, run `fault`, then
    `recover`; measure until every invitation email has arrived."""
    with stack_for_drill(**env) as stack:
        plan = seed_event_day(stack, invitees=200, past_events=2, spare_contacts=count)
        stack.start_processes()
        traffic_seconds = 150
        proc, out = run_traffic(
            stack, plan, seconds=traffic_seconds, users=TRAFFIC_USERS, rate=TRAFFIC_RATE
        )
        time.sleep(5)
        asked = time.time()
        answered = invite(plan, plan.spare_contact_ids)
        outcome.say(f"invite {count}: answered 202 in {answered - asked:.1f} s")
        wait_until(
            lambda: len(invitations_received(stack)) >= started_when,
            180,
            f"{started_when} emails",
            every=0.1,
        )
        fault_at = time.time()
        before = len(invitations_received(stack))
        outcome.say(f"fault at +{fault_at - asked:.1f} s, {before} of {count} emails arrived")
        fault(stack)
        recover(stack)
        back = time.time()
        outcome.say(f"service back {back - fault_at:.1f} s after the fault")
        wait_until(
            lambda: len(invitations_received(stack)) >= count,
            wait,
            f"all {count} invitation emails",
            every=0.5,
        )
        last = max(m["at"] for m in stack.sink.received() if m["kind"] == "invitation")
        outcome.say(
            f"**recovery**: the last of the {count} emails arrived {last - back:.0f} s after "
            f"the service was back ({last - asked:.0f} s after the invite call)"
        )
        result = settle_traffic(stack, proc, out, traffic_seconds)
        describe_failures(outcome, result, fault_at)
        drained = stack.wait_for_outbox(400)
        outcome.say(f"outbox drained {drained:.0f} s after the traffic ended")
        outcome.say(f"attempts per email: {attempts_histogram(stack, plan.other_event_id)}")
        received = stack.sink.received()
        fan_out = check_fan_out(stack.engine, plan.other_event_id, received)
        duplicates = fan_out.counts["duplicates (received more than once)"]
        if duplicates > duplicates_allowed:
            fan_out.problems.append(f"duplicates: {duplicates} (at most {duplicates_allowed})")
        record_checks(outcome, fan_out)
        day = check_event_day(
            stack.engine, plan.event_id, result, received, duplicates_allowed=duplicates_allowed
        )
        record_checks(outcome, day)
        outcome.say(f"tracebacks in the logs: {dict(stack.tracebacks()) or 'none'}")


def redis_restart() -> Outcome:
    outcome = Outcome("Redis restarted during a 500-invitation fan-out")

    def fault(stack: Stack) -> None:
        stack.redis.shutdown()  # SHUTDOWN NOSAVE: every queued message is gone
        time.sleep(5)

    fan_out_drill(
        outcome, count=500, started_when=60, fault=fault, recover=lambda s: s.redis.start()
    )
    return outcome


# --- (c) a worker SIGKILLed ------------------------------------------------------------------


def worker_kill() -> Outcome:
    outcome = Outcome("A worker process SIGKILLed during a 500-invitation fan-out")

    def fault(stack: Stack) -> None:
        victim = stack.worker_children()[0]
        kill(victim, signal.SIGKILL)
        outcome.say(f"SIGKILL to worker process {victim} (of {stack.workers.pid})")
        main = stack.workers
        try:
            main.wait(60)  # dramatiq stops the other process and exits
            outcome.say(f"`dramatiq workers` exited with {main.returncode}")
        except subprocess.TimeoutExpired:
            outcome.failures.append("dramatiq workers did not exit after losing a process")
            os.killpg(main.pid, signal.SIGKILL)
        time.sleep(5)  # the supervisor's restart delay

    # at most one message per thread of the killed process was on the wire (docs/delivery.md)
    fan_out_drill(
        outcome,
        count=500,
        started_when=80,
        fault=fault,
        recover=Stack.start_workers,
        duplicates_allowed=StackOptions().worker_threads,
    )
    return outcome


# --- (d) the mail provider down -------------------------------------------------------------


def mail_outage() -> Outcome:
    outcome = Outcome("The mail provider down for 90 s during a 200-invitation fan-out")

    def fault(stack: Stack) -> None:
        stack.sink.stop()  # connection refused
        time.sleep(60)
        stack.sink.start(reject="421 4.3.2 Service not available, try again later")
        time.sleep(30)
        stack.sink.stop()

    fan_out_drill(
        outcome,
        count=200,
        started_when=40,
        fault=fault,
        recover=lambda s: s.sink.start(),
        wait=900,
    )
    return outcome


DRILLS: dict[str, Callable[[], Outcome]] = {
    "postgres_restart": postgres_restart,
    "redis_restart": redis_restart,
    "worker_kill": worker_kill,
    "mail_outage": mail_outage,
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("drills", nargs="*", help=f"any of {', '.join(DRILLS)} (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the databases and the logs")
    args = parser.parse_args()
    global KEEP
    KEEP = args.keep
    names = args.drills or list(DRILLS)
    if unknown := set(names) - set(DRILLS):
        parser.error(f"unknown drills: {', '.join(sorted(unknown))}")
    outcomes = []
    for name in names:
        print(f"\n### {name}\n- machine: {machine()}", flush=True)
        started = time.monotonic()
        try:
            outcome = DRILLS[name]()
        except Exception as exc:  # noqa: BLE001 - report it and go on with the next drill
            outcome = Outcome(name, failures=[f"drill aborted: {exc!r}"])
        outcome.say(f"drill took {time.monotonic() - started:.0f} s")
        outcomes.append(outcome)
    print("\n## Results\n")
    for outcome in outcomes:
        print(f"### {outcome.name}: {'passed' if outcome.passed else 'FAILED'}\n")
        for line in outcome.lines:
            print(f"- {line}")
        for failure in outcome.failures:
            print(f"- **FAILURE** {failure}")
        print()
    if not all(o.passed for o in outcomes):
        sys.exit(1)


if __name__ == "__main__":
    main()
