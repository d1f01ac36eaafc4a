"""Filing: achievements with their inventors, and cases as drafts the applicant edits until submitted."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from .. import clock, permissions
from ..limits import ABSTRACT_MAX, MAX_INVENTORS
from ..models import Achievement, Institution, Inventor, Role, Stage, TransferCase
from ..validators import MAX_WAN_YUAN, validate_achievement, validate_credit_code
from . import numbering
from .attachments import attachment_store, check_upload
from .cases import limit_text, record_creation
from .errors import ActionRefused

EDITABLE_STAGES = (Stage.DRAFT, Stage.RETURNED)
LINE_BREAKS = re.compile(r"[\r\n\t]+")
FILING_ROLES = (Role.APPLICANT, Role.TTO_OFFICER)


@dataclass(frozen=True)
class InventorData:
    name: str
    share: Decimal
    is_main_contributor: bool = False
    user_id: int | None = None


@dataclass(frozen=True)
class AchievementData:
    kind: str
    number: str
    title: str
    field: str = ""
    abstract: str = ""
    keywords: str = ""
    achieved_on: datetime.date | None = None
    #: 申请日 (every patent kind) and 授权公告日 (granted patents only)
    application_date: datetime.date | None = None
    granted_on: datetime.date | None = None
    inventors: Sequence[InventorData] = ()


CASE_FIELDS = (
    "title",
    "mode",
    "counterparty_name",
    "counterparty_credit_code",
    "counterparty_contact",
    "related_party",
    "related_party_statement",
    "pricing_method",
    "price_kind",
    "price_amount",
    "price_terms",
)


def _refuse_validation(exc: ValidationError) -> ActionRefused:
    return ActionRefused(" ".join(str(m) for m in exc.messages), code="invalid")


def check_inventors(inventors: Sequence[InventorData], title: str) -> None:
    if not inventors:
        raise ActionRefused(_("成果“%(title)s”至少需要一位完成人。") % {"title": title}, code="inventors")
    if len(inventors) > MAX_INVENTORS:
        raise ActionRefused(
            _("一项成果最多登记 %(max)d 位完成人。") % {"max": MAX_INVENTORS}, code="inventors"
        )
    total = sum((i.share for i in inventors), Decimal("0"))
    if total != Decimal("100"):
        raise ActionRefused(
            _("成果“%(title)s”的完成人份额合计为 %(total)s%%，应为 100%%。")
            % {"title": title, "total": total},
            code="shares",
        )
    if any(not i.name.strip() for i in inventors):
        raise ActionRefused(_("请填写每位完成人的姓名。"), code="inventors")


def _require_filer(user: Any, institution: Institution) -> None:
    if not permissions.has_role(user, institution.pk, FILING_ROLES):
        raise ActionRefused(_("您不是该单位的申请人或技术转移办公室专员，不能提交案件。"), code="forbidden")


def achievement_create(*, institution: Institution, by: Any, data: AchievementData) -> Achievement:
    """Create an achievement of the institution with its inventors (shares summing to 100). A
    patent's number, application date and grant date must agree with its kind
    (``validators.validate_achievement``)."""
    _require_filer(by, institution)
    title = data.title.strip()
    if not title:
        raise ActionRefused(_("请填写成果名称。"), code="required")
    within_limits(Achievement, {"title": title, "field": data.field, "keywords": data.keywords,
                                "number_as_entered": data.number})
    limit_text(data.abstract or "", Achievement._meta.get_field("abstract").verbose_name, max_length=ABSTRACT_MAX)
    for inventor in data.inventors:
        within_limits(Inventor, {"name": inventor.name})
    try:
        number = validate_achievement(data.kind, data.number, data.application_date, data.granted_on)
    except ValidationError as exc:
        raise _refuse_validation(exc) from exc
    check_inventors(data.inventors, title)
    with transaction.atomic():
        if (
            number
            and Achievement.objects.filter(institution=institution, kind=data.kind, number=number).exists()
        ):
            raise ActionRefused(
                _("本单位已登记过同类型、同号码的成果（%(number)s），请直接选用。")
                % {"number": data.number.strip()},
                code="duplicate",
            )
        achievement = Achievement.objects.create(
            institution=institution,
            kind=data.kind,
            number=number,
            number_as_entered=data.number.strip(),
            title=title,
            field=data.field.strip(),
            abstract=data.abstract.strip(),
            keywords=data.keywords.strip(),
            achieved_on=data.achieved_on,
            application_date=data.application_date,
            granted_on=data.granted_on,
            created_by=by,
            created_at=clock.now(),
        )
        _replace_inventors(achievement, data.inventors)
        return achievement


def _replace_inventors(achievement: Achievement, inventors: Sequence[InventorData]) -> None:
    achievement.inventors.all().delete()
    Inventor.objects.bulk_create(
        Inventor(
            achievement=achievement,
            name=i.name.strip(),
            share=i.share,
            is_main_contributor=i.is_main_contributor,
            user_id=i.user_id,
            position=pos,
        )
        for pos, i in enumerate(inventors)
    )


def refresh_search_text(case_ids: Iterable[int]) -> None:
    """Rewrite what the reviewers' search looks in for these cases (``TransferCase.search_text``):
    called by every service that changes a reference, title, counterparty, achievement or inventor."""
    cases = TransferCase.objects.filter(pk__in=list(case_ids)).prefetch_related("achievements__inventors")
    for case in cases:
        parts = [case.reference, case.title, case.counterparty_name]
        for achievement in case.achievements.all():
            parts.append(achievement.title)
            parts.extend(inventor.name for inventor in achievement.inventors.all())
        TransferCase.objects.filter(pk=case.pk).update(search_text="\n".join(parts))


def achievement_set_inventors(
    *, achievement: Achievement, by: Any, inventors: Sequence[InventorData], abstract: str | None = None
) -> None:
    """Replace the inventors of an achievement (and its abstract, when given) while no case using it is
    past its draft/return."""
    _require_filer(by, achievement.institution)
    check_inventors(inventors, achievement.title)
    if abstract is not None:
        abstract = limit_text(abstract, Achievement._meta.get_field("abstract").verbose_name,
                              max_length=ABSTRACT_MAX)
    with transaction.atomic():
        if achievement.cases.exclude(stage__in=[*EDITABLE_STAGES, Stage.WITHDRAWN]).exists():
            raise ActionRefused(_("该成果已在审批中的案件内，完成人不能再修改。"), code="locked")
        _replace_inventors(achievement, inventors)
        if abstract is not None and abstract != achievement.abstract:
            achievement.abstract = abstract
            achievement.save(update_fields=["abstract"])
        refresh_search_text(achievement.cases.values_list("pk", flat=True))


#: the public facts of a notice a TTO officer may correct during publicity: the deal's terms, not
#: the title, the mode or the private contact (a different mode is a different transfer: withdraw)
CORRECTABLE_FIELDS = tuple(f for f in CASE_FIELDS if f not in {"title", "mode", "counterparty_contact"})


def clean_correction(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate corrected notice facts as a filing would (credit code, related party, price)."""
    unknown = set(fields) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    cleaned = _clean_case_fields(fields)
    if not (cleaned.get("counterparty_name") or "").strip():
        raise ActionRefused(_("请填写拟受让方/合作方名称。"), code="required")
    return cleaned


