"""Reads of the flow: the process of a case, its open tasks, and each reviewer's lists (my tasks,
the queue of my role groups, the archive of what I completed), filtered and sorted in one query."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Window
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from transfers import clock, permissions
from transfers.models import ExpertOpinion, ExpertPanel, PanelSeat, TransferCase

from .models import CaseProcess

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


def _case_ct() -> ContentType:
    return ContentType.objects.get_for_model(TransferCase)


def active_process_of(case: TransferCase) -> CaseProcess | None:
    """The case's own process (``TransferFlow``; a reward approval has the case as artifact too)."""
    from .flow import TransferFlow

    return (
        CaseProcess.objects.filter(
            artifact_content_type=_case_ct(), artifact_object_id=case.pk, status=PROCESS.NEW,
            flow_class=TransferFlow,
        )
        .order_by("-pk")
        .first()
    )


def open_tasks_of(case: TransferCase) -> QuerySet[Task]:
    """The open tasks of the case's own process (not a reward approval's)."""
    from .flow import TransferFlow

    return Task.objects.filter(
        process__flow_class=TransferFlow,
        process__artifact_content_type=_case_ct(),
        process__artifact_object_id=case.pk,
        flow_task_type="HUMAN",
        status__in=OPEN,
    ).order_by("pk")


def open_task_names(case: TransferCase) -> set[str]:
    return {task.flow_task.name for task in open_tasks_of(case)}


def _queue_condition(user: Any) -> Q | None:
    """Unclaimed tasks for a role the user holds, in the institution where they hold it."""
    condition: Q | None = None
    for institution_id, roles in permissions.roles_by_institution(user).items():
        # per task (``Exists`` on the case's primary key), so the database walks the unclaimed tasks
        # of the roles by their index rather than every process of every case of the institution
        of_institution = TransferCase.objects.filter(
            pk=OuterRef("process__artifact_object_id"), institution_id=institution_id
        )
        part = Q(
            Exists(of_institution),
            owner__isnull=True,
            owner_permission__in=[permissions.role_permission(r) for r in sorted(roles)],
        )
        condition = part if condition is None else condition | part
    return condition


def _human_case_tasks(condition: Q, statuses: list[str]) -> QuerySet[Task]:
    return Task.objects.filter(
        condition,
        flow_task_type="HUMAN",
        status__in=statuses,
        process__artifact_content_type=_case_ct(),
    )


def _held_by(user: Any) -> Q:
    """Tasks this user holds, and those held by colleagues they substitute for today (not an
    expert's personal seat)."""
    condition = Q(owner=user)
    principals = permissions.principals_of(user)
    if principals:
        from .flow import TransferFlow  # the flow imports the views, which import this module

        condition |= Q(owner_id__in=principals) & ~Q(flow_task=TransferFlow.expert_review)
    return condition


def my_tasks(user: Any) -> QuerySet[Task]:
    """Open tasks assigned to this user (claimed by them, or given to them by the flow), and to the
    colleagues they substitute for."""
    if user is None or not user.is_authenticated:
        return Task.objects.none()
    return _human_case_tasks(_held_by(user), [STATUS.NEW, STATUS.ASSIGNED]).order_by("created", "pk")


def queue(user: Any) -> QuerySet[Task]:
    """Unclaimed open tasks of the role groups this user belongs to, per institution: nothing from an
    institution where they do not hold the task's role, nothing someone has claimed."""
    if user is None or not user.is_authenticated:
        return Task.objects.none()
    condition = _queue_condition(user)
    if condition is None:
        return Task.objects.none()
    return _human_case_tasks(condition, [STATUS.NEW]).order_by("created", "pk")


def archive(user: Any) -> QuerySet[Task]:
    """Tasks this user completed, newest first."""
    if user is None or not user.is_authenticated:
        return Task.objects.none()
    return _human_case_tasks(Q(owner=user), [STATUS.DONE]).order_by("-finished", "-pk")


def inbox(user: Any) -> QuerySet[Task]:
    """Open tasks this user may take: assigned to them, or waiting for a role they hold in the
    case's institution (``my_tasks`` and ``queue`` together). Nothing from another institution
    ever matches."""
    if user is None or not user.is_authenticated:
        return Task.objects.none()
    condition = _held_by(user)
    queued = _queue_condition(user)
    if queued is not None:
        condition |= queued
    return (
        _human_case_tasks(condition, [STATUS.NEW, STATUS.ASSIGNED])
        .select_related("process", "owner")
        .order_by("created")
    )


# --------------------------------------------------------------------------------------------
# The reviewer's lists: filters, search and sorting over tasks, with a fixed number of queries


#: the task nodes a reviewer's list can be narrowed to, in the order of the process
TASK_NODES = (
    "preliminary_review",
    "assessment",
    "form_panel",
    "expert_review",
    "replace_expert",
    "conclude_panel",
    "decision",
    "publicity",
    "objection_review",
    "implementation",
    "revise",
)

#: sort keys of the lists (a leading ``-`` sorts descending)
SORT_KEYS = ("received", "due", "reference", "completed")


