"""Pages of the money after publicity, for the TTO officers of the case's institution: the contract, its
registration, a receipt, a distribution's proposal and its adjustment, the answer to an objection to its
reward notice, and the payments. Each finds the case through
``selectors.case_visible_to`` (another institution's case is a 404), then one service; a refusal is
shown on the form, in the error summary, and nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import money_forms as mf
from . import permissions, selectors
from .models import Contract, Distribution, Objection, PaymentKind, Receipt, ReceiptKind, Role, Stage, TransferCase
from .services import contracts, imports, payments, reward_notices, rewards
from .services.errors import ActionRefused
from .templatetags.transfers_tags import pool
from .views import client_ip


def _officers_case(request: HttpRequest, public_id: str) -> TransferCase:
    case = selectors.case_visible_to(request.user, public_id)
    if not permissions.has_role(request.user, case.institution_id, [Role.TTO_OFFICER]):
        raise Http404
    return case


def _page(
    request: HttpRequest,
    case: TransferCase,
    *,
    template: str,
    forms: dict[str, Any],
    run: Callable[[], Any],
    done: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET shows the forms; POST runs the service when every form is valid, else shows them again (400)
    with the errors summarised; a refusal goes on the first form."""
    main = next(iter(forms.values()))
    if request.method == "POST" and all(form.is_valid() for form in forms.values()):
        try:
            run()
        except ActionRefused as refusal:
            main.refuse(refusal)
        else:
            messages.success(request, done)
            return redirect(case.get_absolute_url() + "#money")
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"case": case, **forms, **(context or {})}, status=status)


@login_required
@never_cache
def contract_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    case = _officers_case(request, public_id)
    contract = Contract.objects.filter(case=case).first()
    initial: dict[str, Any] = {"counterparty_name": case.counterparty_name}
    rows: list[dict[str, Any]] = []
    if contract is not None:
        initial = {name: getattr(contract, name) for name in mf.ContractForm.base_fields if name != "document"}
        if contract.royalty_rate_pct is not None:
            initial["royalty_rate_pct"] = contract.royalty_rate_pct.normalize()
        rows = [{"due_on": i.due_on, "amount": i.amount} for i in contract.instalments.all()]
    data = request.POST if request.method == "POST" else None
    form = mf.ContractForm(data, request.FILES or None, initial=initial)
    formset = mf.InstalmentFormSet(data, initial=rows, prefix="inst")

    def run() -> None:
        contracts.contract_record(case=case, by=request.user, data=form.data_for(mf.instalments_from(formset)),
                                  document=form.cleaned_data.get("document"), ip=client_ip(request))

    return _page(request, case, template="transfers/money/contract_form.html", forms={"form": form,
                 "formset": formset}, run=run, done=_("合同已登记。"), context={"contract": contract})


@login_required
@never_cache
def contract_registration(request: HttpRequest, public_id: str) -> HttpResponse:
    case = _officers_case(request, public_id)
    contract = get_object_or_404(Contract, case=case)
    initial = {"registration_number": contract.registration_number, "registered_on": contract.registered_on,
               "registry": contract.registry}
    form = mf.RegistrationForm(request.POST if request.method == "POST" else None, request.FILES or None,
                               initial=initial)

    def run() -> None:
        d = form.cleaned_data
        contracts.contract_register(case=case, by=request.user, number=d["registration_number"],
                                    registered_on=d["registered_on"], registry=d["registry"],
                                    certificate=d.get("certificate"), ip=client_ip(request))

    return _page(request, case, template="transfers/money/registration_form.html", forms={"form": form},
                 run=run, done=_("技术合同认定登记已记录。"), context={"contract": contract})


