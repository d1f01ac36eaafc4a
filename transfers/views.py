"""Pages of the applicant and the shared case page. Each view parses, authorizes through a
selector, calls one service and redirects; refusals become a translated message."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_fsm import has_transition_perm

from . import permissions, selectors
from .forms import (
    AbstractForm,
    AttachmentFormSet,
    CaseForm,
    InventorEditFormSet,
    InventorFormSet,
    NewAchievementFormSet,
    NoticeCorrectionForm,
    ReasonForm,
    inventors_from,
    new_achievements,
    uploads,
)
from .models import Contract, Inventor, NoticeKind, NoticeStatus, Role, Stage, TransferCase
from .selectors.money import money_of
from .selectors.rules import rules_applied
from .services import cases as case_services
from .services import corrections as case_corrections
from .services import filing
from .services.contracts import MONEY_STAGES, REWARD_STAGES
from .services.errors import ActionRefused
from .services.notices import may_retry_notice, notice_retry, pending_notice
from .services.snapshots import revision_changes

#: told when a notice was numbered but its PDF could not be rendered (it is not public yet)
NOTICE_NOT_RENDERED = gettext_lazy(
    "已保存，但公示文件未能生成，公众暂时看不到本公示。系统会自动重试，您也可以在案件页面点击“重新生成并发布”。"
)


#: the hint beside an achievement's abstract where the institution's pack prints it in the notice (e.g.
#: 《浙江省促进科技成果转化条例》第十七条第二款: "公示内容包括科技成果名称、内容摘要、转化方式、拟交易价格")
ABSTRACT_REQUIRED = gettext_lazy("本单位适用的规则要求公示每项成果的内容摘要：提交前请填写，公示时将公开。")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind ``TRUSTED_PROXY_HOPS`` reverse proxies (production: the TLS
    proxy) it is the address the nearest trusted proxy saw in ``X-Forwarded-For``; never a value the
    client alone could choose."""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= hops:
            return _address(forwarded[-hops])
    return _address(request.META.get("REMOTE_ADDR") or "")


def _address(value: str) -> str | None:
    """An IP address as the database stores it: a port (``1.2.3.4:5678``, ``[::1]:80``) dropped,
    anything else that is not an address is None, never a 500."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # IPv4 with a port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors get the public home; signed-in users their work."""
    if request.user.is_authenticated:
        return redirect("workflows:inbox")
    return render(request, "public/home.html")


def case_context(request: HttpRequest, case: TransferCase) -> dict[str, Any]:
    """Everything the case page shows; task pages reuse it above their form."""
    user = request.user
    achievements = case.achievements.prefetch_related(
        Prefetch("inventors", queryset=Inventor.objects.order_by("position", "pk"))
    ).order_by("pk")
    revisions = list(case.revisions.order_by("number"))
    changes = revision_changes(revisions[-2].snapshot, revisions[-1].snapshot) if len(revisions) >= 2 else []
    return {
        "case": case,
        "achievements": achievements,
        "attachments": case.attachments.select_related("uploaded_by"),
        "valuations": case.valuations.select_related("report", "recorded_by").order_by("pk"),
        "opinions": selectors.opinions_visible_to(user, case),
        "panels": selectors.panels_of(case),
        "decisions": case.decisions.select_related("minutes", "recorded_by").order_by("pk"),
        "timeline": selectors.case_timeline(case),
        "notices": case.notices.filter(kind=NoticeKind.TRANSFER).order_by("version"),  # reward ones: with the money
        "objections": selectors.objections_of(case),
        "sees_objectors": permissions.has_role(user, case.institution_id, selectors.OBJECTOR_READERS),
        "changes": changes,
        "previous_revision": revisions[-2].number if len(revisions) >= 2 else None,
        "can_edit": case.stage in filing.EDITABLE_STAGES and permissions.is_case_owner(user, case),
        "can_submit": case.stage == Stage.DRAFT and has_transition_perm(case.submit, user),
        "can_import": case.stage == Stage.DRAFT and has_transition_perm(case.import_approved, user),
        "can_withdraw": has_transition_perm(case.withdraw, user),
        "can_correct_notice": case_corrections.may_correct_notice(case, user),
        "can_retry_notice": may_retry_notice(case, user),
        "rules": rules_applied(case),
        **money_context(user, case),
    }


