"""Objections of the public during publicity: filed with a real name, they suspend publicity; the
TTO officer's reply resolves them (国发〔2016〕16号：单位应当明确并公开异议处理程序和办法)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import clock, events
from ..filetypes import EVIDENCE_KINDS
from ..limits import OBJECTION_REASONS_MAX
from ..models import Notice, Objection
from . import numbering
from .attachments import check_upload
from .cases import case_raise_objection, limit_text, require_text
from .errors import ActionRefused
from .locking import lock_case
from .reward_notices import reward_objection_received


def objection_file(
    *,
    notice: Notice,
    name: str,
    organisation: str,
    phone: str,
    email: str,
    relation: str,
    reasons: str,
    evidence: UploadedFile | None = None,
    ip: str | None = None,
) -> Objection:
    """File an objection against a notice in publicity: a transfer notice's case goes to objection
    review; a reward notice is suspended on its own."""
    if evidence is not None:
        check_upload(evidence, allowed=EVIDENCE_KINDS)
    name = require_text(name, gettext_lazy("姓名"), max_length=100)
    relation = require_text(relation, gettext_lazy("与公示事项的关系"), max_length=200)
    reasons = require_text(reasons, gettext_lazy("异议理由"), max_length=OBJECTION_REASONS_MAX)
    organisation = limit_text((organisation or "").strip(), gettext_lazy("工作单位"), max_length=200)
    phone = limit_text((phone or "").strip(), gettext_lazy("电话"), max_length=40)
    email = limit_text((email or "").strip(), gettext_lazy("电子邮箱"), max_length=254)
    with transaction.atomic():
        # the case first, then the notice: the order every other service locks them in (no deadlock)
        lock_case(notice.case)
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if not notice.accepts_objections():
            raise ActionRefused(_("该公示不在公示期内，不能提出异议。"), code="closed")
        sequence = numbering.next_value(f"objection:{notice.number}")
        objection = Objection(
            notice=notice,
            confirmation=f"{notice.number}-YY{sequence:02d}",
            name=name.strip(),
            organisation=organisation.strip(),
            phone=phone.strip(),
            email=email.strip(),
            relation=relation.strip(),
            reasons=reasons.strip(),
            ip=ip,
            filed_at=clock.now(),
        )
        objection.save()
        if notice.is_reward:  # the reward notice stops; the case stays where it is
            reward_objection_received(notice, confirmation=objection.confirmation)
        else:
            case_raise_objection(
                case=notice.case, by=None, note="objection_received", note_params={"number": objection.confirmation}
            )
        events.emit(events.ObjectionFiled(objection=objection))
        if evidence is not None:
            # written last: nothing that can still fail in this transaction leaves a file behind
            objection.evidence_name = (evidence.name or "evidence")[:255]
            objection.evidence.save(f"{objection.confirmation}", evidence, save=False)
            objection.save(update_fields=["evidence", "evidence_name"])
        return objection
