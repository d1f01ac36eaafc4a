"""The one exception a service raises when it refuses an action; views show its message."""

from __future__ import annotations

from django.utils.functional import Promise


class ActionRefused(Exception):
    """The action is not allowed now (wrong stage, wrong role, a missing precondition, bad input)."""

    def __init__(self, message: str | Promise, *, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