@login_required
@never_cache
def receipt_new(request: HttpRequest, public_id: str) -> HttpResponse:
    case = _officers_case(request, public_id)
    contract = get_object_or_404(Contract, case=case)
    kinds: list[tuple[str, Any]] = [(str(k), k.label)
                                    for k in contracts.RECEIPT_KINDS[PaymentKind(contract.payment_kind)]]
    data = request.POST if request.method == "POST" else None
    form = mf.ReceiptForm(data, request.FILES or None, kinds=kinds, initial={"payer": contract.counterparty_name})
    formset = mf.DeductionFormSet(data, prefix="ded")

    def run() -> None:
        contracts.receipt_record(case=case, by=request.user, data=form.data_for(mf.deductions_from(formset)),
                                 voucher=form.cleaned_data.get("voucher"), ip=client_ip(request))

    return _page(request, case, template="transfers/money/receipt_form.html", forms={"form": form,
                 "formset": formset}, run=run, done=_("到账收入已登记。"), context={"contract": contract})


@login_required
@never_cache
def distribution_new(request: HttpRequest, public_id: str, receipt_pk: int) -> HttpResponse:
    case = _officers_case(request, public_id)
    receipt = get_object_or_404(Receipt.objects.select_related("contract"), pk=receipt_pk, contract__case=case)
    if Distribution.objects.filter(receipt=receipt).exists():
        messages.error(request, _("这笔收入已拟定分配方案。"))
        return redirect(case.get_absolute_url() + "#money")
    packs = rewards.applicable_packs(case)
    pinned = case.applicable_rule_pack
    kind = ReceiptKind(receipt.kind)
    start = rewards.default_ratios(case, receipt)
    data = request.POST if request.method == "POST" else None
    form = mf.DistributionForm(data, packs=packs, initial={"rule_pack": pinned.pk, "team_pct": start.team_pct,
                                                           "institution_pct": start.institution_pct,
                                                           "college_pct": start.college_pct})
    team = [{"name": p.name, "title": p.title, "role": p.role, "contribution_pct": p.contribution_pct,
             "is_main_contributor": p.is_main_contributor, "inventor_id": p.inventor_id}
            for p in rewards.team_of(case)]
    formset = mf.PersonFormSet(data, initial=team, prefix="people")

    def run() -> None:
        rewards.distribution_propose(receipt=receipt, by=request.user, ratios=form.ratios(),
                                     rule_pack=form.cleaned_data["rule_pack"], people=mf.people_from(formset),
                                     ip=client_ip(request))

    floors = [(p, rewards.floor_of(p, rewards.FLOOR_FIELDS[kind]), rewards.floor_of(p, "main_contributor_floor_pct"))
              for p in packs]
    return _page(request, case, template="transfers/money/distribution_form.html",
                 forms={"form": form, "formset": formset}, run=run, done=_("分配方案已拟定，等待审批。"),
                 context={"receipt": receipt, "floors": floors})


@login_required
@never_cache
def distribution_adjust(request: HttpRequest, public_id: str, distribution_pk: int) -> HttpResponse:
    case = _officers_case(request, public_id)
    distribution = get_object_or_404(Distribution.objects.select_related("rule_pack", "receipt"),
                                     pk=distribution_pk, receipt__contract__case=case)
    shares = list(distribution.shares.all())
    data = request.POST if request.method == "POST" else None
    form = mf.AdjustmentForm(data)
    formset = mf.ShareFormSet(data, prefix="shares", initial=[
        {"position": s.position, "amount": s.amount, "title": s.title, "role": s.role} for s in shares])

    def run() -> None:
        rewards.distribution_adjust(distribution=distribution, by=request.user, changes=mf.changes_from(formset),
                                    reason=form.cleaned_data["reason"], ip=client_ip(request))

    rows = list(zip(shares, formset, strict=False))
    return _page(request, case, template="transfers/money/adjust_form.html", forms={"form": form,
                 "formset": formset}, run=run, done=_("个人奖励金额已调整。"),
                 context={"distribution": distribution, "rows": rows,
                          "main_floor": rewards.floor_of(distribution.rule_pack, "main_contributor_floor_pct")})


