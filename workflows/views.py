"""Task views: parse the form, then one service call; the reviewer's lists (my tasks, the queue,
the archive) with claim and release.

A task is opened at ``/tasks/<id>/``; its flow node names the view. Acting takes the task (if
still unclaimed), runs the service inside the flow's lock and transaction, and completes the task
so the flow routes on. A second submit of the same form finds the task done and changes nothing.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from transfers import clock, permissions
from transfers import selectors as transfer_selectors
from transfers.models import (
    Distribution,
    ExpertOpinion,
    Institution,
    PanelSeat,
    Role,
    Substitution,
    TransferCase,
    TransferMode,
)
from transfers.permissions import DELEGABLE_ROLES
from transfers.services import cases as case_services
from transfers.services import panels, rewards
from transfers.services.errors import ActionRefused
from transfers.services.notices import pending_notice
from transfers.services.substitutions import substitution_cancel, substitution_create
from transfers.views import NOTICE_NOT_RENDERED, case_context, client_ip
from transfers.wording import person_name

from . import counts, forms, stash
from .context_processors import badges
from .selectors import (
    TaskFilters,
    archive,
    counted_page,
    inbox,
    my_tasks,
    panel_summary,
    queue,
    reads_every_row,
    task_list,
    task_nodes,
    task_rows,
)
from .services import PERSONAL_TASKS, Runner, qualified_for, task_claim, task_execute, task_reassign, task_release


def _task_and_case(request: HttpRequest, task_pk: int) -> tuple[Task, TransferCase]:
    """The task and its case if the user may see the case; 404 otherwise."""
    task = get_object_or_404(Task.objects.select_related("process"), pk=task_pk, flow_task_type="HUMAN")
    case = (
        transfer_selectors.cases_visible_to(request.user).filter(pk=task.process.artifact_object_id).first()
    )
    if case is None:
        raise Http404
    return task, case


#: outcomes that cannot be undone: each is confirmed on a page that says what it does (GOV.UK's
#: confirmation pattern) before the service runs
IRREVERSIBLE: dict[str, tuple[Any, Any]] = {
    "terminate": (
        gettext_lazy("终止转化"),
        gettext_lazy("案件将终止，不能恢复。公示中或暂停中的公示将被撤销，并公开终止原因；如有待处理的异议，以此答复。"),
    ),
    "withdraw_notice": (
        gettext_lazy("撤回公示"),
        gettext_lazy("公示将立即撤销，撤销原因向公众公开；案件回到决策环节，再次批准后以新的编号重新公示。"),
    ),
    "withdraw": (
        gettext_lazy("撤回案件"),
        gettext_lazy("案件将撤回并结束，不能恢复；如需再次转化，须新建案件。"),
    ),
    "reject": (
        gettext_lazy("记录决策不同意转化"),
        gettext_lazy("案件将以“决策不同意”结束，不能恢复，申请人会收到通知；如需再次转化，须新建案件。"),
    ),
}


class TaskView(LoginRequiredMixin, View):
    """Base of every task view: subclasses name the form and map each action to a service."""

    form_class: type[forms.TaskForm] = forms.TaskForm
    template_name = "workflows/task.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.task, self.case = kwargs["task"], kwargs["case"]
        return super().dispatch(request)

    def runner(self, action: str, data: dict[str, Any]) -> Runner:
        raise NotImplementedError

    def make_form(self, data: Any = None, files: Any = None) -> forms.TaskForm:
        return self.form_class(data, files)

    def extra_context(self) -> dict[str, Any]:
        return {}

    def render_page(self, form: forms.TaskForm, status: int = 200) -> HttpResponse:
        context = case_context(self.request, self.case)
        context.update({"task": self.task, "form": form, "task_title": self.task.flow_task.task_title})
        context.update(self.extra_context())
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(self.make_form())

    def render_confirmation(self, data: dict[str, Any]) -> HttpResponse:
        """What the irreversible outcome does, the reason given, and the same form again to confirm."""
        title, consequence = IRREVERSIBLE[data["action"]]
        resend = [(key, value) for key, values in self.request.POST.lists() if key != "csrfmiddlewaretoken"
                  for value in values]
        user_pk, uploads = int(self.request.user.pk or 0), cast(dict[str, UploadedFile], self.request.FILES.dict())
        resend += [(f"{stash.PREFIX}{name}", stash.stash(upload, user_pk=user_pk, task_pk=self.task.pk))
                   for name, upload in uploads.items()]
        context = {"task": self.task, "case": self.case, "title": title, "consequence": consequence,
                   "reason": data.get("comment", ""), "resend": resend}
        return render(self.request, "workflows/confirm.html", context)

    def _files(self) -> Any:
        """The uploads of this post, and on a confirmation the ones chosen before it (stashed)."""
        files = self.request.FILES.copy()
        for key, token in self.request.POST.dict().items():
            if key.startswith(stash.PREFIX) and key.removeprefix(stash.PREFIX) not in files:
                upload = stash.unstash(token, user_pk=int(self.request.user.pk or 0), task_pk=self.task.pk)
                if upload is not None:
                    files[key.removeprefix(stash.PREFIX)] = upload
        return files

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.make_form(request.POST, self._files())
        if not form.is_valid():  # the page's error summary says what to correct (GOV.UK)
            return self.render_page(form, status=400)
        self.form, data = form, form.cleaned_data
        if data["action"] in IRREVERSIBLE and request.POST.get("confirmed") != "yes":
            return self.render_confirmation(data)
        try:
            case = task_execute(task=self.task, user=request.user, run=self.runner(data["action"], data))
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
            if refusal.code in {"task_done", "not_your_task"}:
                return redirect(self.case.get_absolute_url())
            return self.render_page(form, status=400)
        messages.success(
            request,
            _("已处理：%(case)s，当前环节：%(stage)s。")
            % {"case": case.reference, "stage": case.get_stage_display()},
        )
        if pending_notice(case) is not None:  # rendered after the task committed, and it failed
            messages.warning(request, NOTICE_NOT_RENDERED)
        return redirect("workflows:inbox")

    def _by(self) -> dict[str, Any]:
        return {"case": self.case, "by": self.request.user, "ip": client_ip(self.request)}

    def _return(self, data: dict[str, Any]) -> Runner:
        return lambda: case_services.case_return(comment=data["comment"], **self._by())


class PreliminaryReviewView(TaskView):
    form_class = forms.PreliminaryReviewForm

    def runner(self, action: str, data: dict[str, Any]) -> Runner:
        if action == "return":
            return self._return(data)
        return lambda: case_services.case_pass_preliminary_review(comment=data["comment"], **self._by())


class AssessmentView(TaskView):
    form_class = forms.AssessmentForm

    def runner(self, action: str, data: dict[str, Any]) -> Runner:
        if action == "return":
            return self._return(data)
        return lambda: case_services.case_complete_assessment(
            method=data["method"],
            amount=data.get("amount"),
            report=data.get("report"),
            agency_name=data.get("agency_name", ""),
            note=data.get("note", ""),
            comment=data["comment"],
            **self._by(),
        )


class FormPanelView(TaskView):
    """The officer invites the panel: eligible experts to choose from, the excluded ones with why."""

    form_class = forms.FormPanelForm
    template_name = "workflows/form_panel.html"

    def setup_panel(self) -> None:
        if not hasattr(self, "candidates"):
            self.candidates = panels.panel_candidates(self.case)
            self.quorum = self.case.applicable_rule_pack.expert_quorum

    def make_form(self, data: Any = None, files: Any = None) -> forms.TaskForm:
        self.setup_panel()
        choices = [(c.user.pk, _expert_label(c)) for c in self.candidates if not c.conflict]
        return forms.FormPanelForm(data, files, experts=choices, quorum=self.quorum)

    def extra_context(self) -> dict[str, Any]:
        self.setup_panel()
        pack = self.case.applicable_rule_pack
        return {
            "excluded": [c for c in self.candidates if c.conflict],
            "quorum": self.quorum,
            "quorum_clause": pack.clause("expert_quorum"),
        }

    def runner(self, action: str, data: dict[str, Any]) -> Runner:
        if action == "return":
            return self._return(data)
        chosen = {c.user.pk: c.user for c in self.candidates}
        experts = [chosen[pk] for pk in data["experts"] if pk in chosen]

        def form_panel() -> TransferCase:
            panels.panel_form(case=self.case, by=self.request.user, experts=experts,
                              approvals_needed=data["approvals_needed"], ip=client_ip(self.request))
            return self.case

        return form_panel


def _expert_label(candidate: panels.Candidate) -> str:
    if candidate.external:
        return _("%(name)s（外部专家，%(affiliation)s）") % {
            "name": candidate.name, "affiliation": candidate.affiliation or _("单位未填")
        }
    return candidate.name


class ExpertReviewView(TaskView):
    """An expert's task: first the conflict-of-interest declaration, then the opinion."""

    template_name = "workflows/expert_review.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.seat = get_object_or_404(PanelSeat.objects.select_related("panel"), pk=kwargs["task"].data["seat"])
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data: Any = None, files: Any = None) -> forms.TaskForm:
        if self.seat.status == PanelSeat.Status.INVITED:
            return forms.DeclareForm(data, files)
        return forms.OpinionForm(data, files)

    def extra_context(self) -> dict[str, Any]:
        return {"seat": self.seat, "panel": self.seat.panel}

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.make_form(request.POST, request.FILES)
        if form.is_valid() and form.cleaned_data["action"] == "no_conflict":
            try:  # the task stays open: the opinion comes next
                panels.seat_declare(seat=self.seat, by=request.user, conflict=False, ip=client_ip(request))
            except ActionRefused as refusal:
                messages.error(request, str(refusal))
                return redirect(self.case.get_absolute_url())
            messages.success(request, _("已声明无利益冲突。请阅读案件材料后提交论证意见。"))
            return redirect("workflows:task", task_pk=self.task.pk)
        return super().post(request)

    def runner(self, action: str, data: dict[str, Any]) -> Runner:
        by, ip = self.request.user, client_ip(self.request)

        def declare_conflict() -> TransferCase:
            panels.seat_declare(seat=self.seat, by=by, conflict=True, reason=data["comment"], ip=ip)
            return self.case

        def give_opinion() -> TransferCase:
            opinion = panels.OpinionData(
                **{name: data[name] for name in ExpertOpinion.SCORES},
                recommendation=data["recommendation"],
                conditions=data.get("conditions", ""),
                opinion=data["comment"],
            )
            panels.opinion_submit(seat=self.seat, by=by, data=opinion, ip=ip)
            return self.case

        return declare_conflict if action == "conflict" else give_opinion


