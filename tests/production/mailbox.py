"""A mail backend for worker processes: one file per message in ``EMAIL_FILE_PATH``, renamed into
place whole, so a ``.eml`` file there is a message the mail server accepted. While a file ``HOLD`` is in
the folder, a sender first leaves ``sending-<pid>`` and waits: that is where the tests kill it."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class FolderBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = Path(settings.EMAIL_FILE_PATH)
        hold = folder / "HOLD"
        if hold.exists():
            (folder / f"sending-{os.getpid()}").touch()
            while hold.exists():
                time.sleep(0.05)
        for message in email_messages:
            name = uuid.uuid4().hex
            partial = folder / f".{name}.part"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(folder / f"{name}.eml")
        return len(email_messages)
