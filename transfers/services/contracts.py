"""The contract of a case, its registration (技术合同认定登记), and the income received under it with the
deductions the institution's rules make before any split (net income, 净收入).

A TTO officer of the case's institution records them once the case is past publicity (实施, or completed:
royalties keep arriving for years). Each write takes the case's row lock, is checked whole before
anything is stored (a refusal changes nothing) and leaves a line in the case's audit trail.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from .. import clock, permissions
from ..models import (
    AttachmentKind,
    Contract,
    Deduction,
    DeductionKind,
    Instalment,
    PaymentKind,
    Receipt,
    ReceiptKind,
    Role,
    Stage,
    TransferCase,
    TransferMode,
)
from ..money import UNIT
from ..validators import format_wan_yuan, parse_wan_yuan
from .attachments import attachment_store, check_upload
from .cases import EARLIEST, check_date, limit_text, record_audit
from .errors import ActionRefused
from .locking import lock_case

#: the stages in which the money of a case is recorded: after publicity, and after completion
MONEY_STAGES = (Stage.IMPLEMENTATION, Stage.COMPLETED)
#: where the income already received is still shared and its rewards paid: a case terminated in 实施 (the
#: counterparty stopped paying) owes its inventors their part of what came in before
#: (《中华人民共和国促进科技成果转化法》第四十五条: rewards "从该项科技成果转让净收入或者许可净收入中提取")
REWARD_STAGES = (*MONEY_STAGES, Stage.TERMINATED)
#: instalments of one contract (a schedule, not a ledger)
MAX_INSTALMENTS = 60
#: how far after signing an instalment may fall due
INSTALMENT_HORIZON = datetime.timedelta(days=365 * 50)
#: deductions of one receipt
MAX_DEDUCTIONS = 10

#: the ways of paying a contract of each transfer mode may state: only the institution's own or cooperative
#: implementation is rewarded from operating profit (law 第四十五条第一款第（三）项, a 5% floor); a transfer or
#: licence pays money (第（一）项, 50%), an investment pays shares (第（二）项, 50%)
PAYMENT_KINDS_BY_MODE = {
    TransferMode.ASSIGNMENT: (PaymentKind.INSTALMENTS, PaymentKind.ROYALTY),
    TransferMode.ORDINARY_LICENCE: (PaymentKind.INSTALMENTS, PaymentKind.ROYALTY),
    TransferMode.SOLE_LICENCE: (PaymentKind.INSTALMENTS, PaymentKind.ROYALTY),
    TransferMode.EXCLUSIVE_LICENCE: (PaymentKind.INSTALMENTS, PaymentKind.ROYALTY),
    TransferMode.EQUITY_INVESTMENT: (PaymentKind.EQUITY,),
    TransferMode.SPIN_OFF: (PaymentKind.EQUITY,),
    TransferMode.RD_COOPERATION: (PaymentKind.OWN_IMPLEMENTATION, PaymentKind.INSTALMENTS, PaymentKind.ROYALTY),
}

#: which receipts each way of paying brings
RECEIPT_KINDS = {
    PaymentKind.INSTALMENTS: (ReceiptKind.PAYMENT,),
    PaymentKind.ROYALTY: (ReceiptKind.ROYALTY, ReceiptKind.PAYMENT),  # an entry fee, then royalties
    PaymentKind.EQUITY: (ReceiptKind.EQUITY,),
    PaymentKind.OWN_IMPLEMENTATION: (ReceiptKind.PROFIT,),
}


@dataclass(frozen=True)
class ContractData:
    """A contract's terms as the contract states them (amounts in 万元, exact)."""

    counterparty_name: str
    signed_on: datetime.date
    term_starts_on: datetime.date
    payment_kind: str
    term_ends_on: datetime.date | None = None
    amount: Decimal | None = None
    instalments: Sequence[tuple[datetime.date, Decimal]] = ()
    royalty_base: str = ""
    royalty_rate_pct: Decimal | None = None
    equity_company: str = ""
    equity_shares: Decimal | None = None
    equity_valuation: Decimal | None = None


@dataclass(frozen=True)
class DeductionData:
    kind: str
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class ReceiptData:
    kind: str
    received_on: datetime.date
    amount: Decimal
    payer: str
    deductions: Sequence[DeductionData] = field(default_factory=tuple)
    shares: Decimal | None = None
    profit_year: int | None = None


def line(value: str, label: str, *, max_length: int, required: bool = True) -> str:
    """One line of text as entered, stripped: within its cap, no control character; refused when empty
    and ``required``."""
    text = limit_text((value or "").strip(), label, max_length=max_length, single_line=True)
    if required and not text:
        raise ActionRefused(_("请填写%(field)s。") % {"field": label}, code="required")
    return text