class ReplaceExpertView(TaskView):
    """The officer invites a replacement for an expert who declined."""

    form_class = forms.ReplaceExpertForm
    template_name = "workflows/replace_expert.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.seat = get_object_or_404(PanelSeat.objects.select_related("panel", "expert"),
                                      pk=kwargs["task"].data["seat"])
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data: Any = None, files: Any = None) -> forms.TaskForm:
        seated = set(self.seat.panel.seats.values_list("expert_id", flat=True))
        self.candidates = [c for c in panels.panel_candidates(self.case) if not c.conflict
                           and c.user.pk not in seated]
        return forms.ReplaceExpertForm(data, files, experts=[(c.user.pk, _expert_label(c)) for c in self.candidates])

    def extra_context(self) -> dict[str, Any]:
        return {"seat": self.seat}

    def runner(self, action: str, data: dict[str, Any]) -> Runner:
        expert = next(c.user for c in self.candidates if c.user.pk == data["expert"])

        def replace() -> TransferCase:
            panels.seat_replace(seat=self.seat, by=self.request.user, expert=expert, ip=client_ip(self.request))
            return self.case

        return replace


class ConcludePanelView(TaskView):
    """The officer concludes from the summary of the opinions."""

    form_class = forms.ConcludePanelForm
    template_name = "workflows/conclude_panel.html"

    def extra_context(self) -> dict[str, Any]:
        panel = self.case.current_panel()
        return {"panel": panel, "summary": panel_summary(panel) if panel else None}

    def runner(self, action: str, data: dict[str, Any]) -> Runner:
        return lambda: panels.panel_conclude(case=self.case, by=self.request.user, conclusion=action,
                                             comment=data["comment"], ip=client_ip(self.request))


