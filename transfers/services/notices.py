"""Public notices: numbered at publication, frozen content, PDF with its SHA-256, and the status the
public sees as publicity runs, is suspended by an objection, and ends.

The law this serves: 《促进科技成果转化法》第十八条 (通过协议定价的，应当在本单位公示科技成果名称和拟交易价格)
and 国发〔2016〕16号 (公示时间不少于15日；单位应当明确并公开异议处理程序和办法).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import clock
from ..models import NOTICE_KIND_CODES, Notice, NoticeKind, NoticeStatus, TransferCase
from ..pdf import qr_data_uri, render_pdf, sha256_hex
from ..validators import format_wan_yuan, wan_yuan_to_capitals
from . import numbering


def notice_content(case: TransferCase) -> dict[str, Any]:
    """What the notice shows, frozen at issue, in Chinese (the official language). Choice values keep
    their code beside the words (``mode_code``…) so a page in another language can name them."""
    with translation.override("zh-hans"):
        valuation = case.valuations.filter(revision=case.revision).order_by("-pk").first()
        institution = case.institution
        return {
            "institution": institution.name,
            "institution_address": institution.address,
            "institution_email": institution.contact_email,
            "institution_phone": institution.contact_phone,
            "achievements": [
                {
                    "title": a.title,
                    "kind": str(a.get_kind_display()),
                    "kind_code": a.kind,
                    "number": a.number_display,
                    "inventors": [i.name for i in a.inventors.all()],
                }
                for a in case.achievements.order_by("pk")
            ],
            "mode": str(case.get_mode_display()),
            "mode_code": case.mode,
            "counterparty": case.counterparty_name,
            "counterparty_credit_code": case.counterparty_credit_code,
            "related_party": case.related_party,
            "related_party_statement": case.related_party_statement,
            "price_kind": str(case.get_price_kind_display()),
            "price_kind_code": case.price_kind,
            "price_amount": format_wan_yuan(case.price_amount) if case.price_amount is not None else "",
            "price_capitals": wan_yuan_to_capitals(case.price_amount) if case.price_amount is not None else "",
            "price_terms": case.price_terms,
            "pricing_method": str(case.get_pricing_method_display()),
            "pricing_method_code": case.pricing_method,
            "valuation_amount": format_wan_yuan(valuation.amount) if valuation and valuation.amount is not None else "",
            "valuation_method": str(valuation.get_method_display()) if valuation else "",
            "valuation_method_code": valuation.method if valuation else "",
        }


def _title(case: TransferCase) -> str:
    """The notice's title, frozen in Chinese like its content."""
    achievements = list(case.achievements.order_by("pk").values_list("title", flat=True))
    name = achievements[0] if achievements else case.title
    with translation.override("zh-hans"):
        if len(achievements) > 1:
            return _("关于“%(name)s”等%(count)d项科技成果转化的公示") % {"name": name, "count": len(achievements)}
        return _("关于“%(name)s”科技成果转化的公示") % {"name": name}


def render_notice_pdf(notice: Notice, *, public_url: str) -> bytes:
    """The PDF is the official document: always in Chinese, whatever the officer's language."""
    with translation.override("zh-hans"):
        html = render_to_string(
            "public/notice_pdf.html",
            {
                "notice": notice,
                "c": notice.content,
                "qr": qr_data_uri(public_url),
                "public_url": public_url,
                "verify_url": settings.PUBLIC_BASE_URL.rstrip("/") + reverse("public:verify"),
            },
        )
    return render_pdf(html)


def _attach_pdf(notice: Notice, public_url: str) -> None:
    data = render_notice_pdf(notice, public_url=public_url)
    notice.pdf.save(f"{notice.number}-v{notice.version}.pdf", ContentFile(data), save=False)
    notice.pdf_sha256 = sha256_hex(data)
    notice.save(update_fields=["pdf", "pdf_sha256"])


def public_url_for(notice: Notice) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + notice.get_current_url()


def search_text(title: str, content: dict[str, Any]) -> str:
    """The published words the public may search: title, institution, achievements and their
    numbers (as shown and normalised), mode, counterparty."""
    parts = [title, content.get("institution", ""), content.get("mode", ""), content.get("counterparty", "")]
    for achievement in content.get("achievements", []):
        number = achievement.get("number", "")
        parts += [achievement.get("title", ""), number, number.replace(" ", "").upper()]
    return "\n".join(p for p in parts if p)