def require_officer(case: TransferCase, by: Any) -> None:
    if not permissions.has_role(by, case.institution_id, [Role.TTO_OFFICER]):
        raise ActionRefused(_("只有本单位技术转移办公室专员可以登记合同与收入。"), code="forbidden")


def require_money_stage(case: TransferCase) -> None:
    """A contract and income are recorded in 实施 and after it is completed."""
    if case.stage == Stage.TERMINATED:
        raise ActionRefused(
            _("案件已终止，不能再登记合同与收入；已到账收入仍可拟定分配方案、发放奖励。"), code="terminated")
    if case.stage not in MONEY_STAGES:
        raise ActionRefused(
            _("案件当前处于“%(stage)s”环节：公示期满进入实施后，才能登记合同与收入。")
            % {"stage": case.get_stage_display()},
            code="wrong_stage",
        )


def require_reward_stage(case: TransferCase) -> None:
    """The income received is shared from 实施 on, and still after the case is completed or terminated."""
    if case.stage not in REWARD_STAGES:
        require_money_stage(case)  # says why: not yet in 实施


def money(value: Decimal | str | None, label: str, *, positive: bool = True) -> Decimal:
    """An amount in 万元 as entered: exact to the yuan, not negative (and not zero when ``positive``)."""
    if value is None or value == "":
        raise ActionRefused(_("请填写%(field)s。") % {"field": label}, code="required")
    try:
        amount = parse_wan_yuan(value)
    except ValidationError as exc:
        raise ActionRefused(_("%(label)s：%(error)s") % {"label": label, "error": exc.messages[0]},
                            code="amount_invalid") from exc
    if positive and amount <= 0:
        raise ActionRefused(_("%(label)s须大于零。") % {"label": label}, code="amount_not_positive")
    return amount


def _percent(value: Decimal | None, label: str) -> Decimal:
    if value is None:
        raise ActionRefused(_("请填写%(field)s。") % {"field": label}, code="required")
    if not Decimal(0) < value <= Decimal(100) or value != value.quantize(Decimal("0.0001")):
        raise ActionRefused(_("%(label)s须在 0 至 100 之间，最多 4 位小数。") % {"label": label}, code="percent")
    return value


def _clean_contract(data: ContractData) -> dict[str, Any]:
    """The contract's fields, checked for its way of paying; refused whole before anything is stored."""
    labels = {f.name: str(f.verbose_name) for f in Contract._meta.fields}
    name = line(data.counterparty_name, labels["counterparty_name"], max_length=60)
    check_date(data.signed_on, labels["signed_on"])
    if data.term_ends_on is not None and data.term_ends_on < data.term_starts_on:
        raise ActionRefused(_("合同期限的结束日期不能早于开始日期。"), code="term")
    if data.term_starts_on < EARLIEST:
        raise ActionRefused(_("%(label)s不能早于 %(date)s。") % {"label": labels["term_starts_on"],
                                                          "date": EARLIEST.isoformat()}, code="date_too_early")
    if data.payment_kind not in PaymentKind.values:
        raise ActionRefused(_("请选择支付方式。"), code="payment_kind")
    fields: dict[str, Any] = {
        "counterparty_name": name, "signed_on": data.signed_on, "term_starts_on": data.term_starts_on,
        "term_ends_on": data.term_ends_on, "payment_kind": data.payment_kind, "amount": None,
        "royalty_base": "", "royalty_rate_pct": None, "equity_company": "", "equity_shares": None,
        "equity_valuation": None,
    }
    if data.payment_kind == PaymentKind.INSTALMENTS:
        fields["amount"] = money(data.amount, labels["amount"])
        if not data.instalments:
            raise ActionRefused(_("请填写付款计划（至少一期：日期和金额）。"), code="instalments")
        if len(data.instalments) > MAX_INSTALMENTS:
            raise ActionRefused(_("付款计划最多 %(max)d 期。") % {"max": MAX_INSTALMENTS}, code="instalments")
        for n, (due, _amount) in enumerate(data.instalments, 1):
            if not data.signed_on - datetime.timedelta(days=366) <= due <= data.signed_on + INSTALMENT_HORIZON:
                raise ActionRefused(
                    _("第 %(n)d 期的应付日期须在签订日期前一年至后五十年之间。") % {"n": n}, code="instalment_date")
        total = sum((money(amount, _("第 %(n)d 期金额") % {"n": n}) for n, (_due, amount)
                     in enumerate(data.instalments, 1)), Decimal(0))
        if total != fields["amount"]:
            raise ActionRefused(
                _("各期金额合计 %(total)s 万元，与合同金额 %(amount)s 万元不一致。")
                % {"total": format_wan_yuan(total), "amount": format_wan_yuan(fields["amount"])},
                code="instalments_total")
    elif data.payment_kind == PaymentKind.ROYALTY:
        fields["royalty_base"] = line(data.royalty_base, labels["royalty_base"], max_length=100)
        fields["royalty_rate_pct"] = _percent(data.royalty_rate_pct, labels["royalty_rate_pct"])
        if data.amount not in (None, ""):  # an entry fee the contract also states
            fields["amount"] = money(data.amount, labels["amount"])
    elif data.payment_kind == PaymentKind.EQUITY:
        fields["equity_company"] = line(data.equity_company, labels["equity_company"], max_length=60)
        fields["equity_shares"] = money(data.equity_shares, labels["equity_shares"])
        fields["equity_valuation"] = money(data.equity_valuation, labels["equity_valuation"])
    return fields