class ApproveDistributionView(TaskView):
    """The TTO head approves a reward distribution, or returns it with a reason."""

    form_class = forms.ApproveDistributionForm
    template_name = "workflows/approve_distribution.html"

    def extra_context(self) -> dict[str, Any]:
        distribution = self.distribution()
        return {"distribution": distribution, "receipt": distribution.receipt}

    def distribution(self) -> Distribution:
        return Distribution.objects.select_related("receipt", "rule_pack").get(pk=self.task.process.seed_object_id)

    def runner(self, action: str, data: dict[str, Any]) -> Runner:
        return lambda: rewards.distribution_decide(distribution=self.distribution(), by=self.request.user,
                                                   approve=action == "approve", comment=data["comment"],
                                                   ip=client_ip(self.request))


class DecisionView(TaskView):
    form_class = forms.DecisionForm

    def runner(self, action: str, data: dict[str, Any]) -> Runner:
        if action == "return":
            return self._return(data)
        return lambda: case_services.case_decide(
            outcome=action,
            body=data.get("body", ""),
            decided_on=data.get("decided_on"),
            minutes=data.get("minutes"),
            meeting=self.form.meeting(),  # type: ignore[attr-defined]
            comment=data["comment"],
            **self._by(),
        )


class PublicityView(TaskView):
    form_class = forms.PublicityForm

    def runner(self, action: str, data: dict[str, Any]) -> Runner:
        if action == "objection":
            return lambda: case_services.case_raise_objection(comment=data["comment"], **self._by())
        if action == "withdraw_notice":
            return lambda: case_services.case_withdraw_notice(reason=data["comment"], **self._by())
        if action == "terminate":
            return lambda: case_services.case_terminate(reason=data["comment"], **self._by())
        return lambda: case_services.case_finish_publicity(comment=data["comment"], **self._by())


