"""Two experts submit at the same instant: the panel's join still closes once, with one conclusion
task, and the task still open is cancelled. Row locks are real only on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.concurrency.test_numbering import all_at_once
from tests.factories import build_world, experts_of, opinion
from tests.workflows.test_expert_panel import form, give, to_demonstration
from transfers.models import PanelSeat, TransferCase
from transfers.services import panels
from workflows.flow import TransferFlow
from workflows.selectors import open_task_names

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are real only on PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("invited", [3, 4])
def test_two_experts_completing_the_quorum_at_once_close_the_panel_once(invited):
    side = build_world().a
    experts = experts_of(side, invited)
    case = form(side, to_demonstration(side), experts)
    give(case, experts[0])
    for expert in experts[1:3]:  # both sit before the rush, so only the opinions race
        seat = PanelSeat.objects.get(panel__case=case, expert=expert)
        panels.seat_declare(seat=seat, by=expert, conflict=False)

    case = TransferCase.objects.get(pk=case.pk)
    results, errors = all_at_once(2, lambda i: give(case, experts[1 + i], opinion()))
    assert errors == []

    of_case = Task.objects.filter(process__artifact_object_id=case.pk)
    assert of_case.filter(flow_task=TransferFlow.panel_join).count() == 1
    assert of_case.get(flow_task=TransferFlow.panel_join).status == STATUS.DONE
    assert of_case.filter(flow_task=TransferFlow.conclude_panel).count() == 1
    assert open_task_names(case) == {"conclude_panel"}
    seats = dict(PanelSeat.objects.filter(panel__case=case).values_list("expert_id", "status"))
    assert sorted(seats.values()).count(PanelSeat.Status.SUBMITTED) == 3
    if invited == 4:
        assert seats[experts[3].pk] == PanelSeat.Status.RELEASED
        assert of_case.get(flow_task=TransferFlow.expert_review, owner=experts[3]).status == STATUS.CANCELED
