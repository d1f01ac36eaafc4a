"""Task views: parse the form, then one service call; the inbox lists what a reviewer may take.

A task is opened at ``/tasks/<id>/``; its flow node names the view. Acting takes the task (if
still unclaimed), runs the service inside the flow's lock and transaction, and completes the task
so the flow routes on. A second submit of the same form finds the task done and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from transfers import selectors as transfer_selectors
from transfers.models import NoticeStatus, TransferCase
from transfers.services import cases as case_services
from transfers.services.errors import ActionRefused
from transfers.views import NOTICE_NOT_RENDERED, case_context, client_ip

from . import forms
from .selectors import cases_by_id, inbox
from .services import Runner, task_execute


def _task_and_case(request: HttpRequest, task_pk: int) -> tuple[Task, TransferCase]:
    """The task and its case if the user may see the case; 404 otherwise."""
    task = get_object_or_404(Task.objects.select_related("process"), pk=task_pk, flow_task_type="HUMAN")
    case = (
        transfer_selectors.cases_visible_to(request.user).filter(pk=task.process.artifact_object_id).first()
    )
    if case is None:
        raise Http404
    return task, case


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

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form_class(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请根据提示修改后再提交。"))
            return self.render_page(form, status=400)
        data = form.cleaned_data
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
        if case.notices.filter(status=NoticeStatus.PENDING).exists():  # rendered after the task committed
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


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    tasks = list(inbox(request.user))
    cases = cases_by_id(tasks)
    rows = [
        {"task": t, "case": cases[t.process.artifact_object_id]}
        for t in tasks
        if t.process.artifact_object_id in cases
    ]
    return render(request, "workflows/inbox.html", {"rows": rows})


@login_required
def case_task(request: HttpRequest, public_id: str) -> HttpResponse:
    """From the case page: open this user's open task on the case, if there is one."""
    case = transfer_selectors.case_visible_to(request.user, public_id)
    task = inbox(request.user).filter(process__artifact_object_id=case.pk).first()
    if task is None:
        messages.info(request, _("本案当前环节没有需要您处理的任务。"))
        return redirect(case.get_absolute_url())
    return redirect("workflows:task", task_pk=task.pk)
