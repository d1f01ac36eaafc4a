"""Public notices (公示) and the objections the public raises."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .. import clock
from .cases import TransferCase
from .choices import NoticeKind, NoticeStatus
from .people import Institution

# --------------------------------------------------------------------------------------------
# Public notices (公示)


def notice_pdf_path(instance: Notice, filename: str) -> str:
    return f"notices/{instance.number}/v{instance.version}-{uuid.uuid4().hex[:8]}.pdf"


class Notice(models.Model):
    """A numbered public notice. Each correction is a new version under the same number; every
    version keeps its own frozen content, PDF and hash."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="notices")
    case = models.ForeignKey(TransferCase, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("公示类型"), max_length=20, choices=NoticeKind.choices, default=NoticeKind.TRANSFER)
    #: a reward notice publishes one distribution (its versions share it); a transfer notice has none
    distribution = models.ForeignKey("transfers.Distribution", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="notices")
    number = models.CharField(_("公示编号"), max_length=40, db_index=True)
    year = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField()
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(_("状态"), max_length=20, choices=NoticeStatus.choices, db_index=True)
    title = models.CharField(_("标题"), max_length=400)
    content = models.JSONField(_("公示内容"))
    issued_at = models.DateTimeField(_("发布时间"), default=clock.now)
    starts_at = models.DateTimeField(_("公示开始"))
    ends_at = models.DateTimeField(_("公示截止"))
    #: years whose holiday schedule was not yet published when the end was computed (the stated
    #: fallback of ``publicity_clock`` was used): the page says so, in the reader's language
    calendar_fallback_years = models.JSONField(_("按推定日历计算的年份"), default=list, blank=True)
    #: the address printed in the PDF and its QR code (``PUBLIC_BASE_URL`` at rendering)
    printed_base_url = models.CharField(_("印制的公示网址"), max_length=200, blank=True)
    #: a reward notice suspended by an objection: when its clock stopped (a transfer notice's is the case's)
    paused_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.CharField(_("更正原因"), max_length=200, blank=True)
    withdrawal_reason = models.CharField(_("撤销原因"), max_length=500, blank=True)
    pdf = models.FileField(upload_to=notice_pdf_path, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    #: what the public search looks in: the published words only (never the case's later edits)
    search_text = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-issued_at", "-pk"]
        indexes = [
            # the public list and the feed, newest first: a page stops after its rows
            models.Index(fields=["issued_at", "id"], name="notice_issued_idx"),
            # the public list's validator: its latest write
            models.Index(fields=["updated_at"], name="notice_updated_idx"),
            # what the public filters on, and what makes a notice public (``selectors.notice_public_list``):
            # the list's and the validator's counts read this index only, never the rows and their content
            models.Index(fields=["status", "kind", "ends_at", "pdf_sha256"], name="notice_public_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="notice_number_version_unique"),
            models.UniqueConstraint(
                fields=["institution", "kind", "year", "sequence", "version"], name="notice_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("public:notice_version", kwargs={"number": self.number, "version": self.version})

    def get_current_url(self) -> str:
        return reverse("public:notice_detail", kwargs={"number": self.number})

    def get_pdf_url(self) -> str:
        return reverse("public:notice_version_pdf", kwargs={"number": self.number, "version": self.version})

    def accepts_objections(self) -> bool:
        """While publicity runs and the period is not over (国发〔2016〕16号: objections within the period)."""
        return self.status == NoticeStatus.IN_PUBLICITY and clock.now() < self.ends_at

    @property
    def calendar_note(self) -> str:
        """The staff's note on a deadline computed with the holiday-calendar fallback."""
        from ..publicity_clock import fallback_note

        return fallback_note(self.calendar_fallback_years)

    @property
    def period_over(self) -> bool:
        """The period has ended but the closing job has not yet moved the case on: from ``ends_at``
        the public reads 公示期满（待转入实施）, never 公示中 beside 公示期已届满."""
        return self.status == NoticeStatus.IN_PUBLICITY and clock.now() >= self.ends_at

    @cached_property
    def rule_pack(self) -> Any:
        """The rules it follows: a reward notice's are the version its distribution applied, a transfer
        notice's the version its case pinned. Pinned, so read once (``selectors.notice_public_versions``
        gives it without reading the case)."""
        if self.is_reward and self.distribution is not None:
            return self.distribution.rule_pack
        return self.case.applicable_rule_pack

    def clock_rules(self) -> Any:
        """How its period counts (a reward notice: the institution's own period, no 15-day floor)."""
        from ..publicity_clock import ClockRules

        if self.is_reward:
            return ClockRules.for_rewards(self.rule_pack)
        return ClockRules.from_rule_pack(self.rule_pack)

    @property
    def is_reward(self) -> bool:
        return self.kind == NoticeKind.REWARD

    @property
    def body_template(self) -> str:
        """The notice's text, shared by its page and its PDF."""
        return "public/_reward_body.html" if self.is_reward else "public/_notice_body.html"

    @property
    def public_status(self) -> str:
        """The status the public reads, as the clock makes it now (a code of ``PUBLIC_STATUS_LABELS``):
        a reward notice whose period is over has ended (no case waits to move on)."""
        if self.period_over:
            return NoticeStatus.ENDED if self.is_reward else PERIOD_OVER
        return self.status

    @property
    def public_status_label(self) -> str:
        return str(PUBLIC_STATUS_LABELS[self.public_status])


#: the status the public reads from ``ends_at`` on until the closing job moves the case: computed
#: from the clock, never stored
PERIOD_OVER = "period_over"
#: what the public reads for each status
PUBLIC_STATUS_LABELS: dict[str, Any] = {
    **dict(NoticeStatus.choices),
    PERIOD_OVER: _("公示期满（待转入实施）"),
}
#: the statuses the public may filter by, in the order a notice lives them (``pending`` is never public)
PUBLIC_STATUSES = (
    NoticeStatus.IN_PUBLICITY, PERIOD_OVER, NoticeStatus.SUSPENDED, NoticeStatus.ENDED,
    NoticeStatus.SUPERSEDED, NoticeStatus.WITHDRAWN,
)


class Objection(models.Model):
    """A real-name written objection filed by a member of the public during publicity.
    Personal data is never shown publicly; only the reply is published where the pack says so."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待处理")
        DISMISSED = "dismissed", _("异议不成立")
        UPHELD = "upheld", _("异议成立")

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    confirmation = models.CharField(_("受理编号"), max_length=40, unique=True)
    name = models.CharField(_("姓名"), max_length=100)
    organisation = models.CharField(_("工作单位"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    relation = models.CharField(_("与公示事项的关系"), max_length=200)
    reasons = models.CharField(_("异议理由"), max_length=2000)
    evidence = models.FileField(upload_to="objections/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    filed_at = models.DateTimeField(default=clock.now)
    outcome = models.CharField(_("处理结果"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    reply = models.CharField(_("答复"), max_length=2000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["filed_at"]

    def __str__(self) -> str:
        return self.confirmation