def money_context(user: Any, case: TransferCase) -> dict[str, Any]:
    """The case page's contract, income and distributions: shown from implementation on (or once a
    contract exists); recorded by the institution's TTO officers."""
    if case.stage not in MONEY_STAGES and not Contract.objects.filter(case=case).exists():
        return {"shows_money": False}
    contract, receipts = money_of(case)
    officer = permissions.has_role(user, case.institution_id, [Role.TTO_OFFICER])
    return {
        "shows_money": True,
        "contract": contract,
        "receipts": receipts,
        "can_record_money": case.stage in MONEY_STAGES and officer,
        # a terminated case's income received is still shared, its reward notices answered, its rewards paid
        "can_distribute": case.stage in REWARD_STAGES and officer,
    }


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = selectors.cases_visible_to(request.user).order_by("-created_at")
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        cases = cases.filter(stage=stage)
    query = request.GET.get("q", "").strip()
    if query:
        cases = cases.filter(title__icontains=query) | cases.filter(reference__icontains=query)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "transfers/case_list.html",
        {"page": page, "stages": Stage.choices, "stage": stage, "q": query},
    )


@login_required
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    case = selectors.case_visible_to(request.user, public_id)
    return render(request, "transfers/case_detail.html", case_context(request, case))


def _filing_forms(request: HttpRequest, case: TransferCase | None) -> tuple[Any, Any, Any, Any]:
    institutions = selectors.filing_institutions(request.user)
    institution = case.institution if case else None
    if institution is None:
        chosen = request.POST.get("institution") if request.method == "POST" else None
        institution = (
            institutions.filter(pk=chosen).first() if chosen and chosen.isdigit() else institutions.first()
        )
    achievements = selectors.selectable_achievements(request.user, institution) if institution else None
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = CaseForm(
        data,
        instance=case,
        institutions=institutions,
        achievements=achievements if achievements is not None else institutions.none(),
        editing=case is not None,
    )
    achievement_forms = NewAchievementFormSet(data, prefix="ach")
    pack = case.applicable_rule_pack if case else institution.rule_pack if institution else None
    if pack is not None and pack.publicity_includes_abstract:  # the pack its submission is checked against
        for row in [*achievement_forms.forms, achievement_forms.empty_form]:
            row.fields["abstract"].help_text = ABSTRACT_REQUIRED
    return (
        form,
        achievement_forms,
        InventorFormSet(data, prefix="inv"),
        AttachmentFormSet(data, files, prefix="att"),
    )


def _save_filing(request: HttpRequest, case: TransferCase | None) -> HttpResponse:
    form, ach_fs, inv_fs, att_fs = _filing_forms(request, case)
    if request.method == "POST" and all([form.is_valid(), ach_fs.is_valid(), inv_fs.is_valid(), att_fs.is_valid()]):
        existing = list(form.cleaned_data.get("existing_achievements") or [])
        new = new_achievements(ach_fs, inv_fs)
        try:
            if case is None:
                saved = filing.case_file(
                    institution=form.cleaned_data["institution"],
                    by=request.user,
                    fields=form.case_fields(),
                    existing=existing,
                    new=new,
                    attachments=uploads(att_fs),
                    ip=client_ip(request),
                )
                messages.success(
                    request, _("案件 %(ref)s 已保存为草稿，核对无误后请提交。") % {"ref": saved.reference}
                )
            else:
                saved = filing.case_edit(
                    case=case,
                    by=request.user,
                    fields=form.case_fields(),
                    existing=existing,
                    new=new,
                    attachments=uploads(att_fs),
                )
                messages.success(request, _("修改已保存。"))
            return redirect(saved.get_absolute_url())
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
    context = {"form": form, "ach_fs": ach_fs, "inv_fs": inv_fs, "att_fs": att_fs, "case": case}
    status = 400 if request.method == "POST" else 200
    return render(request, "transfers/case_form.html", context, status=status)


@login_required
@never_cache
def case_create(request: HttpRequest) -> HttpResponse:
    if not selectors.filing_institutions(request.user).exists():
        messages.error(request, _("您不是任何单位的申请人或技术转移办公室专员，不能提交案件。"))
        return redirect("transfers:case_list")
    return _save_filing(request, None)


@login_required
@never_cache
def case_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    case = selectors.case_visible_to(request.user, public_id)
    if case.stage not in filing.EDITABLE_STAGES or not permissions.is_case_owner(request.user, case):
        messages.error(
            request, _("案件当前处于“%(stage)s”环节，不能修改。") % {"stage": case.get_stage_display()}
        )
        return redirect(case.get_absolute_url())
    return _save_filing(request, case)