class ObjectionReviewView(TaskView):
    form_class = forms.ObjectionReviewForm

    def make_form(self, data: Any = None, files: Any = None) -> forms.TaskForm:
        """The answer is published beside the objection when the rule pack says so: the form says it."""
        form = self.form_class(data, files)
        comment = form.fields["comment"]
        comment.label = _("答复意见")
        if self.case.applicable_rule_pack.publish_objection_replies:
            comment.help_text = _(
                "将公开：异议不成立的，此答复在公示页面与异议一并公布；终止转化的，作为终止原因公布。"
            )
        else:
            comment.help_text = _("终止转化的，作为终止原因在公示页面公布；其他答复只告知异议人。")
        return form

    def runner(self, action: str, data: dict[str, Any]) -> Runner:
        if action == "uphold":
            return lambda: case_services.case_uphold_objection(comment=data["comment"], **self._by())
        if action == "terminate":
            return lambda: case_services.case_terminate(reason=data["comment"], **self._by())
        return lambda: case_services.case_dismiss_objection(reply=data["comment"], **self._by())


class ImplementationView(TaskView):
    form_class = forms.ImplementationForm
    template_name = "workflows/implementation.html"

    def extra_context(self) -> dict[str, Any]:
        return {"completion_gaps": self.case.completion_gaps()}

    def runner(self, action: str, data: dict[str, Any]) -> Runner:
        if action == "terminate":
            return lambda: case_services.case_terminate(reason=data["comment"], **self._by())
        return lambda: case_services.case_complete(
            contract=data.get("contract"), comment=data["comment"], **self._by()
        )


