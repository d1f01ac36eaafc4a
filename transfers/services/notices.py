"""Public notices: numbered at publication, frozen content, PDF with its SHA-256, and the status the
public sees as publicity runs, is suspended by an objection, and ends.

Issuing is three steps, so no lock is ever held while a PDF renders:

1. ``notice_publish`` / ``notice_publish_correction`` run inside the approving (or correcting)
   transaction: the number is allocated under its row lock and the frozen content stored as a
   ``pending`` version, which no public page shows;
2. after that transaction commits, ``notice_render`` renders the PDF with no transaction open;
3. a short transaction then stores the file and its hash and makes the version public (superseding
   the version it corrects).

A rendering that fails leaves the version pending: the case page offers the TTO officer a retry
(``notice_retry``) and the beat job ``publish_pending_notices`` retries too. The public never sees a
notice without its PDF and hash.

The law this serves: 《促进科技成果转化法》第十八条 (通过协议定价的，应当在本单位公示科技成果名称和拟交易价格)
and 国发〔2016〕16号 (公示时间不少于15日；单位应当明确并公开异议处理程序和办法).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .. import clock, permissions
from ..addresses import printable_base_url_problem, public_base_url
from ..models import NOTICE_KIND_CODES, Notice, NoticeKind, NoticeStatus, Role, Stage, TransferCase
from ..pdf import qr_data_uri, render_pdf, sha256_hex
from ..publicity_clock import ClockRules, publicity_deadline
from ..validators import format_wan_yuan, wan_yuan_to_capitals
from . import numbering
from .errors import ActionRefused
from .locking import lock_case

logger = logging.getLogger(__name__)

#: the public status a published version takes from the stage its case is in
STATUS_OF_STAGE = {
    Stage.PUBLICITY: NoticeStatus.IN_PUBLICITY,
    Stage.OBJECTION_REVIEW: NoticeStatus.SUSPENDED,
    Stage.IMPLEMENTATION: NoticeStatus.ENDED,
    Stage.COMPLETED: NoticeStatus.ENDED,
    Stage.TERMINATED: NoticeStatus.WITHDRAWN,
    Stage.DECISION: NoticeStatus.WITHDRAWN,
}
LIVE = (NoticeStatus.IN_PUBLICITY, NoticeStatus.SUSPENDED)


def _amount(value: Any) -> dict[str, str]:
    """An amount in 万元 as the notice prints it: figures, capitals and the exact value (so a page
    in English can show it in yuan)."""
    if value is None:
        return {"figures": "", "capitals": "", "value": ""}
    return {"figures": format_wan_yuan(value), "capitals": wan_yuan_to_capitals(value), "value": str(value)}


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def issuer_content(case: TransferCase) -> dict[str, Any]:
    """What every kind of notice says of its case and institution, frozen in Chinese: the project, who
    publishes it and where objections go (``public/_notice_end.html`` prints these), the transfer mode."""
    institution = case.institution
    return {
        "project": case.title,
        "institution": institution.name,
        "office": institution.office_name,
        "objection_office": institution.objection_receiver,
        "institution_address": institution.address,
        "institution_email": institution.contact_email,
        "institution_phone": institution.contact_phone,
        "mode": str(case.get_mode_display()),
        "mode_code": case.mode,
    }


def notice_content(case: TransferCase) -> dict[str, Any]:
    """What the notice shows, frozen at issue, in Chinese (the official language). Choice values keep
    their code beside the words (``mode_code``…) so a page in another language can name them."""
    with translation.override("zh-hans"):
        valuation = case.valuations.filter(revision=case.revision).order_by("-pk").first()
        price, value = _amount(case.price_amount), _amount(valuation.amount if valuation else None)
        abstracts = case.rule_pack is not None and case.rule_pack.publicity_includes_abstract
        return {
            **issuer_content(case),
            "achievements": [
                {
                    "title": a.title,
                    "kind": str(a.get_kind_display()),
                    "kind_code": a.kind,
                    "number": a.number_display,
                    "application_date": _date(a.application_date),
                    "granted_on": _date(a.granted_on),
                    "inventors": [i.name for i in a.inventors.all()],
                    # 内容摘要, where the pack's regulation lists it among what a notice shows
                    **({"abstract": a.abstract.strip()} if abstracts else {}),
                }
                for a in case.achievements.order_by("pk")
            ],
            "counterparty": case.counterparty_name,
            "counterparty_credit_code": case.counterparty_credit_code,
            "related_party": case.related_party,
            "related_party_statement": case.related_party_statement,
            "price_kind": str(case.get_price_kind_display()),
            "price_kind_code": case.price_kind,
            "price_amount": price["figures"],
            "price_capitals": price["capitals"],
            "price_value": price["value"],
            "price_terms": case.price_terms,
            "pricing_method": str(case.get_pricing_method_display()),
            "pricing_method_code": case.pricing_method,
            "valuation_amount": value["figures"],
            "valuation_capitals": value["capitals"],
            "valuation_value": value["value"],
            "valuation_method": str(valuation.get_method_display()) if valuation else "",
            "valuation_method_code": valuation.method if valuation else "",
            "valuation_agency": valuation.agency_name if valuation else "",
        }


def _title(case: TransferCase) -> str:
    """The notice's title, frozen in Chinese like its content: the achievement's name, or for a
    package the project's own name and the count."""
    achievements = list(case.achievements.order_by("pk").values_list("title", flat=True))
    with translation.override("zh-hans"):
        if len(achievements) > 1:
            return _("关于“%(name)s”（含%(count)d项科技成果）转化的公示") % {
                "name": case.title,
                "count": len(achievements),
            }
        return _("关于“%(name)s”科技成果转化的公示") % {"name": achievements[0] if achievements else case.title}


