"""Numbers stay unique and gapless when many are allocated at once. Row locks are real only on
PostgreSQL (SQLite serialises whole transactions), so these run there: ``make test`` runs the suite
on PostgreSQL as well when a server answers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from tests.factories import build_world, demonstrate, file_case, pdf
from tests.public.test_notices import to_publicity
from transfers import clock
from transfers.models import Notice, Stage
from transfers.services import cases as svc
from transfers.services.numbering import next_value
from workflows.services import case_act

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are real only on PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def all_at_once(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run ``work(i)`` in ``count`` threads released together; each thread has its own connection."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results.append(work(i))
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_a_counter_is_gapless_under_contention():
    def take(_: int) -> list[int]:
        values = []
        for _ in range(10):
            with transaction.atomic():
                values.append(next_value("notice:TEST:transfer:2026"))
        return values

    results, errors = all_at_once(12, take)
    assert errors == []
    values = sorted(v for chunk in results for v in chunk)
    assert values == list(range(1, 121))


def test_cases_filed_at_once_get_distinct_consecutive_references():
    world = build_world()
    side = world.a
    # the year's first case creates the counter; the rush comes after, when only its row lock holds
    first = file_case(side, title="本年首个申报").reference

    def file(i: int) -> str:
        return file_case(side, title=f"并发申报{i}").reference

    references, errors = all_at_once(10, file)
    assert errors == []
    year = timezone.localtime(clock.now()).year  # the year in China
    assert [first, *sorted(references)] == [f"AAA-{year}-{n:04d}" for n in range(1, 12)]


class Abort(Exception):
    pass


def allocate_then_fail() -> None:
    with transaction.atomic():
        next_value("rollback-test")
        raise Abort


def test_a_rolled_back_allocation_leaves_no_gap():
    with pytest.raises(Abort):
        allocate_then_fail()
    assert next_value("rollback-test") == 1


def test_notices_published_at_once_get_distinct_consecutive_numbers():
    world = build_world()
    side = world.a
    # the year's first notice creates the counter; the rush comes after, when only its row lock holds
    first = Notice.objects.get(case=to_publicity(side, title="本年首个公示")).number
    cases = []
    for n in range(8):
        case = svc.case_submit(case=file_case(side, title=f"并发公示{n}"), by=side.applicant)
        for user, run in [
            (side.tto_officer, lambda c: svc.case_pass_preliminary_review(case=c, by=side.tto_officer)),
            (side.assessor, lambda c: svc.case_complete_assessment(case=c, by=side.assessor, method="agency",
                                                                   agency_name="甘肃衡信资产评估有限公司",
                                                                   report=pdf())),
        ]:
            case = case_act(case=case, user=user, run=lambda run=run, case=case: run(case))
        case = demonstrate(side, case)
        assert case.stage == Stage.DECISION
        cases.append(case)

    def approve(i: int) -> str:
        case = cases[i]
        secretary = side.decision_secretary
        case = case_act(case=case, user=secretary, run=lambda: svc.case_decide(
            case=case, by=secretary, outcome="approve", body="校长办公会", decided_on=clock.now().date(),
            minutes=pdf()))
        return Notice.objects.get(case=case).number

    numbers, errors = all_at_once(len(cases), approve)
    assert errors == []
    year = timezone.localtime(clock.now()).year  # the year in China
    assert [first, *sorted(numbers)] == [f"AAA-GS-{year}-{n:03d}" for n in range(1, len(cases) + 2)]


def test_an_objection_racing_the_officer_never_deadlocks():
    """The public files an objection while the TTO officer withdraws the notice: one of them wins,
    the other is refused with a message; nothing fails (both lock the case first, then the notice)."""
    from transfers.models import NoticeStatus
    from transfers.services.errors import ActionRefused
    from transfers.services.objections import objection_file

    world = build_world()
    side = world.a
    cases = [to_publicity(side, title=f"异议并发{n}") for n in range(4)]

    def race(i: int) -> tuple[int, str]:
        case = cases[i // 2]
        try:
            if i % 2:
                tto = side.tto_officer
                case_act(case=case, user=tto, run=lambda: svc.case_withdraw_notice(case=case, by=tto, reason="撤回"))
            else:
                objection_file(notice=Notice.objects.get(case=case), name="张三", organisation="", phone="13912345678",
                               email="", relation="公众", reasons="拟交易价格明显偏低，请重新评估后再行公示。")
        except ActionRefused:
            return i, "refused"
        return i, "done"

    results, errors = all_at_once(2 * len(cases), race)
    assert errors == []
    outcome = dict(results)
    for n, case in enumerate(cases):
        objection, withdrawal = outcome[2 * n], outcome[2 * n + 1]
        assert sorted([objection, withdrawal]) == ["done", "refused"], (case.reference, objection, withdrawal)
        case.refresh_from_db()
        notice = Notice.objects.get(case=case)
        state = (case.stage, notice.status, notice.objections.count())
        if objection == "done":  # publicity is suspended for the objection; the notice stays up
            assert state == (Stage.OBJECTION_REVIEW, NoticeStatus.SUSPENDED, 1)
        else:  # the notice was withdrawn first: the objection came too late and left nothing
            assert state == (Stage.DECISION, NoticeStatus.WITHDRAWN, 0)