class ReviseView(TaskView):
    form_class = forms.ReviseForm
    template_name = "workflows/revise.html"

    def runner(self, action: str, data: dict[str, Any]) -> Runner:
        if action == "withdraw":
            return lambda: case_services.case_withdraw(reason=data["comment"], **self._by())
        return lambda: case_services.case_resubmit(comment=data["comment"], **self._by())


@login_required
def task_detail(request: HttpRequest, task_pk: int) -> HttpResponse:
    """Open a task: its flow node names the view that handles it."""
    task, case = _task_and_case(request, task_pk)
    if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
        messages.info(request, _("该任务已经处理完毕。"))
        return redirect(case.get_absolute_url())
    if not inbox(request.user).filter(pk=task.pk).exists():
        messages.error(request, _("该任务不属于您的职责范围。"))
        return redirect(case.get_absolute_url())
    view = task.flow_task.view
    return view(request, task=task, case=case)


class TaskFilterForm(django_forms.Form):
    """The filter bar of the reviewer's lists (GET): every field optional, bad values ignored."""

    q = django_forms.CharField(
        label=gettext_lazy("搜索"),
        required=False,
        max_length=100,
        strip=True,
        help_text=gettext_lazy("案件编号、项目名称、成果名称、完成人或受让方"),
    )
    stage = django_forms.ChoiceField(label=gettext_lazy("环节"), required=False)
    institution = django_forms.TypedChoiceField(
        label=gettext_lazy("单位"), required=False, coerce=int, empty_value=None
    )
    mode = django_forms.ChoiceField(label=gettext_lazy("转化方式"), required=False)
    overdue = django_forms.BooleanField(label=gettext_lazy("只看已逾期"), required=False)
    sort = django_forms.ChoiceField(label=gettext_lazy("排序"), required=False)

    def __init__(
        self, data: Any, *, institutions: list[tuple[int, str]], sorts: tuple[str, ...], open_tasks: bool,
        default_sort: str = "",
    ) -> None:
        super().__init__(data)
        if not open_tasks:  # a finished task is not overdue (its case's present stage may be)
            del self.fields["overdue"]
        everything: list[tuple[str, Any]] = [("", _("全部"))]
        self._offer("stage", everything + task_nodes())
        self._offer("institution", everything + [(str(pk), name) for pk, name in institutions])
        self._offer("mode", everything + list(TransferMode.choices))
        # the column headers sort too, but a phone shows the rows stacked, without headers: a menu for every
        # width, the list's own order first
        orders = [order for key in sorts for order in (key, f"-{key}")]
        orders.sort(key=lambda order: order != default_sort)
        self._offer("sort", [(order, SORT_LABELS[order]) for order in orders])

    def _offer(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, django_forms.ChoiceField)
        field.choices = choices

    def filters(self, default_sort: str) -> TaskFilters:
        self.is_valid()  # a value out of its choices is dropped; the other filters still apply
        data = getattr(self, "cleaned_data", {})
        return TaskFilters(
            stage=data.get("stage") or "",
            institution=data.get("institution"),
            mode=data.get("mode") or "",
            overdue=bool(data.get("overdue")),
            q=data.get("q") or "",
            sort=data.get("sort") or default_sort,
        )


#: each order of a list as its sort menu names it
SORT_LABELS = {
    "received": gettext_lazy("收到时间：从早到晚"),
    "-received": gettext_lazy("收到时间：从晚到早"),
    "due": gettext_lazy("办理期限：从近到远"),
    "-due": gettext_lazy("办理期限：从远到近"),
    "reference": gettext_lazy("案件编号：从小到大"),
    "-reference": gettext_lazy("案件编号：从大到小"),
    "completed": gettext_lazy("完成时间：从早到晚"),
    "-completed": gettext_lazy("完成时间：从晚到早"),
}

#: each list: its selector, title, sort keys (the first sorted as ``default``), and whether it shows due dates
TASK_LISTS: dict[str, dict[str, Any]] = {
    "mine": {
        "tasks": my_tasks,
        "title": gettext_lazy("我的待办"),
        "sorts": ("received", "due", "reference"),
        "default": "received",
        "open": True,
    },
    "queue": {
        "tasks": queue,
        "title": gettext_lazy("待认领任务"),
        "sorts": ("received", "due", "reference"),
        "default": "received",
        "open": True,
    },
    "archive": {
        "tasks": archive,
        "title": gettext_lazy("已办任务"),
        "sorts": ("completed", "received", "reference"),
        "default": "-completed",
        "open": False,
    },
}

