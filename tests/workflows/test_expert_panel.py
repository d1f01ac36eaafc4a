"""论证 by a panel: formed by the TTO officer with the rule pack's quorum, one task per expert, conflicts
declared and replaced, independent opinions, the quorum closing the panel, the officer concluding."""

from __future__ import annotations

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from notifications.models import Notification
from tests.factories import assert_flow_agrees, experts_of, file_case, opinion, pdf
from transfers.models import Membership, PanelSeat, Role, RulePack, Stage, TransferCase
from transfers.services import cases as svc
from transfers.services import panels
from transfers.services.errors import ActionRefused
from transfers.services.rules import rule_pack_new_version
from workflows.flow import TransferFlow
from workflows.selectors import inbox, open_task_names, open_tasks_of
from workflows.services import case_act, panel_walk

pytestmark = pytest.mark.django_db


def to_demonstration(side, **fields) -> TransferCase:
    case = svc.case_submit(case=file_case(side, **fields), by=side.applicant)
    case = case_act(case=case, user=side.tto_officer,
                    run=lambda: svc.case_pass_preliminary_review(case=case, by=side.tto_officer))
    case = case_act(case=case, user=side.assessor, run=lambda: svc.case_complete_assessment(
        case=case, by=side.assessor, method="agency", agency_name="甘肃衡信资产评估有限公司", report=pdf()))
    assert case.stage == Stage.DEMONSTRATION
    return case


def form(side, case, experts, approvals=2) -> TransferCase:
    def run() -> TransferCase:
        panels.panel_form(case=case, by=side.tto_officer, experts=experts, approvals_needed=approvals)
        return case

    return case_act(case=case, user=side.tto_officer, run=run, node="form_panel")


def seat_of(case, expert) -> PanelSeat:
    return PanelSeat.objects.get(panel__case=case, expert=expert, status__in=PanelSeat.OPEN)


def give(case, expert, data=None) -> None:
    seat = seat_of(case, expert)
    if seat.status == PanelSeat.Status.INVITED:
        panels.seat_declare(seat=seat, by=expert, conflict=False)

    def run() -> TransferCase:
        panels.opinion_submit(seat=seat, by=expert, data=data or opinion())
        return case

    case_act(case=case, user=expert, run=run, node="expert_review")


def tasks_named(case, name) -> list[Task]:
    return list(open_tasks_of(case).filter(flow_task=getattr(TransferFlow, name)))


def test_the_officer_forms_a_panel_of_at_least_the_rule_packs_quorum(world):
    a = world.a
    clauses = {"expert_quorum": "某大学成果转化办法第十二条"}
    pack = rule_pack_new_version(base=a.institution.rule_pack, changes={"expert_quorum": 5, "clauses": clauses})
    case = to_demonstration(a)
    assert case.rule_pack == pack
    experts = experts_of(a, 5)
    assert open_task_names(case) == {"form_panel"}
    with pytest.raises(ActionRefused) as refusal:
        panels.panel_form(case=case, by=a.tto_officer, experts=experts[:4], approvals_needed=3)
    assert "不得少于 5 人" in str(refusal.value) and "某大学成果转化办法第十二条" in str(refusal.value)
    for approvals in (2, 6):  # fewer than a majority of the quorum, more than the quorum
        with pytest.raises(ActionRefused):
            panels.panel_form(case=case, by=a.tto_officer, experts=experts, approvals_needed=approvals)
    with pytest.raises(ActionRefused):  # only the TTO forms it
        panels.panel_form(case=case, by=a.expert, experts=experts, approvals_needed=3)
    assert case.panels.count() == 0

    form(a, case, experts, approvals=3)
    tasks = tasks_named(case, "expert_review")
    assert sorted(t.owner_id for t in tasks) == sorted(e.pk for e in experts)  # one task per expert, by name
    assert all(t.status == STATUS.ASSIGNED for t in tasks)
    assert_flow_agrees(case)
    invited = Notification.objects.filter(kind="panel_invitation", case=case)
    assert sorted(invited.values_list("recipient_id", flat=True)) == sorted(e.pk for e in experts)


