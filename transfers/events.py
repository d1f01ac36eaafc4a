"""The one explicit hook between the domain and the rest: domain events and their handlers.

A service emits an event inside its transaction; every handler runs there too, so a failing
handler rolls the whole transition back. Handlers are registered in ``AppConfig.ready()`` of the
subscribing app and listed in docs/architecture.md:

- ``workflows.handlers.sync_flow_with_case``: starts the process on submit, cancels it when a
  case leaves the flow from outside a task (withdrawal, termination).
- ``workflows.handlers.start_reward_approval``: on ``DistributionSubmitted``, opens the approval task.
- ``notifications.handlers.queue_notifications``: writes outbox rows for the people concerned.
- ``notifications.handlers.confirm_objection``: mails the objector their confirmation number.
- ``notifications.handlers.tell_people``: outbox rows for a ``PeopleToTell`` (panel invitations,
  deadline reminders, overdue flags and escalations).

Each handler receives every event and acts on the types it knows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from .models import TransferCase


@dataclass(frozen=True)
class CaseTransitioned:
    case: TransferCase
    action: str
    from_stage: str
    to_stage: str
    actor: AbstractBaseUser | None
    comment: str = ""
    #: a system note's code and values (``transfers.models.SYSTEM_NOTES``), when the system wrote it
    note: str = ""
    note_params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ObjectionFiled:
    """A member of the public filed an objection (they get a confirmation by mail)."""

    objection: Any


@dataclass(frozen=True)
class PeopleToTell:
    """Something people must hear about that is not a stage move (an expert invited to a panel, a
    deadline near or passed): ``kind`` names the message in ``notifications.messages``, ``params``
    holds its values (codes and names, never a sentence)."""

    case: TransferCase
    recipients: tuple[Any, ...]
    kind: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DistributionSubmitted:
    """A reward distribution awaits the institution's approval (just proposed, or adjusted after a return):
    ``workflows`` opens the approval task."""

    distribution: Any


Event = CaseTransitioned | ObjectionFiled | PeopleToTell | DistributionSubmitted
Handler = Callable[[Any], None]
_handlers: list[Handler] = []


def subscribe(handler: Handler) -> Handler:
    """Register a handler once (idempotent, so a re-run ``ready()`` does not double it)."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def handlers() -> tuple[Handler, ...]:
    return tuple(_handlers)


def emit(event: Event) -> None:
    for handler in _handlers:
        handler(event)