PAGE_SIZE = 25
#: the lists the navigation counts, by the key of ``selectors.task_counts``
NAV_COUNTED = {"mine": "my_tasks", "queue": "queue"}


def _institutions_of(user: Any) -> list[tuple[int, str]]:
    """The filter's institutions: where the user holds a role (read with the roles), by code."""
    return [(pk, name) for pk, (_code, name) in sorted(permissions.institution_names(user).items(),
                                                        key=lambda item: item[1][0])]


def _with_reassign(user: Any, rows: list[Any], open_tasks: bool) -> list[Any]:
    """Mark the open tasks a TTO officer may pass to someone else (not an expert's seat)."""
    for row in rows:
        row.can_reassign = (open_tasks and row.task.flow_task.name not in PERSONAL_TASKS
                            and permissions.has_role(user, row.case.institution_id, [Role.TTO_OFFICER]))
    return rows


def _task_list_page(request: HttpRequest, kind: str) -> HttpResponse:
    """One of the reviewer's lists: filters, search, sorting and pages, in a fixed number of queries."""
    spec = TASK_LISTS[kind]
    now = clock.now()
    form = TaskFilterForm(
        request.GET or None,
        institutions=_institutions_of(request.user),
        sorts=spec["sorts"],
        open_tasks=spec["open"],
        default_sort=spec["default"],
    )
    filters = form.filters(spec["default"])
    filtered = any([filters.stage, filters.institution, filters.mode, filters.overdue, filters.q])
    # the navigation may remember this list's count: the generation is read before it is counted
    since = counts.generation() if not filtered and kind in NAV_COUNTED else None
    tasks = task_list(spec["tasks"](request.user), filters, now=now)
    if reads_every_row(filters):
        page = counted_page(tasks, request.GET.get("page"), PAGE_SIZE)
    else:  # the page stops after its rows (an index gives the order); the count alone reads them all
        page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    current = filters.sort.lstrip("-")
    descending = filters.sort.startswith("-")
    sorting = {
        key: {
            "next": f"-{key}" if key == current and not descending else key,
            "aria": ("descending" if descending else "ascending") if key == current else "",
        }
        for key in spec["sorts"]
    }
    context: dict[str, Any] = {}
    if not filtered and kind in NAV_COUNTED:  # the navigation's count of this list is the paginator's
        known = {NAV_COUNTED[kind]: page.paginator.count}
        context["task_counts"] = badges(request.user, known=known, known_since=since)
    return render(
        request,
        "workflows/task_list.html",
        {
            **context,
            "kind": kind,
            "title": spec["title"],
            "shows_due": spec["open"],
            "form": form,
            "filtered": filtered,
            "page": page,
            "rows": _with_reassign(
                request.user, task_rows(list(page.object_list), now=now, reader=request.user), spec["open"]
            ),
            "sorting": sorting,
        },
    )


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    """My tasks: open tasks assigned to me."""
    return _task_list_page(request, "mine")


@login_required
def queue_view(request: HttpRequest) -> HttpResponse:
    """The queue: unclaimed tasks of my role groups, per institution."""
    return _task_list_page(request, "queue")