def test_conflicts_of_interest_keep_an_expert_off_the_panel(world):
    a = world.a
    inventor_expert, counterparty_expert, contact_expert, clean = experts_of(a, 4)
    inventor_expert.last_name, inventor_expert.first_name = "王", "𠮷祥"  # an inventor of the factory's achievement
    inventor_expert.save()
    Membership.objects.filter(user=counterparty_expert).update(external=True, affiliation="甘肃陇原科技发展有限公司")
    contact_expert.last_name, contact_expert.first_name = "周", "明"
    contact_expert.save()
    case = to_demonstration(a, counterparty_contact="周明 0931-1234567")
    conflicts = {c.user.pk: c.conflict for c in panels.panel_candidates(case)}
    assert conflicts[inventor_expert.pk] == "本案成果完成人"
    assert conflicts[counterparty_expert.pk] == "工作单位与受让方相同或关联"
    assert conflicts[contact_expert.pk] == "列为受让方联系人或关联方"
    assert conflicts[clean.pk] == ""
    Membership.objects.create(user=a.applicant, institution=a.institution, role=Role.EXPERT)
    assert {c.user.pk: c.conflict for c in panels.panel_candidates(case)}[a.applicant.pk] == "本案申请人"
    with pytest.raises(ActionRefused) as refusal:
        panels.panel_form(case=case, by=a.tto_officer, experts=[clean, inventor_expert, counterparty_expert],
                          approvals_needed=2)
    assert "须回避" in str(refusal.value)
    other = world.b.expert  # an expert of another institution cannot sit either
    with pytest.raises(ActionRefused):
        panels.panel_form(case=case, by=a.tto_officer, experts=[clean, a.expert, other], approvals_needed=2)
    assert case.panels.count() == 0


def test_an_expert_who_declares_a_conflict_is_replaced_and_the_panel_goes_on(client, world):
    a = world.a
    first, second, third, fourth = experts_of(a, 4)
    case = form(a, to_demonstration(a), [first, second, third])
    give(case, first)

    # the second expert declares a conflict from the task page: a reason is required
    client.force_login(second)
    task = inbox(second).get(process__artifact_object_id=case.pk)
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert "利益冲突声明" in page
    empty = client.post(reverse("workflows:task", args=[task.pk]), {"action": "conflict", "comment": ""})
    assert empty.status_code == 400
    response = client.post(reverse("workflows:task", args=[task.pk]),
                           {"action": "conflict", "comment": "本人持有受让方股份。"})
    assert response.status_code == 302
    assert PanelSeat.objects.get(panel__case=case, expert=first).status == PanelSeat.Status.SUBMITTED
    assert PanelSeat.objects.get(panel__case=case, expert=second).status == PanelSeat.Status.DECLINED
    assert Notification.objects.filter(kind="panel_declined", recipient=a.tto_officer).exists()

    # the officer gets a replacement task on the same branch; the panel cannot close without it
    (replace,) = tasks_named(case, "replace_expert")
    assert "replace_expert" in open_task_names(case) and "conclude_panel" not in open_task_names(case)
    client.force_login(a.tto_officer)
    page = client.get(reverse("workflows:task", args=[replace.pk])).content.decode()
    assert "本人持有受让方股份。" in page and f'value="{second.pk}"' not in page and f'value="{first.pk}"' not in page
    assert client.post(reverse("workflows:task", args=[replace.pk]),
                       {"action": "replace", "expert": str(fourth.pk)}).status_code == 302
    seat = seat_of(case, fourth)
    assert seat.replaces.expert == second
    assert sorted(t.owner_id for t in tasks_named(case, "expert_review")) == sorted([third.pk, fourth.pk])

    give(case, third)
    assert not tasks_named(case, "conclude_panel")
    give(case, fourth, opinion("conditions"))
    assert open_task_names(case) == {"conclude_panel"}
    assert Notification.objects.filter(kind="panel_ready", recipient=a.tto_officer).exists()
    case = case_act(case=case, user=a.tto_officer, node="conclude_panel",
                    run=lambda: panels.panel_conclude(case=case, by=a.tto_officer, conclusion="pass"))
    assert case.stage == Stage.DECISION
    assert_flow_agrees(case)
    actions = list(case.audit_events.values_list("action", flat=True))
    assert "decline_seat" in actions and "replace_expert" in actions


def test_the_quorum_closes_the_panel_and_cancels_the_tasks_still_open(world):
    a = world.a
    experts = experts_of(a, 4)  # four invited, the pack's quorum is three
    case = form(a, to_demonstration(a), experts)
    for expert in experts[:3]:
        give(case, expert)
    late = Task.objects.get(process__artifact_object_id=case.pk, flow_task=TransferFlow.expert_review,
                            owner=experts[3])
    assert late.status == STATUS.CANCELED
    assert PanelSeat.objects.get(panel__case=case, expert=experts[3]).status == PanelSeat.Status.RELEASED
    assert open_task_names(case) == {"conclude_panel"}
    with pytest.raises(ActionRefused):  # the released expert can no longer give an opinion
        panels.opinion_submit(seat=PanelSeat.objects.get(expert=experts[3]), by=experts[3], data=opinion())


