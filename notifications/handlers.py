"""Who hears about a transition: the reviewers of the stage the case enters, and its applicant
when it comes back to them or ends. Rows are written in the transition's transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from transfers import selectors
from transfers.events import CaseTransitioned, ObjectionFiled, PeopleToTell
from transfers.models import FINAL_STAGES, Stage
from transfers.permissions import STAGE_ROLES

from . import messages
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
    """Outbox rows for the people concerned: a kind and its values, rendered in each reader's
    language when read (``notifications.messages``)."""
    if not isinstance(event, CaseTransitioned):
        return
    case = event.case
    params = {"ref": case.reference, "title": case.title, "stage": case.stage, "comment": event.comment,
              "note": event.note, "note_params": event.note_params}
    rows = Notification.objects.bulk_create(
        Notification(recipient=person, case=case, kind=messages.CASE_STAGE, params=params)
        for person in _recipients(event)
    )
    if rows:
        _deliver_after_commit()


def confirm_objection(event: object) -> None:
    """The objector's confirmation number, through the outbox like every message: written in the
    objection's transaction, mailed after commit, retried by beat if the broker or mail is down."""
    if not isinstance(event, ObjectionFiled) or not event.objection.email:
        return
    objection = event.objection
    Notification.objects.create(
        to_email=objection.email,
        case=objection.notice.case,
        kind=messages.OBJECTION_CONFIRMATION,
        params={"notice": objection.notice.number, "number": objection.confirmation},
    )
    _deliver_after_commit()


def tell_people(event: object) -> None:
    """Outbox rows for news that is not a stage move (a panel invitation, a deadline)."""
    if not isinstance(event, PeopleToTell):
        return
    case = event.case
    params = {"ref": case.reference, "title": case.title, **event.params}
    unique = {person.pk: person for person in event.recipients if person is not None}
    rows = Notification.objects.bulk_create(
        Notification(recipient=person, case=case, kind=event.kind, params=params) for person in unique.values()
    )
    if rows:
        _deliver_after_commit()


def _deliver_after_commit() -> None:
    """Ask a worker to deliver after commit. ``robust``: a broker that is down never turns a saved
    action into an error page; the rows wait in the outbox for the beat job."""
    from .tasks import deliver_pending

    transaction.on_commit(deliver_pending.delay, robust=True)
