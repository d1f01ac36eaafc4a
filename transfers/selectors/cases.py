"""Who sees which case.

- superusers: every case;
- TTO officers, assessors, decision secretaries and institution admins: every submitted case of
  their institution, and their own drafts;
- experts: the cases of their institution that reached demonstration;
- applicants: the cases they filed and those naming them as inventor.
Nobody sees another institution's cases; a case someone may not see is a 404, never a 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from .. import permissions
from ..models import (
    Achievement,
    Attachment,
    AuditEvent,
    ExpertOpinion,
    ExpertPanel,
    Institution,
    Objection,
    Role,
    Stage,
    TransferCase,
)
from .rules import rule_packs_by_id

STAFF_ROLES = {Role.TTO_OFFICER, Role.TTO_HEAD, Role.ASSESSOR, Role.DECISION_SECRETARY, Role.INSTITUTION_ADMIN}


def cases_visible_to(user: Any) -> QuerySet[TransferCase]:
    base = TransferCase.objects.select_related("institution")
    if user is None or not user.is_authenticated:
        return base.none()
    if user.is_superuser:
        return base.all()
    condition = Q(created_by=user) | Q(achievements__inventors__user=user)
    for institution_id, roles in permissions.roles_by_institution(user).items():
        if roles & STAFF_ROLES:
            condition |= Q(institution_id=institution_id) & ~Q(stage=Stage.DRAFT)
        if Role.EXPERT in roles:
            condition |= Q(institution_id=institution_id, audit_events__to_stage=Stage.DEMONSTRATION)
    ids = TransferCase.objects.filter(condition).values("pk")
    return base.filter(pk__in=ids)


def case_visible_to(user: Any, public_id: Any) -> TransferCase:
    """The case if this user may see it, else 404 (whether or not it exists)."""
    try:
        return cases_visible_to(user).select_related("rule_pack", "created_by").get(public_id=public_id)
    except (TransferCase.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def attachment_visible_to(user: Any, public_id: Any) -> Attachment:
    try:
        return Attachment.objects.select_related("case").get(
            public_id=public_id, case__in=cases_visible_to(user)
        )
    except (Attachment.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


#: who, in the case's institution, may see who objected and how to reach them (never the applicant:
#: the objector must not fear the people whose transfer they question)
OBJECTOR_READERS = (Role.TTO_OFFICER, Role.INSTITUTION_ADMIN)


def notice_public_replies(notice: Any) -> list[Objection]:
    """The answered objections of every version of a notice's number (one filed on v1 is answered
    while v2 is current), where the case's rule pack publishes replies; never who objected."""
    if not notice.rule_pack.publish_objection_replies or not getattr(notice, "answered", True):
        return []
    answered = Objection.objects.filter(notice__number=notice.number).exclude(outcome=Objection.Outcome.PENDING)
    return list(answered.only("outcome", "reply", "replied_at", "confirmation", "filed_at").order_by("filed_at"))


def objections_of(case: TransferCase) -> QuerySet[Any]:
    return Objection.objects.filter(notice__case=case).select_related("notice").order_by("filed_at", "pk")


def objection_evidence_visible_to(user: Any, public_id: Any, confirmation: str) -> Any:
    """An objection's evidence file for a TTO officer or admin of the case's institution, else 404."""
    case = case_visible_to(user, public_id)
    if not permissions.has_role(user, case.institution_id, OBJECTOR_READERS):
        raise Http404
    objection = Objection.objects.filter(notice__case=case, confirmation=confirmation).exclude(evidence="").first()
    if objection is None:
        raise Http404
    return objection


def case_timeline(case: TransferCase) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(case=case).select_related("actor").order_by("at", "pk")


def filing_institutions(user: Any) -> QuerySet[Institution]:
    """Institutions in which the user may file cases (applicant or TTO officer)."""
    ids = [
        institution_id
        for institution_id, roles in permissions.roles_by_institution(user).items()
        if roles & {Role.APPLICANT, Role.TTO_OFFICER}
    ]
    return Institution.objects.filter(pk__in=ids).order_by("code")


def selectable_achievements(user: Any, institution: Institution) -> QuerySet[Achievement]:
    """Achievements a filer may put in a case: the institution's, if the user may file there."""
    if not permissions.has_role(user, institution.pk, {Role.APPLICANT, Role.TTO_OFFICER}):
        return Achievement.objects.none()
    qs = Achievement.objects.filter(institution=institution)
    if not permissions.has_role(user, institution.pk, {Role.TTO_OFFICER}):
        qs = qs.filter(Q(created_by=user) | Q(inventors__user=user)).distinct()
    return qs.prefetch_related("inventors").order_by("-created_at")