def test_nobody_on_the_panel_sees_another_opinion_until_it_is_concluded(client, world):
    a = world.a
    first, second, third = experts_of(a, 3)
    case = form(a, to_demonstration(a), [first, second, third])
    give(case, first, opinion(text="第一位专家的独立意见"))
    client.force_login(second)
    task = inbox(second).get(process__artifact_object_id=case.pk)
    assert "第一位专家的独立意见" not in client.get(case.get_absolute_url()).content.decode()
    assert "第一位专家的独立意见" not in client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    client.force_login(first)
    assert "第一位专家的独立意见" in client.get(case.get_absolute_url()).content.decode()
    client.force_login(a.tto_officer)  # the officer running the panel follows it
    assert "第一位专家的独立意见" in client.get(case.get_absolute_url()).content.decode()
    give(case, second)
    give(case, third)
    case_act(case=case, user=a.tto_officer, node="conclude_panel",
             run=lambda: panels.panel_conclude(case=case, by=a.tto_officer, conclusion="pass"))
    client.force_login(second)
    assert "第一位专家的独立意见" in client.get(case.get_absolute_url()).content.decode()


def test_a_panel_without_enough_approvals_cannot_pass_and_is_returned(client, world):
    a = world.a
    experts = experts_of(a, 3)
    case = panel_walk(case=to_demonstration(a), officer=a.tto_officer, experts=experts,
                      opinions=[opinion("reject", "价格过低。"), opinion("approve"), opinion("reject", "风险大。")],
                      conclude=False)
    client.force_login(a.tto_officer)
    task = inbox(a.tto_officer).get(process__artifact_object_id=case.pk)
    page = client.get(reverse("workflows:task", args=[task.pk])).content.decode()
    assert "同意 1 人（须 2 人）" in page and "价格过低。" in page
    response = client.post(reverse("workflows:task", args=[task.pk]), {"action": "pass", "comment": ""})
    assert response.status_code == 400 and "少于须同意的 2 人" in response.content.decode()
    assert TransferCase.objects.get(pk=case.pk).stage == Stage.DEMONSTRATION
    assert client.post(reverse("workflows:task", args=[task.pk]),
                       {"action": "return", "comment": "请重新评估价格。"}).status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.RETURNED
    assert_flow_agrees(case)
    # the resubmitted case gets a new panel, for its new revision
    case = case_act(case=case, user=a.applicant, run=lambda: svc.case_resubmit(case=case, by=a.applicant))
    assert case.current_panel() is None


def test_withdrawing_a_case_mid_panel_cancels_every_open_task(world):
    a = world.a
    experts = experts_of(a, 3)
    case = form(a, to_demonstration(a), experts)
    give(case, experts[0])
    case = svc.case_withdraw(case=case, by=a.applicant, reason="受让方暂缓合作。")
    assert case.stage == Stage.WITHDRAWN
    assert open_task_names(case) == set()
    assert not Task.objects.filter(process__artifact_object_id=case.pk, status__in=[STATUS.NEW, STATUS.STARTED,
                                                                                       STATUS.ASSIGNED]).exists()


def test_the_same_rule_pack_version_sets_the_quorum_for_a_case_all_along(world):
    a = world.a
    case = to_demonstration(a)
    rule_pack_new_version(base=a.institution.rule_pack, changes={"expert_quorum": 5})
    case = form(a, case, experts_of(a, 3))  # pinned at submission: three still suffice
    assert case.current_panel().quorum == 3 == RulePack.objects.get(pk=case.rule_pack_id).expert_quorum


def test_the_admin_records_an_external_experts_affiliation_and_the_conflict_follows(client, world):
    a = world.a
    case = to_demonstration(a)
    client.force_login(a.institution_admin)
    url = reverse("institutions:member", args=[a.institution.code, a.expert.pk])
    response = client.post(url, {"roles": ["expert"], "external": "on", "affiliation": "甘肃陇原科技发展有限公司"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=a.expert, institution=a.institution)
    assert membership.external and membership.affiliation == "甘肃陇原科技发展有限公司"
    conflicts = {c.user.pk: c.conflict for c in panels.panel_candidates(case)}
    assert conflicts[a.expert.pk] == "工作单位与受让方相同或关联"
    assert "工作单位改为" in client.get(reverse("institutions:overview", args=[a.institution.code])).content.decode()
