"""A stage transition through the services and the flow, against the bare ORM update of the same row,
in the same process: SQL statements per transition and the rate of each.

The transition is the TTO officer passing preliminary review from the task (``workflows.services.
task_execute`` with ``services.cases.case_pass_preliminary_review``): the case row locked, the flow's
process locked, the task claimed and started, the stage moved by the FSM, the audit line, the
notification to the assessors written to the outbox, the task completed, the flow routed to the
assessment task. Two variants: the task already claimed by the officer (the usual way: claimed from the
queue, then done) and still unclaimed (claimed in the same move).

Baselines, in autocommit as the transition is:

- **bare ORM update**: ``TransferCase.objects.filter(pk=…).update(stage=…)``, one ``UPDATE``;
- **locked save**: in a transaction, ``select_for_update().get()`` then ``save(update_fields=["stage"])``
  (what any correct stage change costs at least: read under a lock, write).

And a floor, to tell the database's part from Python's: **the same statements, replayed**: the SQL and
parameters one transition sent (captured once, from a warm-up move), sent again in one transaction through
a plain cursor, committed. What it costs is what the database does for a transition; the rest of the
transition's time is Python (the ORM building those statements, viewflow, the FSM, the services).

Run: ``make bench`` (or ``python -m benchmarks.transitions``; on PostgreSQL with
``DJANGO_SETTINGS_MODULE=config.settings.test_postgres``). Prints ratios, never asserts times. Celery
does not run the outbox delivery inline here (as in production, a worker does it after the commit).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
WARMUP = 10


def _statements(queries: list[dict[str, Any]]) -> int:
    """Statements sent to the server, without the transaction's own BEGIN and COMMIT."""
    return sum(1 for q in queries if q["sql"].split()[0].upper() not in {"BEGIN", "COMMIT"})


def _statements_of(run: Callable[[], Any]) -> list[tuple[str, Any]]:
    """The SQL and parameters ``run`` sends, without its transaction's BEGIN and COMMIT."""
    sent: list[tuple[str, Any]] = []

    def capture(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        assert not many, "a transition sends no executemany"
        if sql.split()[0].upper() not in {"BEGIN", "COMMIT"}:  # the replay's own transaction holds them
            sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        run()
    return sent


def main() -> None:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)  # a test database left by a killed run
    from config.celery_app import app
    from tests.factories import build_world, file_case
    from transfers.models import Stage, TransferCase
    from transfers.services import cases as svc
    from workflows.selectors import open_tasks_of
    from workflows.services import task_claim, task_execute

    app.conf.task_always_eager = False  # the outbox is delivered by a worker, after the commit
    world = build_world()
    officer = world.a.tto_officer
    count = 2 * (ROUNDS + WARMUP)
    print(f"filing and submitting {count} cases …", file=sys.stderr)
    cases = [svc.case_submit(case=file_case(world.a), by=world.a.applicant) for _ in range(count)]
    claimed, unclaimed = cases[::2], cases[1::2]
    tasks = {case.pk: open_tasks_of(case).get() for case in cases}
    for case in claimed:
        task_claim(task=tasks[case.pk], user=officer)
    spare = [file_case(world.a) for _ in range(ROUNDS + WARMUP)]  # drafts the baselines write to
    spare_moves = [svc.case_submit(case=file_case(world.a), by=world.a.applicant)]  # the move captured
    tasks.update({case.pk: open_tasks_of(case).get() for case in spare_moves})

    def transition(case: TransferCase) -> Callable[[], Any]:
        task = tasks[case.pk]
        return lambda: task_execute(task=task, user=officer, run=lambda: svc.case_pass_preliminary_review(
            case=case, by=officer, comment="材料齐全，同意进入评估。"))

    def bare_update(case: TransferCase) -> Callable[[], Any]:
        return lambda: TransferCase.objects.filter(pk=case.pk).update(stage=Stage.ASSESSMENT)

    def locked_save(case: TransferCase) -> Callable[[], Any]:
        def run() -> None:
            with transaction.atomic():
                row = TransferCase.objects.select_for_update(of=("self",)).get(pk=case.pk)
                TransferCase.objects.filter(pk=row.pk).update(stage=Stage.ASSESSMENT)
        return run

    sent = _statements_of(transition(spare_moves.pop()))

    def replayed(case: TransferCase) -> Callable[[], Any]:
        def run() -> None:
            with transaction.atomic(), connection.cursor() as cursor:
                for sql, params in sent:
                    cursor.execute(sql, params)
        return run

    variants: dict[str, tuple[list[TransferCase], Callable[[TransferCase], Callable[[], Any]]]] = {
        "bare ORM update": (spare, bare_update),
        "locked save": (spare, locked_save),
        "its statements, replayed": (spare, replayed),
        "transition, task claimed": (claimed, transition),
        "transition, task unclaimed": (unclaimed, transition),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    statements: dict[str, int] = {}
    for n in range(ROUNDS + WARMUP):
        for name, (rows, make) in variants.items():
            run = make(rows[n])
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                run()
                elapsed = time.perf_counter() - began
            if n >= WARMUP:
                times[name].append(elapsed * 1000)
                statements.setdefault(name, _statements(queries.captured_queries))
    moved = TransferCase.objects.filter(pk__in=[c.pk for c in claimed + unclaimed], stage=Stage.ASSESSMENT).count()
    assert moved == len(claimed) + len(unclaimed), "every transition must have moved its case"

    base = statistics.median(times["bare ORM update"])
    print(f"\n{connection.vendor}, {ROUNDS} rounds (each variant once per round, interleaved)\n")
    locked = statistics.median(times["locked save"])
    replay = statistics.median(times["its statements, replayed"])
    print(f"{'':30} {'median ms':>10} {'rate ×bare':>11} {'×locked save':>13} {'×replayed':>10} {'statements':>11}")
    for name in variants:
        median = statistics.median(times[name])
        print(f"{name:30} {median:10.3f} {base / median:11.3f} {locked / median:13.3f} {replay / median:10.3f} "
              f"{statements[name]:11d}")
    worst = max(statements["transition, task claimed"], statements["transition, task unclaimed"])
    rate = base / statistics.median(times["transition, task unclaimed"])
    print(f"\ntarget: ≤ 15 statements ({'met' if worst <= 15 else 'NOT met'}: {worst}); "
          f"≥ 0.15× the bare update's rate ({'met' if rate >= 0.15 else 'NOT met'}: {rate:.3f}×)")


if __name__ == "__main__":
    main()