def contract_record(
    *,
    case: TransferCase,
    by: Any,
    data: ContractData,
    document: UploadedFile | None = None,
    ip: str | None = None,
) -> Contract:
    """Record (or, before any income, correct) the signed contract of a case with its schedule."""
    fields = _clean_contract(data)
    if document is not None:
        check_upload(document)
    with transaction.atomic():
        locked = lock_case(case)
        require_officer(locked, by)
        require_money_stage(locked)
        if fields["payment_kind"] not in PAYMENT_KINDS_BY_MODE.get(TransferMode(locked.mode), ()):
            raise ActionRefused(
                _("“%(mode)s”案件的合同不能按“%(kind)s”登记。")
                % {"mode": locked.get_mode_display(), "kind": PaymentKind(fields["payment_kind"]).label},
                code="payment_kind_mode",
            )
        contract = Contract.objects.filter(case=locked).first()
        if contract is not None and contract.receipts.exists():
            raise ActionRefused(_("该合同已有到账记录，合同条款不能再修改。"), code="has_receipts")
        if contract is not None and contract.registered_on is not None and contract.registered_on < data.signed_on:
            raise ActionRefused(_("认定登记日期早于新的签订日期，请先核对技术合同认定登记。"), code="registered_before")
        if document is None and (contract is None or contract.document_id is None) and not locked.has_contract():
            raise ActionRefused(_("请上传合同文本。"), code="document_required")
        if contract is None:
            contract = Contract(case=locked, created_by=by, created_at=clock.now(), imported=locked.is_imported)
        for name, value in fields.items():
            setattr(contract, name, value)
        if document is not None:
            contract.document = attachment_store(case=locked, by=by, kind=AttachmentKind.CONTRACT, upload=document)
        elif contract.document_id is None:
            contract.document = locked.attachments.filter(kind=AttachmentKind.CONTRACT).order_by("-pk").first()
        contract.save()
        contract.instalments.all().delete()
        Instalment.objects.bulk_create(
            Instalment(contract=contract, position=n, due_on=due, amount=Decimal(amount).quantize(UNIT))
            for n, (due, amount) in enumerate(data.instalments if data.payment_kind == PaymentKind.INSTALMENTS
                                              else (), 1)
        )
        record_audit(locked, by=by, action="record_contract", from_stage=locked.stage, ip=ip)
        return contract


REGISTRATION_NUMBER_LENGTH = 16


def contract_register(
    *,
    case: TransferCase,
    by: Any,
    number: str,
    registered_on: datetime.date,
    registry: str,
    certificate: UploadedFile | None = None,
    ip: str | None = None,
) -> Contract:
    """The contract's 技术合同认定登记: the 16-digit number of the certificate, its date and registry."""
    number = "".join(number.split())
    if len(number) != REGISTRATION_NUMBER_LENGTH or not number.isascii() or not number.isdigit():
        raise ActionRefused(_("技术合同登记号为 16 位数字。"), code="registration_number")
    registry = line(registry, _("登记机构"), max_length=60)
    if certificate is not None:
        check_upload(certificate)
    with transaction.atomic():
        locked = lock_case(case)
        require_officer(locked, by)
        require_money_stage(locked)
        contract = Contract.objects.select_for_update().filter(case=locked).first()
        if contract is None:
            raise ActionRefused(_("请先登记合同，再登记技术合同认定。"), code="no_contract")
        check_date(registered_on, _("认定登记日期"), not_before=contract.signed_on)
        contract.registration_number = number
        contract.registered_on = registered_on
        contract.registry = registry
        if certificate is not None:
            contract.certificate = attachment_store(case=locked, by=by, kind=AttachmentKind.REGISTRATION_CERTIFICATE,
                                                    upload=certificate)
        contract.save(update_fields=["registration_number", "registered_on", "registry", "certificate"])
        record_audit(locked, by=by, action="register_contract", from_stage=locked.stage, ip=ip)
        return contract


