"""Task views: parse the form, then one service call; the reviewer's lists (my tasks, the queue,
the archive) with claim and release.

A task is opened at ``/tasks/<id>/``; its flow node names the view. Acting takes the task (if
still unclaimed), runs the service inside the flow's lock and transaction, and completes the task
so the flow routes on. A second submit of the same form finds the task done and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
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
from transfers.models import Institution, TransferCase, TransferMode
from transfers.services import cases as case_services
from transfers.services.errors import ActionRefused
from transfers.services.notices import pending_notice
from transfers.views import NOTICE_NOT_RENDERED, case_context, client_ip

from . import forms
from .selectors import TaskFilters, archive, inbox, my_tasks, queue, task_list, task_nodes, task_rows
from .services import Runner, task_claim, task_execute, task_release


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

    def render_page(self, form: forms.TaskForm, status: int = 200) -> HttpResponse:
        context = case_context(self.request, self.case)
        context.update({"task": self.task, "form": form, "task_title": self.task.flow_task.task_title})
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(self.form_class())

    def render_confirmation(self, data: dict[str, Any]) -> HttpResponse:
        """What the irreversible outcome does, the reason given, and the same form again to confirm."""
        title, consequence = IRREVERSIBLE[data["action"]]
        resend = [(key, value) for key, values in self.request.POST.lists() if key != "csrfmiddlewaretoken"
                  for value in values]
        context = {"task": self.task, "case": self.case, "title": title, "consequence": consequence,
                   "reason": data.get("comment", ""), "resend": resend}
        return render(self.request, "workflows/confirm.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form_class(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请根据提示修改后再提交。"))
            return self.render_page(form, status=400)
        data = form.cleaned_data
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


class DemonstrationView(TaskView):
    form_class = forms.DemonstrationForm

    def runner(self, action: str, data: dict[str, Any]) -> Runner:
        if action == "return":
            return self._return(data)
        return lambda: case_services.case_complete_demonstration(
            recommendation=data["recommendation"], opinion=data["comment"], **self._by()
        )


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

    def runner(self, action: str, data: dict[str, Any]) -> Runner:
        if action == "uphold":
            return lambda: case_services.case_uphold_objection(comment=data["comment"], **self._by())
        if action == "terminate":
            return lambda: case_services.case_terminate(reason=data["comment"], **self._by())
        return lambda: case_services.case_dismiss_objection(reply=data["comment"], **self._by())


class ImplementationView(TaskView):
    form_class = forms.ImplementationForm

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
    sort = django_forms.ChoiceField(required=False)

    def __init__(
        self, data: Any, *, institutions: list[tuple[int, str]], sorts: tuple[str, ...], open_tasks: bool
    ) -> None:
        super().__init__(data)
        if not open_tasks:  # a finished task is not overdue (its case's present stage may be)
            del self.fields["overdue"]
        everything: list[tuple[str, Any]] = [("", _("全部"))]
        self._offer("stage", everything + task_nodes())
        self._offer("institution", everything + [(str(pk), name) for pk, name in institutions])
        self._offer("mode", everything + list(TransferMode.choices))
        self._offer("sort", [(key, key) for key in sorts] + [(f"-{key}", key) for key in sorts])

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


def _institutions_of(user: Any) -> list[tuple[int, str]]:
    ids = permissions.roles_by_institution(user).keys()
    return list(Institution.objects.filter(pk__in=ids).order_by("code").values_list("pk", "name"))


def _task_list_page(request: HttpRequest, kind: str) -> HttpResponse:
    """One of the reviewer's lists: filters, search, sorting and pages, in a fixed number of queries."""
    spec = TASK_LISTS[kind]
    now = clock.now()
    form = TaskFilterForm(
        request.GET or None,
        institutions=_institutions_of(request.user),
        sorts=spec["sorts"],
        open_tasks=spec["open"],
    )
    filters = form.filters(spec["default"])
    tasks = task_list(spec["tasks"](request.user), filters, now=now)
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
    return render(
        request,
        "workflows/task_list.html",
        {
            "kind": kind,
            "title": spec["title"],
            "shows_due": spec["open"],
            "form": form,
            "filtered": any([filters.stage, filters.institution, filters.mode, filters.overdue, filters.q]),
            "page": page,
            "rows": task_rows(list(page.object_list), now=now),
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


@login_required
def case_task(request: HttpRequest, public_id: str) -> HttpResponse:
    """From the case page: open this user's open task on the case, if there is one."""
    case = transfer_selectors.case_visible_to(request.user, public_id)
    task = inbox(request.user).filter(process__artifact_object_id=case.pk).first()
    if task is None:
        messages.info(request, _("本案当前环节没有需要您处理的任务。"))
        return redirect(case.get_absolute_url())
    return redirect("workflows:task", task_pk=task.pk)