def _issue(case: TransferCase, *, kind: str, number: str, year: int, sequence: int, version: int,
           note: str, correction_reason: str = "") -> Notice:
    """Freeze the case's public facts into a notice version and attach its PDF and hash."""
    assert case.publicity_started_at is not None
    assert case.publicity_ends_at is not None
    title, content = _title(case), notice_content(case)
    notice = Notice.objects.create(
        institution=case.institution,
        case=case,
        kind=kind,
        number=number,
        year=year,
        sequence=sequence,
        version=version,
        status=NoticeStatus.IN_PUBLICITY,
        title=title,
        content=content,
        search_text=search_text(title, content),
        issued_at=clock.now(),
        starts_at=case.publicity_started_at,
        ends_at=case.publicity_ends_at,
        clock_note=note,
        correction_reason=correction_reason,
        updated_at=clock.now(),
    )
    _attach_pdf(notice, public_url_for(notice))
    return notice


def notice_publish(*, case: TransferCase, note: str = "") -> Notice:
    """Number, freeze and render the transfer notice of a case entering publicity (called inside
    the approving transaction, so a failure leaves neither the stage change nor the notice)."""
    assert case.publicity_started_at is not None
    with transaction.atomic():
        year = timezone.localtime(case.publicity_started_at).year
        kind = NoticeKind.TRANSFER
        sequence = numbering.next_value(f"notice:{case.institution.code}:{kind}:{year}")
        number = f"{case.institution.code}-{NOTICE_KIND_CODES[kind]}-{year}-{sequence:03d}"
        return _issue(case, kind=kind, number=number, year=year, sequence=sequence, version=1, note=note)


def notice_publish_correction(*, case: TransferCase, reason: str, note: str = "") -> Notice:
    """The corrected version of the case's current notice: same number, next version, frozen
    anew from the (corrected) case; the old version is superseded but stays public at its URL."""
    with transaction.atomic():
        old = current_notice(case, lock=True)
        if old is None:
            raise ValueError(f"{case.reference} has no notice to correct")
        old.status = NoticeStatus.SUPERSEDED
        old.updated_at = clock.now()
        old.save(update_fields=["status", "updated_at"])
        return _issue(case, kind=old.kind, number=old.number, year=old.year, sequence=old.sequence,
                      version=old.version + 1, note=note, correction_reason=reason)


def current_notice(case: TransferCase, *, lock: bool = False) -> Notice | None:
    notices = Notice.objects.select_for_update() if lock else Notice.objects
    return (
        notices.filter(case=case, kind=NoticeKind.TRANSFER)
        .exclude(status=NoticeStatus.SUPERSEDED)
        .order_by("-pk")  # the latest published: a re-approval after a withdrawal has a new number
        .first()
    )


def notice_follow_case(*, case: TransferCase, reason: str = "") -> None:
    """Keep the public status of the case's current notice in step with its stage; a notice
    withdrawn (back to decision, or the case terminated) shows the reason given."""
    notice = current_notice(case)
    if notice is None or notice.status not in (NoticeStatus.IN_PUBLICITY, NoticeStatus.SUSPENDED):
        return  # an ended or withdrawn notice never comes back; a new approval publishes a new one
    status = {
        "publicity": NoticeStatus.IN_PUBLICITY,
        "objection_review": NoticeStatus.SUSPENDED,
        "implementation": NoticeStatus.ENDED,
        "completed": NoticeStatus.ENDED,
        "terminated": NoticeStatus.WITHDRAWN,
        "decision": NoticeStatus.WITHDRAWN,
    }.get(case.stage)
    if status is None:
        return
    notice.status = status  # the dates stay as printed: a moved end is a new version (see case_dismiss_objection)
    if status == NoticeStatus.WITHDRAWN and not notice.withdrawal_reason:
        notice.withdrawal_reason = reason or case.closing_reason
    notice.updated_at = clock.now()
    notice.save(update_fields=["status", "withdrawal_reason", "updated_at"])