def _clean_receipt(data: ReceiptData, contract: Contract) -> tuple[dict[str, Any], list[Deduction]]:
    labels = {f.name: str(f.verbose_name) for f in Receipt._meta.fields}
    if data.kind not in RECEIPT_KINDS.get(PaymentKind(contract.payment_kind), ()):
        raise ActionRefused(
            _("“%(kind)s”合同不登记“%(receipt)s”类收入。")
            % {"kind": contract.get_payment_kind_display(), "receipt": ReceiptKind(data.kind).label
               if data.kind in ReceiptKind.values else data.kind},
            code="receipt_kind",
        )
    check_date(data.received_on, labels["received_on"])
    if data.kind != ReceiptKind.PROFIT and data.received_on < contract.signed_on:
        raise ActionRefused(_("到账日期不能早于合同签订日期（%(date)s）。") % {"date": contract.signed_on.isoformat()},
                            code="before_signing")
    amount = money(data.amount, labels["amount"])
    payer = line(data.payer, labels["payer"], max_length=60)
    fields: dict[str, Any] = {"kind": data.kind, "received_on": data.received_on, "amount": amount,
                              "payer": payer, "shares": None, "profit_year": None}
    if data.kind == ReceiptKind.EQUITY:
        fields["shares"] = money(data.shares, labels["shares"])
    if data.kind == ReceiptKind.PROFIT:
        year = data.profit_year
        if year is None or not EARLIEST.year <= year < clock.china_today().year:
            raise ActionRefused(_("请填写已结束的利润年度（%(first)d 至去年）。") % {"first": EARLIEST.year},
                                code="profit_year")
        if contract.receipts.filter(kind=ReceiptKind.PROFIT, profit_year=year).exists():
            raise ActionRefused(_("%(year)d 年度的营业利润已登记。") % {"year": year}, code="profit_year_taken")
        fields["profit_year"] = year
    if data.kind == ReceiptKind.EQUITY and data.deductions:
        raise ActionRefused(_("作价投资股份不作扣除：分配的是股份本身。"), code="equity_deductions")
    if len(data.deductions) > MAX_DEDUCTIONS:
        raise ActionRefused(_("扣除项目最多 %(max)d 项。") % {"max": MAX_DEDUCTIONS}, code="deductions")
    deductions = []
    for n, item in enumerate(data.deductions, 1):
        if item.kind not in DeductionKind.values:
            raise ActionRefused(_("第 %(n)d 项扣除：请选择扣除项目。") % {"n": n}, code="deduction_kind")
        deductions.append(Deduction(
            kind=item.kind,
            amount=money(item.amount, _("第 %(n)d 项扣除金额") % {"n": n}),
            note=line(item.note, _("说明"), max_length=100, required=False),
        ))
    deducted = sum((d.amount for d in deductions), Decimal(0))
    if data.kind != ReceiptKind.EQUITY and deducted > amount:
        raise ActionRefused(
            _("扣除合计 %(deducted)s 万元，超过到账金额 %(amount)s 万元。")
            % {"deducted": format_wan_yuan(deducted), "amount": format_wan_yuan(amount)},
            code="deductions_above_receipt",
        )
    return fields, deductions


def receipt_record(
    *,
    case: TransferCase,
    by: Any,
    data: ReceiptData,
    voucher: UploadedFile | None = None,
    ip: str | None = None,
) -> Receipt:
    """Record income received under the case's contract with its deductions (net = amount − deductions)."""
    if voucher is not None:
        check_upload(voucher)
    with transaction.atomic():
        locked = lock_case(case)
        require_officer(locked, by)
        require_money_stage(locked)
        contract = Contract.objects.filter(case=locked).first()
        if contract is None:
            raise ActionRefused(_("请先登记合同，再登记到账收入。"), code="no_contract")
        fields, deductions = _clean_receipt(data, contract)
        receipt = Receipt(contract=contract, recorded_by=by, recorded_at=clock.now(), **fields)
        if voucher is not None:
            receipt.voucher = attachment_store(case=locked, by=by, kind=AttachmentKind.VOUCHER, upload=voucher)
        receipt.save()
        for deduction in deductions:
            deduction.receipt = receipt
        Deduction.objects.bulk_create(deductions)
        if receipt.kind == ReceiptKind.EQUITY:
            note, params = "equity_recorded", {"shares": format_wan_yuan(receipt.net()),
                                               "amount": format_wan_yuan(receipt.amount)}
        else:
            note, params = "receipt_recorded", {"amount": format_wan_yuan(receipt.amount),
                                                "net": format_wan_yuan(receipt.net())}
        record_audit(locked, by=by, action="record_receipt", from_stage=locked.stage, ip=ip, note=note,
                     note_params=params)
        return receipt
