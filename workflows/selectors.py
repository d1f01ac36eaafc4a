"""Reads of the flow: the process of a case, its open tasks, and each reviewer's inbox."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from transfers import permissions
from transfers.models import TransferCase

from .models import CaseProcess

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


def _case_ct() -> ContentType:
    return ContentType.objects.get_for_model(TransferCase)


def active_process_of(case: TransferCase) -> CaseProcess | None:
    return (
        CaseProcess.objects.filter(
            artifact_content_type=_case_ct(), artifact_object_id=case.pk, status=PROCESS.NEW
        )
        .order_by("-pk")
        .first()
    )


def open_tasks_of(case: TransferCase) -> QuerySet[Task]:
    return Task.objects.filter(
        process__artifact_content_type=_case_ct(),
        process__artifact_object_id=case.pk,
        flow_task_type="HUMAN",
        status__in=OPEN,
    ).order_by("pk")


def open_task_names(case: TransferCase) -> set[str]:
    return {task.flow_task.name for task in open_tasks_of(case)}


def inbox(user: Any) -> QuerySet[Task]:
    """Open tasks this user may take: assigned to them, or waiting for a role they hold in the
    case's institution. Nothing from another institution ever matches."""
    if user is None or not user.is_authenticated:
        return Task.objects.none()
    condition = Q(owner=user)
    for institution_id, roles in permissions.roles_by_institution(user).items():
        case_ids = TransferCase.objects.filter(institution_id=institution_id).values("pk")
        condition |= Q(
            owner__isnull=True,
            owner_permission__in=[permissions.role_permission(r) for r in roles],
            process__artifact_object_id__in=case_ids,
        )
    return (
        Task.objects.filter(
            condition,
            flow_task_type="HUMAN",
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
            process__artifact_content_type=_case_ct(),
        )
        .select_related("process", "owner")
        .order_by("created")
    )


def cases_by_id(tasks: list[Task]) -> dict[int, TransferCase]:
    ids = {t.process.artifact_object_id for t in tasks}
    return {c.pk: c for c in TransferCase.objects.filter(pk__in=ids).select_related("institution")}
