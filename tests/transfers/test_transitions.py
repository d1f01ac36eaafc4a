"""Forbidden moves are refused (wrong stage, wrong role, missing precondition) and change nothing;
the stage cannot be written directly; the audit trail cannot be rewritten."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import assert_flow_agrees, demonstrate, file_case, pdf, registered_contract
from tests.factories import step as walk_step
from transfers import clock
from transfers.models import AuditEvent, Stage, TransferCase
from transfers.services import cases as svc
from transfers.services.errors import ActionRefused
from transfers.wording import long_datetime
from workflows.services import case_act

pytestmark = pytest.mark.django_db


def submitted(world):
    case = file_case(world.a)
    return svc.case_submit(case=case, by=world.a.applicant)


def test_stage_cannot_be_assigned_directly(world):
    case = file_case(world.a)
    with pytest.raises(AttributeError):
        case.stage = Stage.COMPLETED
    case.refresh_from_db()
    assert case.stage == Stage.DRAFT


def test_wrong_stage_is_refused_with_a_message(world):
    case = submitted(world)
    with pytest.raises(ActionRefused) as refusal:
        svc.case_complete(case=case, by=world.a.tto_officer)
    assert refusal.value.code == "wrong_stage"
    assert "初审" in str(refusal.value)
    case.refresh_from_db()
    assert case.stage == Stage.PRELIMINARY_REVIEW
    assert not AuditEvent.objects.filter(case=case, action="complete").exists()


@pytest.mark.parametrize(
    "role", ["applicant", "assessor", "expert", "decision_secretary", "institution_admin"]
)
def test_wrong_role_is_refused(world, role):
    case = submitted(world)
    with pytest.raises(ActionRefused) as refusal:
        case_act(
            case=case,
            user=world.a.users[role],
            run=lambda: svc.case_pass_preliminary_review(case=case, by=world.a.users[role]),
        )
    assert refusal.value.code == "not_your_task"
    case.refresh_from_db()
    assert case.stage == Stage.PRELIMINARY_REVIEW
    assert_flow_agrees(case)


def test_service_refuses_wrong_role_even_without_the_flow(world):
    case = submitted(world)
    with pytest.raises(ActionRefused) as refusal:
        svc.case_pass_preliminary_review(case=case, by=world.a.assessor)
    assert refusal.value.code == "forbidden"


def test_tto_of_another_institution_cannot_act(world):
    case = submitted(world)
    with pytest.raises(ActionRefused):
        case_act(
            case=case,
            user=world.b.tto_officer,
            run=lambda: svc.case_pass_preliminary_review(case=case, by=world.b.tto_officer),
        )
    with pytest.raises(ActionRefused):
        svc.case_pass_preliminary_review(case=case, by=world.b.tto_officer)
    case.refresh_from_db()
    assert case.stage == Stage.PRELIMINARY_REVIEW


def test_preconditions_are_checked(world):
    a = world.a
    case = submitted(world)
    case = case_act(
        case=case,
        user=a.tto_officer,
        run=lambda: svc.case_pass_preliminary_review(case=case, by=a.tto_officer),
    )
    with pytest.raises(ActionRefused) as refusal:
        svc.case_complete_assessment(case=case, by=a.assessor, method="internal")
    assert refusal.value.code == "condition"
    case = case_act(
        case=case,
        user=a.assessor,
        run=lambda: svc.case_complete_assessment(
            case=case, by=a.assessor, method="internal", amount=__import__("decimal").Decimal("1")
        ),
    )
    case = demonstrate(a, case)
    # a decision needs its minutes
    with pytest.raises(ActionRefused):
        svc.case_decide(
            case=case,
            by=a.decision_secretary,
            outcome="approve",
            body="校长办公会",
            decided_on=clock.now().date(),
            minutes=None,
        )
    case.refresh_from_db()
    assert case.stage == Stage.DECISION
    assert not case.decisions.exists()


def test_withdraw_needs_a_reason_and_is_refused_after_decision(world):
    a = world.a
    case = submitted(world)
    with pytest.raises(ActionRefused):
        svc.case_withdraw(case=case, by=a.applicant, reason="  ")
    case = svc.case_withdraw(case=case, by=a.applicant, reason="受让方暂缓合作")
    assert case.stage == Stage.WITHDRAWN
    assert case.closing_reason == "受让方暂缓合作"
    assert_flow_agrees(case)
    with pytest.raises(ActionRefused):
        svc.case_withdraw(case=case, by=a.applicant, reason="again")


def test_withdraw_while_a_reviewer_has_claimed_the_task(world):
    from workflows.selectors import open_tasks_of
    from workflows.services import task_claim

    a = world.a
    case = submitted(world)
    task = open_tasks_of(case).get()
    task_claim(task=task, user=a.tto_officer)
    case = svc.case_withdraw(case=case, by=a.applicant, reason="不再转让")
    assert case.stage == Stage.WITHDRAWN
    task.refresh_from_db()
    assert task.status == "CANCELED"
    assert_flow_agrees(case)


def test_audit_events_are_append_only(world):
    case = file_case(world.a)
    event = AuditEvent.objects.get(case=case)
    event.comment = "rewritten"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(case=case).update(comment="x")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(case=case).delete()
    assert AuditEvent.objects.get(case=case).comment == ""


def test_concurrent_stale_copy_cannot_transition(world):
    """Two reviewers loaded the same case: the second transition finds the stage changed."""
    a = world.a
    case = submitted(world)
    stale = TransferCase.objects.get(pk=case.pk)
    case_act(
        case=case,
        user=a.tto_officer,
        run=lambda: svc.case_pass_preliminary_review(case=case, by=a.tto_officer),
    )
    with pytest.raises(ActionRefused):
        svc.case_return(case=stale, by=a.tto_officer, comment="late")
    stale.refresh_from_db()
    assert stale.stage == Stage.ASSESSMENT


def test_package_case_of_three_achievements_goes_through(world):
    a = world.a
    case = file_case(a, count=3)
    assert case.achievements.count() == 3
    case = svc.case_submit(case=case, by=a.applicant)
    steps = [
        (a.tto_officer, lambda c: svc.case_pass_preliminary_review(case=c, by=a.tto_officer)),
        (
            a.assessor,
            lambda c: svc.case_complete_assessment(
                case=c, by=a.assessor, method="agency", agency_name="甘肃衡信资产评估有限公司", report=pdf()
            ),
        ),
        (None, None),  # 论证
        (
            a.decision_secretary,
            lambda c: svc.case_decide(
                case=c,
                by=a.decision_secretary,
                outcome="approve",
                body="党委常委会",
                decided_on=clock.now().date(),
                minutes=pdf(),
            ),
        ),
    ]
    for user, step in steps:
        case = walk_step(a, case, user, step)
        assert_flow_agrees(case)
    with clock.travel_to(case.publicity_ends_at):
        case = case_act(
            case=case, user=a.tto_officer, run=lambda: svc.case_finish_publicity(case=case, by=a.tto_officer)
        )
    case = case_act(
        case=case,
        user=a.tto_officer,
        run=lambda: svc.case_complete(case=registered_contract(case), by=a.tto_officer, contract=pdf()),
    )
    assert case.stage == Stage.COMPLETED
    assert case.achievements.count() == 3
    assert_flow_agrees(case)


def test_ending_publicity_too_early_says_why_it_is_not_over(client, world):
    """Running until a named end, or suspended by an objection: the refusal says which, and nothing moves."""
    from tests.public.test_notices import objection_post, to_publicity
    from transfers.models import Notice

    case = to_publicity(world.a)
    with pytest.raises(ActionRefused) as running:
        svc.case_finish_publicity(case=case, by=world.a.tto_officer)
    assert running.value.code == "publicity_running"
    assert f"公示期至 {long_datetime(case.publicity_ends_at)} 届满，尚未结束。" == str(running.value.message)

    client.post(Notice.objects.get(case=case).get_current_url(), objection_post())
    case.refresh_from_db()
    assert case.stage == Stage.OBJECTION_REVIEW
    later = case.publicity_ends_at + datetime.timedelta(days=30)
    with clock.travel_to(later), pytest.raises(ActionRefused) as suspended:
        svc.case_finish_publicity(case=case, by=world.a.tto_officer)
    assert suspended.value.code == "publicity_suspended"
    assert "公示因异议暂停，尚未结束" in str(suspended.value.message)
    case.refresh_from_db()
    assert case.stage == Stage.OBJECTION_REVIEW