@dataclass(frozen=True)
class TaskFilters:
    """What a reviewer narrowed a list to: all optional, already validated by the view's form."""

    stage: str = ""  # a task node name (``TASK_NODES``)
    institution: int | None = None
    mode: str = ""
    overdue: bool = False
    q: str = ""
    sort: str = "received"


def task_nodes() -> list[tuple[str, str]]:
    """(node name, title) of every reviewer task, for the stage filter."""
    from .flow import TransferFlow  # the flow imports the views, which import this module

    return [(name, str(getattr(TransferFlow, name).task_title)) for name in TASK_NODES]


def _matching_cases(filters: TaskFilters, now: datetime.datetime) -> QuerySet[TransferCase] | None:
    """The cases the filters allow, as a subquery; ``None`` when no case filter is set."""
    cases = TransferCase.objects.all()
    narrowed = False
    if filters.institution is not None:
        cases, narrowed = cases.filter(institution_id=filters.institution), True
    if filters.mode:
        cases, narrowed = cases.filter(mode=filters.mode), True
    if filters.overdue:
        cases, narrowed = cases.filter(stage_due_at__lt=now), True
    words = filters.q.strip()
    if words:
        # one column per case (``TransferCase.search_text``: reference, title, counterparty,
        # achievements and inventors), not three tables scanned per search
        cases, narrowed = cases.filter(search_text__icontains=words), True
    return cases if narrowed else None


def task_list(tasks: QuerySet[Task], filters: TaskFilters, *, now: datetime.datetime) -> QuerySet[Task]:
    """``tasks`` narrowed by ``filters`` and sorted: one query, whatever the number of rows. The
    case's due date and reference are annotated by subquery (tasks reach their case through the
    process's generic artifact, which has no foreign key)."""
    if filters.stage in TASK_NODES:
        from .flow import TransferFlow

        tasks = tasks.filter(flow_task=getattr(TransferFlow, filters.stage))
    cases = _matching_cases(filters, now)
    if cases is not None:
        tasks = tasks.filter(process__artifact_object_id__in=cases.values("pk"))
    descending = filters.sort.startswith("-")
    key = filters.sort.lstrip("-")
    # the case's due date or reference only when the list is sorted by it: a database that cannot walk
    # an index in that order computes every selected column of every matching row before sorting
    of_case = TransferCase.objects.filter(pk=OuterRef("process__artifact_object_id")).order_by()
    if key == "due":
        tasks = tasks.annotate(case_due_at=Subquery(of_case.values("stage_due_at")[:1]))
    elif key == "reference":
        tasks = tasks.annotate(case_reference=Subquery(of_case.values("reference")[:1]))
    column = {
        "received": F("created"),
        "due": F("case_due_at"),
        "reference": F("case_reference"),
        "completed": F("finished"),
    }.get(key, F("created"))
    # ``created`` is never empty: sorted without NULLS LAST, so an index on it gives the order
    nulls_last = None if key not in ("due", "reference", "completed") else True
    order = column.desc(nulls_last=nulls_last) if descending else column.asc(nulls_last=nulls_last)
    # not ``owner``: joining the user table makes SQLite walk every task the reader ever held (by the
    # owner index alone) instead of their open ones; ``task_rows`` attaches the owners
    return tasks.select_related("process").order_by(order, "-pk" if descending else "pk")


def reads_every_row(filters: TaskFilters) -> bool:
    """Whether the database must read every matching task to answer a page: a search or a filter on the
    case, or a sort by the case's due date or reference (no index gives that order)."""
    return bool(filters.q.strip() or filters.institution is not None or filters.mode or filters.overdue
                or filters.sort.lstrip("-") in ("due", "reference"))


def counted_page(tasks: QuerySet[Task], number: Any, per_page: int) -> Page:
    """A page of ``tasks`` and their total in one query (``COUNT(*) OVER ()``) instead of a count and a
    page that both read every matching row. A page past the end falls back to Django's paginator (a
    count, then the last page)."""
    paginator = Paginator(tasks, per_page)
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    start = (wanted - 1) * per_page
    rows = list(tasks.annotate(total_rows=Window(Count("pk")))[start : start + per_page])
    if not rows:
        return paginator.get_page(number)
    paginator.count = rows[0].total_rows  # the paginator's cached count, already known
    return Page(rows, wanted, paginator)


@dataclass
class TaskRow:
    """One line of a reviewer's list: the task, its case, and how long is left."""

    task: Task
    case: TransferCase
    days_left: int | None  # calendar days (China time) until the stage is due; None: no due date
    overdue: bool
    can_reassign: bool = False  # the reader is a TTO officer of the case's institution
    urls: dict[str, str] = field(default_factory=dict)  # task, claim, release, reassign, and the case
    due: datetime.datetime | None = None  # when the task's stage is due

    @property
    def days_overdue(self) -> int:
        """Calendar days since the due day (China time); 0 on the due day itself."""
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def _attach_owners(tasks: list[Task], reader: Any) -> None:
    """Each task's owner: the reader for their own tasks, the others (a colleague a substitute acts
    for, an archive's) in one query, none when the reader holds them all."""
    others = {t.owner_id for t in tasks if t.owner_id is not None and t.owner_id != reader.pk}
    people = get_user_model().objects.in_bulk(others) if others else {}
    for task in tasks:
        if task.owner_id is not None:
            task.owner = reader if task.owner_id == reader.pk else people[task.owner_id]


