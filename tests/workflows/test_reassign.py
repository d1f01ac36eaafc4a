"""A TTO officer gives a task to another qualified person, with a reason, audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from notifications.models import Notification
from tests.factories import UserFactory, experts_of, file_case
from tests.workflows.test_expert_panel import form, to_demonstration
from transfers.models import AuditEvent, Membership, Role, Stage
from transfers.services import cases as svc
from transfers.services.errors import ActionRefused
from workflows.selectors import inbox, my_tasks, open_tasks_of
from workflows.services import case_act, task_claim, task_reassign

pytestmark = pytest.mark.django_db


def in_assessment(side):
    case = svc.case_submit(case=file_case(side), by=side.applicant)
    return case_act(case=case, user=side.tto_officer,
                    run=lambda: svc.case_pass_preliminary_review(case=case, by=side.tto_officer))


def second_assessor(side):
    user = UserFactory(username=f"{side.institution.code.lower()}_assessor2")
    Membership.objects.create(user=user, institution=side.institution, role=Role.ASSESSOR)
    return user


def test_the_officer_passes_a_claimed_task_to_another_assessor(client, world):
    a = world.a
    case = in_assessment(a)
    other = second_assessor(a)
    task = open_tasks_of(case).get()
    task_claim(task=task, user=a.assessor)

    client.force_login(a.tto_officer)
    url = reverse("workflows:reassign", args=[task.pk])
    page = client.get(url).content.decode()
    assert f'value="{other.pk}"' in page and f'value="{a.assessor.pk}"' not in page  # the holder is not offered
    assert f'value="{a.applicant.pk}"' not in page  # nor anyone without the role
    response = client.post(url, {"to": other.pk, "reason": ""})
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.owner == a.assessor
    response = client.post(url, {"to": other.pk, "reason": "张评出差两周。"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == other and task.status == STATUS.ASSIGNED
    event = AuditEvent.objects.filter(case=case, action="reassign_task").get()
    assert event.comment == "张评出差两周。" and event.actor == a.tto_officer and other.last_name in event.note_text
    assert Notification.objects.filter(recipient=other, kind="task_assigned").exists()
    assert my_tasks(other).filter(pk=task.pk).exists() and not my_tasks(a.assessor).filter(pk=task.pk).exists()
    with pytest.raises(ActionRefused):  # the former holder can no longer do it
        case_act(case=case, user=a.assessor, run=lambda: svc.case_complete_assessment(
            case=case, by=a.assessor, method="internal", amount=Decimal("1")))
    assert case_act(case=case, user=other, run=lambda: svc.case_complete_assessment(
        case=case, by=other, method="internal", amount=Decimal("1"))).stage == Stage.DEMONSTRATION


def test_an_unqualified_person_an_expert_seat_and_other_institutions_are_refused(client, world):
    a = world.a
    case = in_assessment(a)
    task = open_tasks_of(case).get()
    with pytest.raises(ActionRefused):
        task_reassign(task=task, by=a.tto_officer, to=a.expert, reason="试试")  # not an assessor
    with pytest.raises(ActionRefused):
        task_reassign(task=task, by=a.assessor, to=second_assessor(a), reason="我自己转")  # not the TTO
    client.force_login(world.b.tto_officer)
    assert client.get(reverse("workflows:reassign", args=[task.pk])).status_code == 404
    client.force_login(a.assessor)
    assert client.get(reverse("workflows:reassign", args=[task.pk])).status_code == 404
    task.refresh_from_db()
    assert task.owner is None and not AuditEvent.objects.filter(action="reassign_task").exists()

    experts = experts_of(a, 4)
    panel_case = form(a, to_demonstration(a, title="专家组案件"), experts[:3])
    seat_task = inbox(experts[0]).get(process__artifact_object_id=panel_case.pk)
    with pytest.raises(ActionRefused) as refusal:
        task_reassign(task=seat_task, by=a.tto_officer, to=experts[3], reason="换人")
    assert "声明回避" in str(refusal.value)


def test_a_task_a_colleague_completed_or_that_was_cancelled_says_so(client, world):
    """Refusals name what happened: who completed the task and when, or that it was cancelled."""
    from transfers.wording import person_name
    from workflows.services import task_execute

    a = world.a
    colleague = UserFactory(username="aaa_tto2", last_name="周", first_name="二")
    Membership.objects.create(user=colleague, institution=a.institution, role=Role.TTO_OFFICER)
    case = svc.case_submit(case=file_case(a), by=a.applicant)
    task = open_tasks_of(case).get()
    task_execute(task=task, user=a.tto_officer, run=lambda: svc.case_pass_preliminary_review(case=case,
                                                                                             by=a.tto_officer))
    task.refresh_from_db()
    with pytest.raises(ActionRefused) as refused:
        task_execute(task=task, user=colleague, run=lambda: svc.case_pass_preliminary_review(case=case, by=colleague))
    assert refused.value.code == "task_done" and person_name(a.tto_officer) in str(refused.value)
    # the colleague's stale form posted on the page: told who did it, sent to the case
    client.force_login(colleague)
    response = client.post(reverse("workflows:task", args=[task.pk]), {"action": "pass", "comment": ""}, follow=True)
    assert person_name(a.tto_officer) in response.content.decode() and "处理完毕" in response.content.decode()
    # a task cancelled with its case
    withdrawn = svc.case_submit(case=file_case(a), by=a.applicant)
    open_task = open_tasks_of(withdrawn).get()
    svc.case_withdraw(case=withdrawn, by=a.applicant, reason="暂缓")
    open_task.refresh_from_db()
    assert open_task.status == STATUS.CANCELED
    with pytest.raises(ActionRefused) as refused:
        task_execute(task=open_task, user=a.tto_officer, run=lambda: withdrawn)
    assert "已取消" in str(refused.value)