def public_url_for(notice: Notice, base_url: str) -> str:
    return base_url + notice.get_current_url()


def render_notice_pdf(notice: Notice, *, base_url: str) -> bytes:
    """The PDF is the official document: always in Chinese, whatever the officer's language; every
    address it prints comes from ``base_url`` (the public address)."""
    public_url = public_url_for(notice, base_url)
    with translation.override("zh-hans"):
        html = render_to_string(
            "public/notice_pdf.html",
            {
                "notice": notice,
                "c": notice.content,
                "qr": qr_data_uri(public_url),
                "public_url": public_url,
                "verify_url": base_url + reverse("public:verify"),
            },
        )
    return render_pdf(html)


def search_text(title: str, content: dict[str, Any]) -> str:
    """The published words the public may search: title, project, institution, achievements and their
    numbers (as shown and normalised), mode, counterparty."""
    parts = [title, content.get("project", ""), content.get("institution", ""), content.get("mode", ""),
             content.get("counterparty", "")]
    for achievement in content.get("achievements", []):
        number = achievement.get("number", "")
        parts += [achievement.get("title", ""), number, number.replace(" ", "").upper()]
    return "\n".join(p for p in parts if p)


def require_public_address() -> None:
    problem = printable_base_url_problem()
    if problem:
        raise ActionRefused(
            _("本站的公示网址（PUBLIC_BASE_URL）未设置或为本机地址，公示文件无法印制可访问的网址和二维码，"
              "暂不能发布公示。请联系系统管理员。"),
            code="public_address",
        )


def _issue(case: TransferCase, *, kind: str, number: str, year: int, sequence: int, version: int,
           fallback_years: Any = (), correction_reason: str = "") -> Notice:
    """Freeze the case's public facts into a pending notice version; it is rendered and made public
    once the caller's transaction has committed."""
    assert case.publicity_started_at is not None
    assert case.publicity_ends_at is not None
    require_public_address()
    if pending_notice(case) is not None:
        raise ActionRefused(_("上一版公示文件尚在生成中，请稍后再试。"), code="notice_pending")
    title, content = _title(case), notice_content(case)
    return store_pending(case=case, kind=kind, number=number, year=year, sequence=sequence, version=version,
                         title=title, content=content, search=search_text(title, content),
                         starts_at=case.publicity_started_at, ends_at=case.publicity_ends_at,
                         fallback_years=fallback_years, correction_reason=correction_reason)


def store_pending(*, case: TransferCase, title: str, content: dict[str, Any], search: str, fallback_years: Any,
                  **fields: Any) -> Notice:
    """Store a numbered, frozen version as pending (no public page shows it) and render it once the
    caller's transaction has committed. ``fields``: kind, number, year, sequence, version, starts_at,
    ends_at, correction_reason and, for a reward notice, its distribution."""
    notice = Notice.objects.create(
        institution=case.institution, case=case, status=NoticeStatus.PENDING, title=title, content=content,
        search_text=search, issued_at=clock.now(), calendar_fallback_years=list(fallback_years),
        updated_at=clock.now(), **fields,
    )
    queue_render(notice)
    return notice


def queue_render(notice: Notice) -> None:
    """Render the pending version once the transaction that issued it has committed."""
    pk = notice.pk
    transaction.on_commit(lambda: notice_render(notice_pk=pk), robust=True)


def notice_publish(*, case: TransferCase, fallback_years: Any = ()) -> Notice:
    """Number and freeze the transfer notice of a case entering publicity, inside the approving
    transaction; the PDF is rendered after it commits (``notice_render``)."""
    assert case.publicity_started_at is not None
    with transaction.atomic():
        year = clock.in_china(case.publicity_started_at).year
        kind = NoticeKind.TRANSFER
        sequence = numbering.next_value(f"notice:{case.institution.code}:{kind}:{year}")
        number = f"{case.institution.code}-{NOTICE_KIND_CODES[kind]}-{year}-{sequence:03d}"
        return _issue(case, kind=kind, number=number, year=year, sequence=sequence, version=1,
                      fallback_years=fallback_years)


