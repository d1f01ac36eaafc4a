"""Stage deadlines: a reminder one working day before, an overdue flag at the due time and an
escalation to the TTO head one working day after, each once, across China's holidays."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from notifications.models import Notification
from tests.factories import file_case
from transfers import clock
from transfers.models import Membership, Role, Stage
from transfers.services import cases as svc
from workflows.deadlines import stage_deadlines
from workflows.selectors import open_tasks_of
from workflows.services import case_act, task_claim

pytestmark = pytest.mark.django_db
CHINA = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=CHINA)


def sweep(moment: datetime.datetime) -> int:
    with clock.travel_to(moment):
        return stage_deadlines()


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user, kind__startswith="stage_").order_by("pk")
                .values_list("kind", flat=True))


def test_reminder_overdue_and_escalation_each_once_across_the_national_day_holiday(world):
    a = world.a
    head = Membership.objects.create(user=world.a.decision_secretary, institution=a.institution,
                                     role=Role.TTO_HEAD).user
    with clock.travel_to(at(2026, 9, 23, 10, 0)):  # a Wednesday; 5 working days for preliminary review
        case = svc.case_submit(case=file_case(a), by=a.applicant)
    assert case.stage_due_at == at(2026, 10, 8, 17, 0)  # 10-01..07 are holidays

    assert sweep(at(2026, 9, 30, 16, 59)) == 0
    assert sweep(at(2026, 9, 30, 17, 0)) == 1  # the working day before the due day, not during the holiday
    assert kinds(a.tto_officer) == ["stage_reminder"]  # the queue's role group: nobody has claimed it
    assert sweep(at(2026, 10, 5, 9, 0)) == 0  # once
    assert sweep(at(2026, 10, 8, 17, 0)) == 1
    assert kinds(a.tto_officer) == ["stage_reminder", "stage_overdue"]
    assert kinds(head) == []
    assert sweep(at(2026, 10, 9, 17, 0)) == 1  # one working day after the due time
    assert kinds(head) == ["stage_escalated"]
    assert sweep(at(2026, 10, 20, 9, 0)) == 0
    escalation = Notification.objects.get(recipient=head, kind="stage_escalated")
    assert case.reference in escalation.render_subject()
    assert "2026年10月8日 17:00" in escalation.render_body() and "张" in escalation.render_body()
    assert any(case.reference in m.subject and "逾期督办" in m.subject for m in mail.outbox)


def test_the_owner_of_a_claimed_task_is_reminded_and_a_new_stage_starts_afresh(world):
    a = world.a
    with clock.travel_to(at(2026, 11, 2, 9, 0)):  # Monday
        case = svc.case_submit(case=file_case(a), by=a.applicant)
        task_claim(task=open_tasks_of(case).get(), user=a.tto_officer)
    other = world.a.users["institution_admin"]
    Membership.objects.create(user=other, institution=a.institution, role=Role.TTO_OFFICER)
    assert case.stage_due_at == at(2026, 11, 9, 17, 0)
    assert sweep(at(2026, 11, 9, 17, 30)) == 1  # the beat was down: no stale reminder, the overdue flag
    assert kinds(a.tto_officer) == ["stage_overdue"] and kinds(other) == []  # only the one who holds it

    with clock.travel_to(at(2026, 11, 10, 9, 0)):
        case = case_act(case=case, user=a.tto_officer,
                        run=lambda: svc.case_pass_preliminary_review(case=case, by=a.tto_officer))
    assert case.stage == Stage.ASSESSMENT
    assert sweep(at(2026, 11, 10, 18, 0)) == 0  # the new stage has its own, later, due time
    assert kinds(a.assessor) == []


def test_final_stages_and_stages_without_a_due_time_are_left_alone(world):
    a = world.a
    with clock.travel_to(at(2026, 11, 2, 9, 0)):
        case = svc.case_submit(case=file_case(a), by=a.applicant)
        svc.case_withdraw(case=case, by=a.applicant, reason="撤回")
    assert sweep(at(2027, 1, 1, 9, 0)) == 0