#: a task number no task has, reversed once per page and replaced in each row (25 rows would otherwise
#: mean a hundred ``reverse`` calls, a tenth of the page's time)
_SOME_TASK = 2_147_483_647
_SOME_CASE = uuid.UUID(int=0)
TASK_URL_NAMES = ("task", "claim", "release", "reassign")


def task_rows(tasks: list[Task], *, now: datetime.datetime, reader: Any) -> list[TaskRow]:
    """The rows of one page: their cases in one query (and their owners, when not the reader)."""
    from .flow import TransferFlow

    cases = cases_by_id(tasks)
    _attach_owners(tasks, reader)
    patterns = {name: reverse(f"workflows:{name}", args=[_SOME_TASK]) for name in TASK_URL_NAMES}
    case_pattern = reverse("transfers:case_detail", kwargs={"public_id": _SOME_CASE})
    today = clock.in_china(now).date()
    rows = []
    for task in tasks:
        case = cases.get(task.process.artifact_object_id)
        if case is None:
            continue
        # the stage's due date is the case's own tasks' (a reward approval has none)
        due = case.stage_due_at if task.flow_task.flow_class is TransferFlow else None
        days_left = (clock.in_china(due).date() - today).days if due is not None else None
        urls = {name: url.replace(str(_SOME_TASK), str(task.pk)) for name, url in patterns.items()}
        urls["case"] = case_pattern.replace(str(_SOME_CASE), str(case.public_id))
        rows.append(TaskRow(task=task, case=case, days_left=days_left, overdue=due is not None and due < now,
                            urls=urls, due=due))
    return rows


#: the navigation counts stop here and show "99+": counting a queue of thousands on every page costs
#: more than the page itself, and nobody needs the exact number in a badge (the list shows it)
NAV_COUNT_CAP = 99


def task_counts(user: Any, known: dict[str, int] | None = None, known_since: int | None = None) -> dict[str, int]:
    """The counts the navigation shows, at most ``NAV_COUNT_CAP + 1``: two queries that stop early
    (plus the user's roles, once per request), fewer when the page already counted a list (``known``:
    the unfiltered list's own count, with the generation read before it: ``counts.remembered``)."""
    if user is None or not user.is_authenticated:
        return {"my_tasks": 0, "queue": 0}
    from .counts import remembered

    limit = NAV_COUNT_CAP + 1
    known = {name: min(n, limit) for name, n in (known or {}).items()}

    def count(known: dict[str, int]) -> dict[str, int]:
        # unordered: any ``limit`` rows will do, so the database stops there instead of sorting them all
        return {
            "my_tasks": known["my_tasks"] if "my_tasks" in known else my_tasks(user).order_by()[:limit].count(),
            "queue": known["queue"] if "queue" in known else queue(user).order_by()[:limit].count(),
        }

    return remembered(user, count, known, known_since)


#: what a list's row shows of its case (not the whole row: ``search_text`` alone holds every title and name)
ROW_CASE_FIELDS = ("public_id", "reference", "title", "stage", "stage_due_at", "institution_id", "institution__name")


def cases_by_id(tasks: list[Task]) -> dict[int, TransferCase]:
    ids = {t.process.artifact_object_id for t in tasks}
    cases = TransferCase.objects.filter(pk__in=ids).select_related("institution").only(*ROW_CASE_FIELDS)
    return {c.pk: c for c in cases}


# --------------------------------------------------------------------------------------------
# The expert panel's summary, for the officer's conclusion


@dataclass
class PanelSummary:
    panel: ExpertPanel
    seats: list[PanelSeat]
    averages: list[tuple[Any, Decimal | None]]  # (aspect, mean score of the opinions in)
    submitted: int
    approvals: int


def panel_summary(panel: ExpertPanel) -> PanelSummary:
    """Every seat with its opinion (if given), the mean of each score, and the count of approvals."""
    seats = list(panel.seats.select_related("expert", "opinion").order_by("pk"))
    opinions = [seat.opinion for seat in seats if hasattr(seat, "opinion")]
    averages = []
    for name in ExpertOpinion.SCORES:
        values = [getattr(o, name) for o in opinions if getattr(o, name) is not None]
        mean = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")) if values else None
        averages.append((ExpertOpinion._meta.get_field(name).verbose_name, mean))  # type: ignore[union-attr]
    approvals = sum(1 for o in opinions if o.recommendation in ExpertOpinion.APPROVING)
    return PanelSummary(panel=panel, seats=seats, averages=averages, submitted=len(opinions), approvals=approvals)