def notice_publish_correction(*, case: TransferCase, reason: str, fallback_years: Any = None) -> Notice:
    """The corrected version of the case's current notice: same number, next version, frozen anew
    from the (corrected) case. The version it corrects stays current until the new one is
    published, then stays public at its URL, superseded. ``fallback_years`` of a new end (None: the
    end is the corrected version's, and so is its note)."""
    with transaction.atomic():
        if pending_notice(case) is not None:
            raise ActionRefused(_("上一版公示文件尚在生成中，请稍后再试。"), code="notice_pending")
        old = current_notice(case, lock=True)
        if old is None:
            raise ActionRefused(_("本案没有可以更正的公示。"), code="no_notice")
        if fallback_years is None:
            fallback_years = old.calendar_fallback_years
        return _issue(case, kind=old.kind, number=old.number, year=old.year, sequence=old.sequence,
                      version=old.version + 1, fallback_years=fallback_years, correction_reason=reason)


def current_notice(case: TransferCase, *, lock: bool = False) -> Notice | None:
    """The latest published version of the case's transfer notice (a re-approval after a withdrawal
    has a new number); a pending version is not current until it is published."""
    notices = Notice.objects.select_for_update() if lock else Notice.objects
    return (
        notices.filter(case=case, kind=NoticeKind.TRANSFER)
        .exclude(status__in=[NoticeStatus.SUPERSEDED, NoticeStatus.PENDING])
        .order_by("-pk")
        .first()
    )


def pending_notice(case: TransferCase) -> Notice | None:
    """The case's transfer notice version still rendering (a reward notice's is its distribution's)."""
    return (Notice.objects.filter(case=case, kind=NoticeKind.TRANSFER, status=NoticeStatus.PENDING)
            .order_by("-pk").first())


def pending_notice_of(distribution: Any) -> Notice | None:
    """The distribution's reward notice version still rendering."""
    return Notice.objects.filter(distribution=distribution, status=NoticeStatus.PENDING).order_by("-pk").first()


def _sync_dates(notice: Notice) -> None:
    """Before rendering, the version takes the period the case has now: a dismissed objection or a
    correction may have moved it since the version was frozen. A version rendered on a later day than
    it was issued (its rendering failed and was retried) gives the public the whole period from the
    day it really goes public."""
    with transaction.atomic():
        case = lock_case(notice.case_id)
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        if locked.status != NoticeStatus.PENDING or case.stage != Stage.PUBLICITY:
            return
        fallback_years = locked.calendar_fallback_years
        if clock.in_china(locked.issued_at).date() != clock.china_today():
            deadline = publicity_deadline(clock.now(), ClockRules.from_rule_pack(case.applicable_rule_pack))
            case.publicity_started_at, case.publicity_ends_at = clock.now(), deadline.ends_at
            case.save(update_fields=["publicity_started_at", "publicity_ends_at"])
            fallback_years = list(deadline.fallback_years)
        assert case.publicity_started_at is not None
        assert case.publicity_ends_at is not None
        if (locked.starts_at, locked.ends_at) != (case.publicity_started_at, case.publicity_ends_at):
            locked.starts_at, locked.ends_at = case.publicity_started_at, case.publicity_ends_at
            locked.calendar_fallback_years = fallback_years
            locked.save(update_fields=["starts_at", "ends_at", "calendar_fallback_years"])
    notice.refresh_from_db()


