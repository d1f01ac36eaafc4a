"""``python manage.py close_due_publicity``: end every publicity period that is over (as beat does)."""

from typing import Any

from django.core.management.base import BaseCommand

from transfers.services.publicity import publicity_close_due


class Command(BaseCommand):
    help = "Move cases whose publicity period is over (and not suspended) to implementation."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = publicity_close_due()
        self.stdout.write(f"closed {len(closed)}: {', '.join(closed)}" if closed else "nothing due")