def within_limits(model: type[Model], values: dict[str, Any]) -> dict[str, Any]:
    """Every text within its field's ``max_length`` and free of NUL bytes, or a translated refusal
    naming the field (PostgreSQL would refuse it with an error page; SQLite would store it)."""
    for name, value in values.items():
        field = model._meta.get_field(name)
        max_length = getattr(field, "max_length", None)
        if isinstance(value, str) and max_length:
            one_line = LINE_BREAKS.sub(" ", value.strip())  # a statement typed in a box may wrap; it prints as one
            values[name] = limit_text(  # one line: a name, a title, a number
                one_line, field.verbose_name, max_length=max_length, single_line=True  # type: ignore[union-attr]
            )
    return values


def _clean_case_fields(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = within_limits(TransferCase, {k: fields.get(k) for k in CASE_FIELDS if k in fields})
    code = (cleaned.get("counterparty_credit_code") or "").strip()
    if code:
        try:
            cleaned["counterparty_credit_code"] = validate_credit_code(code)
        except ValidationError as exc:
            raise _refuse_validation(exc) from exc
    if cleaned.get("related_party") and not (cleaned.get("related_party_statement") or "").strip():
        raise ActionRefused(_("关联交易须填写关联关系说明。"), code="related_party")
    amount = cleaned.get("price_amount")
    if amount is not None and (not isinstance(amount, Decimal) or amount < 0 or amount > MAX_WAN_YUAN):
        raise ActionRefused(_("金额必须是不小于 0、不超过 99,999,999.9999 万元的数。"), code="amount")
    if amount is None and not (cleaned.get("price_terms") or "").strip():
        raise ActionRefused(_("请填写金额，或按合同原文填写价款条款（如提成比例）。"), code="price")
    return cleaned


def _check_achievements(institution: Institution, achievements: Sequence[Achievement]) -> None:
    if not achievements:
        raise ActionRefused(_("请至少选择或登记一项科技成果。"), code="achievements")
    if any(a.institution_id != institution.pk for a in achievements):
        raise ActionRefused(_("只能选择本单位的科技成果。"), code="tenancy")


def case_create(
    *,
    institution: Institution,
    by: Any,
    fields: dict[str, Any],
    achievements: Sequence[Achievement],
    attachments: Sequence[tuple[str, UploadedFile]] = (),
    ip: str | None = None,
) -> TransferCase:
    """File a new case as a draft; ``case_submit`` sends it to preliminary review."""
    _require_filer(by, institution)
    cleaned = _clean_case_fields(fields)
    _check_achievements(institution, achievements)
    for _kind, upload in attachments:
        check_upload(upload)
    with transaction.atomic():
        year = clock.china_today().year
        seq = numbering.next_value(f"case:{institution.code}:{year}")
        case = TransferCase.objects.create(
            institution=institution,
            reference=f"{institution.code}-{year}-{seq:04d}",
            created_by=by,
            created_at=clock.now(),
            stage_entered_at=clock.now(),
            **cleaned,
        )
        case.achievements.set(achievements)
        refresh_search_text([case.pk])
        for kind, upload in attachments:
            attachment_store(case=case, by=by, kind=kind, upload=upload)
        record_creation(case=case, by=by, ip=ip)
        return case


def case_update(
    *,
    case: TransferCase,
    by: Any,
    fields: dict[str, Any],
    achievements: Sequence[Achievement] | None = None,
    attachments: Sequence[tuple[str, UploadedFile]] = (),
) -> TransferCase:
    """Edit a draft or a returned case (its owner only); the stage does not change."""
    cleaned = _clean_case_fields(fields)
    for _kind, upload in attachments:
        check_upload(upload)
    with transaction.atomic():
        locked = TransferCase.objects.select_for_update(of=("self",)).select_related("institution").get(pk=case.pk)
        if not permissions.is_case_owner(by, locked):
            raise ActionRefused(_("只有案件申请人或技术转移办公室专员可以修改案件。"), code="forbidden")
        if locked.stage not in EDITABLE_STAGES:
            raise ActionRefused(
                _("案件当前处于“%(stage)s”环节，不能修改。") % {"stage": locked.get_stage_display()},
                code="wrong_stage",
            )
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.save()
        if achievements is not None:
            _check_achievements(locked.institution, achievements)
            locked.achievements.set(achievements)
        refresh_search_text([locked.pk])
        for kind, upload in attachments:
            attachment_store(case=locked, by=by, kind=kind, upload=upload)
        return locked


def case_file(
    *,
    institution: Institution,
    by: Any,
    fields: dict[str, Any],
    existing: Sequence[Achievement],
    new: Sequence[AchievementData],
    attachments: Sequence[tuple[str, UploadedFile]] = (),
    ip: str | None = None,
) -> TransferCase:
    """The filing form in one transaction: new achievements with inventors, then the draft case."""
    with transaction.atomic():
        created = [achievement_create(institution=institution, by=by, data=d) for d in new]
        return case_create(
            institution=institution,
            by=by,
            fields=fields,
            achievements=[*existing, *created],
            attachments=attachments,
            ip=ip,
        )


def case_edit(
    *,
    case: TransferCase,
    by: Any,
    fields: dict[str, Any],
    existing: Sequence[Achievement],
    new: Sequence[AchievementData],
    attachments: Sequence[tuple[str, UploadedFile]] = (),
) -> TransferCase:
    """Edit a draft or returned case, possibly adding new achievements, in one transaction."""
    with transaction.atomic():
        created = [achievement_create(institution=case.institution, by=by, data=d) for d in new]
        return case_update(
            case=case, by=by, fields=fields, achievements=[*existing, *created], attachments=attachments
        )