def role_holders(institution_id: int, roles: Any) -> QuerySet[Any]:
    """Active users holding one of the roles in the institution (who to tell about new work)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True, memberships__institution_id=institution_id, memberships__role__in=list(roles)
        )
        .distinct()
    )


def notice_public_list() -> QuerySet[Any]:
    """Every notice is public from its publication on: once its PDF and hash exist (a numbered
    notice still being rendered is not); drafts and cases under review never have one."""
    from ..models import Notice, NoticeStatus

    return Notice.objects.select_related("institution").exclude(status=NoticeStatus.PENDING).exclude(pdf_sha256="")


#: what a row of the public list prints (``public/notice_list.html``): never the frozen content nor the
#: search text, which only a notice's own page and the feed read
NOTICE_ROW_FIELDS = (
    "number", "version", "kind", "status", "title", "issued_at", "starts_at", "ends_at", "institution__name",
)


def notice_public_rows(status: str) -> QuerySet[Any]:
    """The public list's rows, newest first (``notice_public_with_status``), reading only what a row prints."""
    return notice_public_with_status(status).only(*NOTICE_ROW_FIELDS).order_by("-issued_at", "-pk")


def notice_public_with_status(status: str) -> QuerySet[Any]:
    """The public list narrowed to a status as the public reads it now (``Notice.public_status``: a
    notice whose period is over reads ``period_over`` before the closing job runs); superseded
    versions only when asked for."""
    from .. import clock
    from ..models import PERIOD_OVER, PUBLIC_STATUSES, NoticeKind, NoticeStatus

    notices = notice_public_list()
    if status == NoticeStatus.SUPERSEDED:
        return notices.filter(status=status)
    notices = notices.exclude(status=NoticeStatus.SUPERSEDED)
    if status == NoticeStatus.IN_PUBLICITY:
        return notices.filter(status=status, ends_at__gt=clock.now())
    over = Q(status=NoticeStatus.IN_PUBLICITY, ends_at__lte=clock.now())
    if status == PERIOD_OVER:  # a reward notice whose period is over has ended (``Notice.public_status``)
        return notices.filter(over).exclude(kind=NoticeKind.REWARD)
    if status == NoticeStatus.ENDED:
        return notices.filter(Q(status=status) | (over & Q(kind=NoticeKind.REWARD)))
    if status in PUBLIC_STATUSES:
        return notices.filter(status=status)
    return notices


def notice_public_get(number: str, version: int | None = None) -> Any:
    """A notice version by number (the current one when no version is given), else 404."""
    qs = notice_public_list().filter(number=number)
    notice = qs.filter(version=version).first() if version is not None else qs.order_by("-version").first()
    if notice is None:
        raise Http404
    return notice


def notice_public_versions(number: str) -> list[Any]:
    """Every public version of a number, oldest first (the last is the current one), each with the rules
    its period follows (``Notice.rule_pack``) and whether any version has an answered objection
    (``answered``); empty for a number the public may not see. One short query (never the case row); the
    packs, immutable, are read once per process."""
    versions = list(
        notice_public_list().select_related(None).filter(number=number)
        # ``Notice.rule_pack``: a reward notice has a distribution, a transfer notice its case's pack
        .annotate(pack_id=Coalesce("distribution__rule_pack", "case__rule_pack", "case__institution__rule_pack"),
                  # whether the page has answers to print (``notice_public_replies``): most never had one
                  answered=Exists(Objection.objects.filter(notice__number=OuterRef("number"))
                                  .exclude(outcome=Objection.Outcome.PENDING)))
        .order_by("version")
    )
    packs = rule_packs_by_id({notice.pack_id for notice in versions})  # read once per process
    for notice in versions:
        notice.rule_pack = packs.get(notice.pack_id)
    return versions


def open_panel_of(case: TransferCase) -> ExpertPanel | None:
    """The panel still gathering opinions or awaiting the officer's conclusion, if any."""
    if case.stage != Stage.DEMONSTRATION:
        return None
    panel = case.current_panel()
    return panel if panel is not None and panel.is_open else None


def opinions_visible_to(user: Any, case: TransferCase) -> list[ExpertOpinion]:
    """Expert opinions are independent: while the panel is open an expert sees only their own (the
    TTO officers who run the panel see all); once it is concluded, everyone who sees the case does."""
    opinions = list(case.expert_opinions.select_related("expert", "seat").order_by("pk"))
    panel = open_panel_of(case)
    if panel is None or permissions.has_role(user, case.institution_id, [Role.TTO_OFFICER]):
        return opinions
    return [o for o in opinions if o.seat is None or o.seat.panel_id != panel.pk or o.expert_id == user.pk]


def panels_of(case: TransferCase) -> list[ExpertPanel]:
    """The case's panels, newest first, with their seats and experts."""
    return list(case.panels.prefetch_related("seats__expert").order_by("-revision"))