@login_required
@never_cache
def achievement_inventors(request: HttpRequest, public_id: str, achievement_pk: int) -> HttpResponse:
    """Correct the inventors and shares of one achievement of a draft or returned case."""
    case = selectors.case_visible_to(request.user, public_id)
    achievement = get_object_or_404(case.achievements, pk=achievement_pk)
    if case.stage not in filing.EDITABLE_STAGES or not permissions.is_case_owner(request.user, case):
        messages.error(request, _("案件当前处于“%(stage)s”环节，不能修改。") % {"stage": case.get_stage_display()})
        return redirect(case.get_absolute_url())
    initial = [
        {"name": i.name, "share": i.share, "is_main_contributor": i.is_main_contributor}
        for i in achievement.inventors.all()
    ]
    formset = InventorEditFormSet(request.POST or None, initial=initial, prefix="inv")
    details = AbstractForm(request.POST or None, initial={"abstract": achievement.abstract})
    if request.method == "POST" and formset.is_valid() and details.is_valid():
        try:
            filing.achievement_set_inventors(
                achievement=achievement, by=request.user, inventors=inventors_from(formset),
                abstract=details.cleaned_data["abstract"],
            )
            messages.success(request, _("完成人与摘要已更新。"))
            return redirect(case.get_absolute_url())
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
    if case.applicable_rule_pack.publicity_includes_abstract:
        details.fields["abstract"].help_text = ABSTRACT_REQUIRED
    context = {"case": case, "achievement": achievement, "formset": formset, "details": details}
    return render(request, "transfers/inventors_form.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def case_submit(request: HttpRequest, public_id: str) -> HttpResponse:
    case = selectors.case_visible_to(request.user, public_id)
    try:
        case = case_services.case_submit(case=case, by=request.user, ip=client_ip(request))
        messages.success(request, _("案件已提交，等待初审。"))
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    return redirect(case.get_absolute_url())


@login_required
def case_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    case = selectors.case_visible_to(request.user, public_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                case = case_services.case_withdraw(
                    case=case, by=request.user, reason=form.cleaned_data["reason"], ip=client_ip(request)
                )
                messages.success(request, _("案件已撤回。"))
                return redirect(case.get_absolute_url())
            except ActionRefused as refusal:
                messages.error(request, str(refusal))
        else:
            messages.error(request, _("请填写撤回原因。"))
    status = 400 if request.method == "POST" else 200
    return render(request, "transfers/case_withdraw.html", {"case": case, "form": form}, status=status)


@login_required
def notice_correct(request: HttpRequest, public_id: str) -> HttpResponse:
    """A TTO officer publishes a corrected version of the case's notice in publicity."""
    case = selectors.case_visible_to(request.user, public_id)
    if not case_corrections.may_correct_notice(case, request.user):
        if pending_notice(case) is not None:
            messages.error(request, _("上一版公示文件尚在生成中，请稍后再试。"))
        else:
            messages.error(request, _("只有技术转移办公室专员可以更正公示中的公示。"))
        return redirect(case.get_absolute_url())
    form = NoticeCorrectionForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            notice = case_corrections.case_correct_notice(
                case=case, by=request.user, fields=form.corrected_fields(),
                reason=form.cleaned_data["reason"], ip=client_ip(request),
            )
            notice.refresh_from_db()  # rendered after the correction committed
            if notice.status == NoticeStatus.PENDING:
                messages.warning(request, NOTICE_NOT_RENDERED)
            else:
                messages.success(
                    request,
                    _("已发布更正公示 %(number)s 第 %(version)s 版，原版本已标注为已更正。")
                    % {"number": notice.number, "version": notice.version},
                )
            return redirect(case.get_absolute_url())
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
    context = {"case": case, "form": form, "restarts": case.applicable_rule_pack.correction_restarts_clock}
    return render(request, "transfers/notice_correct.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def notice_retry_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """The TTO officer retries a notice whose PDF could not be rendered."""
    case = selectors.case_visible_to(request.user, public_id)
    try:
        notice = notice_retry(case=case, by=request.user)
        messages.success(request, _("公示 %(number)s 已发布。") % {"number": notice.number if notice else ""})
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    return redirect(case.get_absolute_url())


@login_required
def objection_evidence(request: HttpRequest, public_id: str, confirmation: str) -> FileResponse:
    objection = selectors.objection_evidence_visible_to(request.user, public_id, confirmation)
    response = FileResponse(objection.evidence.open("rb"), as_attachment=True, filename=objection.evidence_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment_download(request: HttpRequest, public_id: str) -> FileResponse:
    attachment = selectors.attachment_visible_to(request.user, public_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 otherwise; names each one's state."""
    state: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        state["database"] = "ok"
    except Exception as exc:
        state["database"] = f"error: {exc.__class__.__name__}"
    state["broker"] = _broker_state()
    healthy = all(v == "ok" for v in state.values())
    return JsonResponse({"status": "ok" if healthy else "error", **state}, status=200 if healthy else 503)


def _broker_state() -> str:
    from config.celery_app import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
