"""Pages of the money after publicity, for the TTO officers of the case's institution: the contract, its
registration, a receipt, a distribution's proposal and its adjustment. Each finds the case through
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
from .models import Contract, Distribution, PaymentKind, Receipt, ReceiptKind, Role, TransferCase
from .services import contracts, rewards
from .services.errors import ActionRefused
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
