"""Random sequences of actions by random people: the stage is always legal, the audit trail is the
stage history, and the flow's open tasks always match the stage."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from tests.factories import assert_flow_agrees, demonstrate, file_case, pdf, registered_contract
from transfers import clock
from transfers.models import AuditEvent, Role, Stage, TransferCase
from transfers.permissions import STAGE_ROLES
from transfers.services import cases as svc
from transfers.services.errors import ActionRefused
from workflows.selectors import open_tasks_of
from workflows.services import case_act

ROLES = list(Role.values)

ACTIONS = {
    "pass": lambda c, u: svc.case_pass_preliminary_review(case=c, by=u),
    "return": lambda c, u: svc.case_return(case=c, by=u, comment="请修改"),
    "resubmit": lambda c, u: svc.case_resubmit(case=c, by=u),
    "assess": lambda c, u: svc.case_complete_assessment(case=c, by=u, method="internal", amount=Decimal("3")),
    "demonstrate": None,  # a whole panel (``demonstrate``): formed, the quorum of opinions, concluded
    "approve": lambda c, u: svc.case_decide(
        case=c, by=u, outcome="approve", body="校长办公会", decided_on=clock.now().date(), minutes=pdf()
    ),
    "reject": lambda c, u: svc.case_decide(
        case=c, by=u, outcome="reject", body="校长办公会", decided_on=clock.now().date(), minutes=pdf()
    ),
    "object": lambda c, u: svc.case_raise_objection(case=c, by=u, comment="异议"),
    "dismiss": lambda c, u: svc.case_dismiss_objection(case=c, by=u, reply="不成立"),
    "uphold": lambda c, u: svc.case_uphold_objection(case=c, by=u, comment="成立"),
    "finish": lambda c, u: svc.case_finish_publicity(case=c, by=u),
    "withdraw_notice": lambda c, u: svc.case_withdraw_notice(case=c, by=u, reason="公示撤回"),
    "complete": lambda c, u: svc.case_complete(case=registered_contract(c), by=u, contract=pdf()),
    "withdraw": lambda c, u: svc.case_withdraw(case=c, by=u, reason="撤回"),
    "terminate": lambda c, u: svc.case_terminate(case=c, by=u, reason="终止"),
}
OUTSIDE = {"withdraw", "terminate"}
PANEL_STEPS = ["form_panel", "declare_no_conflict", "decline_seat", "replace_expert", "submit_opinion"]
#: what completing needs first, recorded in 实施 (``tests.factories.registered_contract``): no stage move
MONEY_STEPS = ["record_contract", "register_contract"]
FORWARD = ["pass", "assess", "demonstrate", "approve", "finish"]  # the usual path, stage by stage
NATURAL = {
    Stage.PRELIMINARY_REVIEW: ["pass", "pass", "pass", "return"],
    Stage.ASSESSMENT: ["assess", "assess", "assess", "return"],
    Stage.DEMONSTRATION: ["demonstrate", "demonstrate", "demonstrate", "return"],
    Stage.DECISION: ["approve", "approve", "approve", "reject", "return"],
    Stage.PUBLICITY: ["finish", "finish", "object", "withdraw_notice", "terminate"],
    Stage.OBJECTION_REVIEW: ["dismiss", "uphold", "terminate"],
    Stage.IMPLEMENTATION: ["complete", "complete", "terminate"],
    Stage.RETURNED: ["resubmit", "resubmit", "resubmit", "withdraw"],
}  # moves a person may start from the case page, weighted forward so that lives go deep


class CaseLife(RuleBasedStateMachine):
    world = None
    reached: set[str] = set()

    def __init__(self) -> None:
        super().__init__()
        self.case = svc.case_submit(case=file_case(self.world.a), by=self.world.a.applicant)
        self.history = [Stage.DRAFT, Stage.PRELIMINARY_REVIEW]
        self.now = clock.now()

    def _run(self, name: str, user, through_task: bool) -> None:
        case = TransferCase.objects.get(pk=self.case.pk)
        before = case.stage
        try:
            if name == "demonstrate":
                if case.stage != Stage.DEMONSTRATION or user != self.world.a.tto_officer:
                    return  # only the officer runs a panel, and only in 论证
                case = demonstrate(self.world.a, case)
            elif through_task and open_tasks_of(case).exists():
                case = case_act(case=case, user=user, run=lambda: ACTIONS[name](case, user))
            elif name in OUTSIDE or not open_tasks_of(case).exists():
                case = ACTIONS[name](case, user)
            else:
                return  # a stage move that belongs to a task is never made around it
        except ActionRefused:
            case = TransferCase.objects.get(pk=self.case.pk)
            assert case.stage == before
            return
        self.history.append(case.stage)

    @initialize(depth=st.integers(min_value=0, max_value=len(FORWARD)), detour=st.booleans())
    def start_somewhere(self, depth: int, detour: bool) -> None:
        """Lives start at any depth of the usual path, so publicity and beyond are always explored
        (random lives alone end early too often: a withdrawal, a return); about half of them are
        first returned and resubmitted, so the way back is always explored too."""
        if detour:
            self.now += datetime.timedelta(days=1)
            with clock.travel_to(self.now):
                self._run("return", self.world.a.tto_officer, through_task=True)
                self._run("resubmit", self.world.a.applicant, through_task=True)
        for name in FORWARD[:depth]:
            case = TransferCase.objects.get(pk=self.case.pk)
            self.now += datetime.timedelta(days=40 if name == "finish" else 1)
            with clock.travel_to(self.now):
                self._run(name, self.world.a.users[STAGE_ROLES[case.stage][0]], through_task=True)

    @rule(
        name=st.sampled_from(sorted(ACTIONS)),
        role=st.sampled_from(ROLES),
        through_task=st.booleans(),
        days=st.integers(min_value=0, max_value=20),
    )
    def act(self, name: str, role: str, through_task: bool, days: int) -> None:
        self.now += datetime.timedelta(days=days)
        users = dict(self.world.a.users)
        users["applicant"] = self.world.a.applicant
        with clock.travel_to(self.now):
            self._run(name, users[role], through_task)

    @rule(choice=st.integers(min_value=0, max_value=11), days=st.integers(min_value=0, max_value=20))
    def right_person_acts(self, choice: int, days: int) -> None:
        """The person whose turn it is does one of the stage's moves (so lives reach publicity and beyond)."""
        case = TransferCase.objects.get(pk=self.case.pk)
        roles = STAGE_ROLES.get(case.stage, ("applicant",))
        moves = NATURAL.get(case.stage, ["withdraw"])
        name = moves[choice % len(moves)]
        self.now += datetime.timedelta(days=days)
        with clock.travel_to(self.now):
            self._run(name, self.world.a.users[roles[0]], through_task=True)

    @rule(choice=st.integers(min_value=0, max_value=11), days=st.integers(min_value=0, max_value=20))
    def right_person_acts_again(self, choice: int, days: int) -> None:
        """The same move under a second name: hypothesis picks rules uniformly, and lives that
        mostly move forward reach publicity and beyond within a few dozen steps."""
        self.right_person_acts(choice, days)

    @rule(role=st.sampled_from(ROLES))
    def outsider_tries(self, role: str) -> None:
        """Someone of the other institution tries the open task: always refused."""
        case = TransferCase.objects.get(pk=self.case.pk)
        task = open_tasks_of(case).first()
        if task is None:
            return
        user = self.world.b.users[role]
        with pytest.raises(ActionRefused):
            case_act(case=case, user=user, run=lambda: svc.case_pass_preliminary_review(case=case, by=user))

    @invariant()
    def stage_is_legal_and_history_is_audited(self) -> None:
        case = TransferCase.objects.get(pk=self.case.pk)
        assert case.stage in Stage.values
        trail = list(AuditEvent.objects.filter(case=case).exclude(action__in=PANEL_STEPS + MONEY_STEPS).order_by("pk")
                     .values_list("to_stage", flat=True))
        assert trail == self.history
        assert_flow_agrees(case)

    def teardown(self) -> None:
        CaseLife.reached.update(self.history)


@pytest.mark.django_db
def test_random_lives_of_a_case(world):
    CaseLife.world = world
    run_state_machine_as_test(
        CaseLife,
        settings=settings(
            max_examples=30,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    # the random lives went deep enough to mean something
    assert {Stage.PUBLICITY, Stage.RETURNED, Stage.DECISION} <= CaseLife.reached