def notice_render(*, notice_pk: int) -> Notice | None:
    """Render a pending version's PDF with no transaction open, then publish it in a short one.
    Idempotent: a version already published (by a concurrent retry) is left as it is."""
    notice = Notice.objects.select_related("case", "institution").filter(pk=notice_pk).first()
    if notice is None or notice.status != NoticeStatus.PENDING:
        return notice
    if printable_base_url_problem():
        logger.error("notice %s not rendered: PUBLIC_BASE_URL is unset or local", notice.number)
        return notice
    if notice.is_reward:
        from .reward_notices import sync_reward_dates

        sync_reward_dates(notice)
    else:
        _sync_dates(notice)
    base_url = public_base_url()
    data = render_notice_pdf(notice, base_url=base_url)
    with transaction.atomic():
        # the case first, then the notices: the order every other service locks them in
        case = lock_case(notice.case_id)
        locked = Notice.objects.select_for_update().get(pk=notice_pk)
        if locked.status != NoticeStatus.PENDING:
            return locked
        if (locked.starts_at, locked.ends_at) != (notice.starts_at, notice.ends_at) or (
            not locked.is_reward and case.stage == Stage.PUBLICITY
            and (case.publicity_started_at, case.publicity_ends_at) != (locked.starts_at, locked.ends_at)
        ):
            return locked  # its period moved while it rendered: the next retry renders the new one
        locked.pdf.save(f"{locked.number}-v{locked.version}.pdf", ContentFile(data), save=False)
        locked.pdf_sha256 = sha256_hex(data)
        locked.printed_base_url = base_url
        # a case that left publicity while its notice rendered (withdrawn, terminated): the notice is
        # published withdrawn, with the reason recorded when it left (``notice_follow_case``)
        if locked.is_reward:  # its own period: the case's stage says nothing of it
            from .reward_notices import reward_notice_published

            locked.status = reward_notice_published(locked)
        else:
            locked.status = STATUS_OF_STAGE.get(Stage(case.stage), NoticeStatus.WITHDRAWN)
        locked.updated_at = clock.now()
        locked.save()
        # the version it corrects is superseded; a withdrawn or ended one keeps what it says
        Notice.objects.filter(number=locked.number, version__lt=locked.version, status__in=LIVE).update(
            status=NoticeStatus.SUPERSEDED, updated_at=clock.now()
        )
        return locked


def _any_pending(case: TransferCase) -> Notice | None:
    """The case's first version still rendering, of any kind (a transfer notice, or a reward notice)."""
    return Notice.objects.filter(case=case, status=NoticeStatus.PENDING).order_by("pk").first()


def may_retry_notice(case: TransferCase, user: Any) -> bool:
    """A TTO officer of the case's institution may render again a notice still pending."""
    return permissions.has_role(user, case.institution_id, [Role.TTO_OFFICER]) and _any_pending(case) is not None


def notice_retry(*, case: TransferCase, by: Any) -> Notice | None:
    """The TTO officer retries a notice whose rendering failed (the case page offers it)."""
    if not permissions.has_role(by, case.institution_id, [Role.TTO_OFFICER]):
        raise ActionRefused(_("只有技术转移办公室专员可以重新生成公示文件。"), code="forbidden")
    notice = _any_pending(case)
    if notice is None:
        raise ActionRefused(_("本案没有待生成的公示文件。"), code="no_pending_notice")
    require_public_address()
    try:
        published = notice_render(notice_pk=notice.pk)
    except Exception as exc:  # the renderer's failure is reported, the version stays pending
        logger.exception("notice %s could not be rendered", notice.number)
        raise ActionRefused(_("公示文件仍未能生成，请稍后再试或联系系统管理员。"), code="render_failed") from exc
    if published is None or published.status == NoticeStatus.PENDING:
        raise ActionRefused(_("公示文件仍未能生成，请稍后再试或联系系统管理员。"), code="render_failed")
    return published


def publish_pending_notices() -> list[str]:
    """Retry every pending version (the beat job); returns the numbers published now."""
    published = []
    for pk in Notice.objects.filter(status=NoticeStatus.PENDING).order_by("pk").values_list("pk", flat=True):
        try:
            notice = notice_render(notice_pk=pk)
        except Exception:  # one broken notice never stops the others
            logger.exception("notice %s could not be rendered; will retry", pk)
            continue
        if notice is not None and notice.status != NoticeStatus.PENDING:
            published.append(f"{notice.number} v{notice.version}")
    return published


def notice_follow_case(*, case: TransferCase, reason: str = "") -> None:
    """Keep the public status of the case's published notice in step with its stage; a notice
    withdrawn (back to decision, or the case terminated) shows the reason given. An ended or
    withdrawn notice never comes back; a new approval publishes a new one."""
    status = STATUS_OF_STAGE.get(Stage(case.stage))
    if status is None:
        return
    pending = Notice.objects.filter(case=case, kind=NoticeKind.TRANSFER, status=NoticeStatus.PENDING)
    if status == NoticeStatus.IN_PUBLICITY and pending.exists():
        # publicity resumes with a version still rendering: the live one, whose printed end is no
        # longer true, stays closed to objections until the new one is published
        status = NoticeStatus.SUSPENDED
    if status == NoticeStatus.WITHDRAWN and pending.exists():  # it is published withdrawn, with why
        pending.filter(withdrawal_reason="").update(withdrawal_reason=reason or case.closing_reason)
    for notice in Notice.objects.filter(case=case, kind=NoticeKind.TRANSFER, status__in=LIVE):
        notice.status = status  # the dates stay as printed: a moved end is a new version (case_dismiss_objection)
        if status == NoticeStatus.WITHDRAWN and not notice.withdrawal_reason:
            notice.withdrawal_reason = reason or case.closing_reason
        notice.updated_at = clock.now()
        notice.save(update_fields=["status", "withdrawal_reason", "updated_at"])
