"""Who hears about a transition: the reviewers of the stage the case enters, and its applicant
when it comes back to them or ends. Rows are written in the transition's transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from transfers import selectors
from transfers.events import CaseTransitioned, ObjectionFiled
from transfers.models import FINAL_STAGES, Stage
from transfers.permissions import STAGE_ROLES

from .models import Notification


def _recipients(event: CaseTransitioned) -> list[Any]:
    case = event.case
    people: list[Any] = []
    if event.to_stage in STAGE_ROLES:
        people.extend(selectors.role_holders(case.institution_id, STAGE_ROLES[event.to_stage]))
    if (
        event.to_stage == Stage.RETURNED
        or event.to_stage in FINAL_STAGES
        or event.to_stage == Stage.PUBLICITY
    ):
        people.append(case.created_by)
    actor_pk = getattr(event.actor, "pk", None)
    unique = {p.pk: p for p in people if p.pk != actor_pk}
    return list(unique.values())


def queue_notifications(event: object) -> None:
    """Outbox rows in the site's language (Chinese), whatever language the actor's page was in: the
    text is stored once and read by people who may use either language."""
    if not isinstance(event, CaseTransitioned):
        return
    with translation.override(settings.LANGUAGE_CODE):
        _queue(event)


def _queue(event: CaseTransitioned) -> None:
    case = event.case
    stage = case.get_stage_display()
    subject = _("【%(ref)s】%(title)s：%(stage)s") % {
        "ref": case.reference,
        "title": case.title,
        "stage": stage,
    }
    body = _("案件“%(title)s”（%(ref)s）已进入“%(stage)s”环节。") % {
        "title": case.title,
        "ref": case.reference,
        "stage": stage,
    }
    if event.comment:
        body += "\n" + _("意见：%(comment)s") % {"comment": event.comment}
    rows = Notification.objects.bulk_create(
        Notification(recipient=person, case=case, subject=subject, body=body) for person in _recipients(event)
    )
    if rows:
        from .tasks import deliver_pending

        transaction.on_commit(lambda: deliver_pending.delay())


def confirm_objection(event: object) -> None:
    """Mail the objector their confirmation number after commit (the page shows it too)."""
    if not isinstance(event, ObjectionFiled) or not event.objection.email:
        return
    from .tasks import confirm_objection_by_mail

    pk = event.objection.pk
    transaction.on_commit(lambda: confirm_objection_by_mail.delay(pk))