@login_required
def archive_view(request: HttpRequest) -> HttpResponse:
    """The archive: tasks I completed, newest first."""
    return _task_list_page(request, "archive")


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the list the button was on (a local address only), else ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _move_task(request: HttpRequest, task_pk: int, *, move: Any, done: str, refused_to: str) -> HttpResponse:
    """Claim or release: the service under the flow's lock, then back to the list with a message."""
    task, case = _task_and_case(request, task_pk)
    try:
        move(task=task, user=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return _back(request, refused_to)
    messages.success(request, done % {"task": task.flow_task.task_title, "case": case.reference})
    return _back(request, "workflows:inbox")


@login_required
@require_POST
def task_claim_view(request: HttpRequest, task_pk: int) -> HttpResponse:
    """Claim a task of the queue: it moves to my tasks."""
    return _move_task(request, task_pk, move=task_claim, refused_to="workflows:queue",
                      done=_("已认领“%(task)s”（%(case)s），任务已移入我的待办。"))


@login_required
@require_POST
def task_release_view(request: HttpRequest, task_pk: int) -> HttpResponse:
    """Release a task I claimed: it goes back to the queue of its role group."""
    return _move_task(request, task_pk, move=task_release, refused_to="workflows:inbox",
                      done=_("已将“%(task)s”（%(case)s）退回待认领队列。"))


def _reassign_candidates(task: Task, case: TransferCase) -> list[Any]:
    people = transfer_selectors.role_holders(case.institution_id, list(Role.values))
    return [p for p in people.order_by("last_name", "first_name", "username")
            if p.pk != task.owner_id and qualified_for(task, case, p)]


@login_required
def task_reassign_view(request: HttpRequest, task_pk: int) -> HttpResponse:
    """A TTO officer gives an open task to another qualified person, with a reason."""
    task, case = _task_and_case(request, task_pk)
    if not permissions.has_role(request.user, case.institution_id, [Role.TTO_OFFICER]):
        raise Http404
    people = _reassign_candidates(task, case)
    form = forms.ReassignForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        to = next(p for p in people if p.pk == form.cleaned_data["to"])
        try:
            task_reassign(task=task, by=request.user, to=to, reason=form.cleaned_data["reason"],
                          ip=client_ip(request))
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("已将“%(task)s”（%(case)s）转交 %(name)s。")
                             % {"task": task.flow_task.task_title, "case": case.reference, "name": person_name(to)})
            return redirect(case.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "workflows/reassign.html",
                  {"task": task, "case": case, "form": form, "task_title": task.flow_task.task_title,
                   "owner": task.owner, "personal": task.flow_task.name in PERSONAL_TASKS}, status=status)


def _id(value: str) -> int:
    """A row id from a form; anything else is a 404, never a 500."""
    if not value.isdigit():
        raise Http404
    return int(value)


@login_required
def substitutes_view(request: HttpRequest) -> HttpResponse:
    """My substitutes: name a colleague who acts for me while I am away, see and cancel arrangements,
    and see whom I act for."""
    user: Any = request.user
    member_of = (Institution.objects.filter(memberships__user=user, memberships__role__in=DELEGABLE_ROLES)
                 .distinct().order_by("code"))
    colleagues = list(
        get_user_model().objects.filter(is_active=True, memberships__institution__in=member_of)
        .exclude(pk=user.pk).distinct().order_by("last_name", "first_name", "username")
    )
    form = forms.SubstitutionForm(request.POST or None, institutions=list(member_of), colleagues=colleagues)
    if request.method == "POST" and request.POST.get("cancel"):
        arrangement = get_object_or_404(Substitution, pk=_id(request.POST["cancel"]), principal=user)
        substitution_cancel(substitution=arrangement, by=user)
        messages.success(request, _("已取消代理安排。"))
        return redirect("workflows:substitutes")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            substitution_create(
                institution=next(i for i in member_of if i.pk == data["institution"]), principal=user,
                substitute=next(u for u in colleagues if u.pk == data["substitute"]),
                starts_on=data["starts_on"], ends_on=data["ends_on"], reason=data["reason"], by=user,
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("已安排代理人。代理期间，新任务和您持有的任务将同时出现在代理人的待办中。"))
            return redirect("workflows:substitutes")
    return render(request, "workflows/substitutes.html", {
        "form": form if member_of else None,
        "given": Substitution.objects.filter(principal=user).select_related("substitute", "institution"),
        "taken": Substitution.objects.filter(substitute=user, cancelled_at__isnull=True)
        .select_related("principal", "institution"),
        "today": clock.china_today(),
    }, status=400 if request.method == "POST" else 200)