def _officers_distribution(request: HttpRequest, public_id: str, distribution_pk: int) -> tuple[TransferCase, Any]:
    case = _officers_case(request, public_id)
    distribution = get_object_or_404(Distribution.objects.select_related("rule_pack", "receipt"),
                                     pk=distribution_pk, receipt__contract__case=case)
    return case, distribution


@login_required
@never_cache
def rewards_payment(request: HttpRequest, public_id: str, distribution_pk: int) -> HttpResponse:
    """Record the people paid, once the reward notice's period is over (the page says when, before)."""
    case, distribution = _officers_distribution(request, public_id, distribution_pk)
    shares = list(distribution.shares.all())
    unpaid = [(s.position, f"{s.name} · {pool(s.amount, distribution.receipt.kind)}") for s in shares
              if s.paid_on is None]
    form = mf.PaymentForm(request.POST if request.method == "POST" else None, people=unpaid,
                          initial={"people": [position for position, _label in unpaid]})

    def run() -> None:
        payments.rewards_pay(distribution=distribution, by=request.user, positions=form.cleaned_data["people"],
                             paid_on=form.cleaned_data["paid_on"], ip=client_ip(request))

    return _page(request, case, template="transfers/money/payment_form.html", forms={"form": form}, run=run,
                 done=_("奖励发放已登记。"), context={
                     "distribution": distribution, "shares": shares, "receipt": distribution.receipt,
                     "notice": reward_notices.current_reward_notice(distribution),
                     "problem": reward_notices.payable_problem(distribution)})


@login_required
@never_cache
def reward_objection(request: HttpRequest, public_id: str, distribution_pk: int) -> HttpResponse:
    """Answer the objections of a suspended reward notice: the objections first, then the answer. An
    upheld objection withdraws the notice: it is confirmed on a page that says so before it happens."""
    case, distribution = _officers_distribution(request, public_id, distribution_pk)
    notice = reward_notices.current_reward_notice(distribution)
    objections = (selectors.objections_of(case).filter(notice__distribution=distribution,
                                                       outcome=Objection.Outcome.PENDING) if notice else [])
    form = mf.RewardObjectionForm(request.POST if request.method == "POST" else None)
    context = {"distribution": distribution, "notice": notice, "objections": objections,
               "publishes_replies": distribution.rule_pack.publish_objection_replies}
    if (request.method == "POST" and form.is_valid() and form.upholds
            and request.POST.get("confirmed") != "yes"):
        return render(request, "transfers/money/reward_objection.html",
                      {"case": case, "form": form, "confirming": True, **context})

    def run() -> None:
        reward_notices.reward_objection_decide(distribution=distribution, by=request.user, upheld=form.upholds,
                                               reply=form.cleaned_data["reply"], ip=client_ip(request))

    done = (_("异议成立：奖励公示已撤销，分配方案已退回，请调整后重新提交审批。") if form.is_bound and form.is_valid()
            and form.upholds else _("异议不成立：奖励公示已恢复。"))
    return _page(request, case, template="transfers/money/reward_objection.html", forms={"form": form}, run=run,
                 done=done, context=context)


@login_required
@never_cache
def case_import(request: HttpRequest, public_id: str) -> HttpResponse:
    """A draft becomes a transfer approved and publicised before the system: its decision and notice as
    they happened, then 实施 (never republished)."""
    case = _officers_case(request, public_id)
    if case.stage != Stage.DRAFT:
        messages.error(request, _("只有草稿状态的案件可以作为系统上线前的转化导入。"))
        return redirect(case.get_absolute_url())
    form = mf.ImportForm(request.POST if request.method == "POST" else None, request.FILES or None)

    def run() -> None:
        d = form.cleaned_data
        imports.case_import(case=case, by=request.user, data=form.import_data(), minutes=d["minutes"],
                            notice_file=d["notice_file"], comment=d.get("comment") or "", ip=client_ip(request))

    return _page(request, case, template="transfers/money/import_form.html", forms={"form": form}, run=run,
                 done=_("已导入：案件进入实施环节，可登记合同、收入和奖励。"))
