"""A stage transition through the services and the flow sends at most 15 SQL statements (issue 11, B2;
the rate against a bare ORM update is measured in benchmarks/transitions.py, never timed here): the
case row locked once and handed to the service, no switch node between tasks, no savepoint inside the
move, roles read in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import assert_flow_agrees, file_case
from transfers.models import AuditEvent, Stage
from transfers.services import cases as svc
from workflows.selectors import open_tasks_of
from workflows.services import task_claim, task_execute

# as in production, the move is the outermost transaction (the rule packs migrations load are kept)
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _sent(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].split()[0].upper() not in {"BEGIN", "COMMIT"}]


@pytest.mark.parametrize("claimed", [True, False], ids=["claimed", "unclaimed"])
def test_passing_preliminary_review_from_the_task_sends_at_most_15_statements(world, claimed):
    from config.celery_app import app

    app.conf.task_always_eager = False  # the outbox is mailed by a worker after the commit, not in the move
    officer = world.a.tto_officer
    case = svc.case_submit(case=file_case(world.a), by=world.a.applicant)
    task = open_tasks_of(case).get()
    if claimed:
        task_claim(task=task, user=officer)
    with CaptureQueriesContext(connection) as queries:
        case = task_execute(task=task, user=officer, run=lambda: svc.case_pass_preliminary_review(
            case=case, by=officer, comment="材料齐全。"))
    sent = _sent(queries.captured_queries)
    assert len(sent) <= 15, "\n".join(sent)
    assert sum(sql.startswith("SAVEPOINT") for sql in sent) == 1  # the flow's lock; the service opens none
    # and the move is whole: stage, audit line, the next task, the colleagues told
    assert case.stage == Stage.ASSESSMENT
    assert AuditEvent.objects.filter(case=case, action="pass_preliminary_review").count() == 1
    assert {t.flow_task.name for t in open_tasks_of(case)} == {"assessment"}
    assert_flow_agrees(case)


def test_a_runner_that_returns_a_copy_read_before_the_move_still_routes_by_the_new_stage(world):
    """A view's runner may return its own copy of the case (read before the lock): the routing then reads
    the stage from the database instead of trusting the stale copy."""
    officer = world.a.tto_officer
    case = svc.case_submit(case=file_case(world.a), by=world.a.applicant)
    task = open_tasks_of(case).get()

    def run():
        svc.case_return(case=case, by=officer, comment="请补充材料。")
        return case  # still says preliminary review

    task_execute(task=task, user=officer, run=run)
    case.refresh_from_db()
    assert case.stage == Stage.RETURNED
    assert {t.flow_task.name for t in open_tasks_of(case)} == {"revise"}
    assert_flow_agrees(case)
