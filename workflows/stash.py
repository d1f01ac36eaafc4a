"""Files chosen on a form whose outcome is confirmed on a second page (a decision to reject comes
with its minutes): the upload is kept in storage under a random name and the confirmation page
carries a signed token for it, bound to the user and the task, valid for an hour. Files of
confirmations never made are swept by beat (``workflows.tasks.sweep_stash``)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone

SALT = "workflows.stash"
MAX_AGE = 3600
PREFIX = "stash_"


def stash(upload: UploadedFile, *, user_pk: int, task_pk: int) -> str:
    path = default_storage.save(f"pending/{uuid.uuid4().hex}", ContentFile(upload.read()))
    upload.seek(0)
    return signing.dumps({"p": path, "n": upload.name, "c": upload.content_type, "u": user_pk, "t": task_pk},
                         salt=SALT)


def unstash(token: str, *, user_pk: int, task_pk: int) -> SimpleUploadedFile | None:
    """The file behind ``token`` if it was stashed by this user for this task within the hour."""
    try:
        data: dict[str, Any] = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("u") != user_pk or data.get("t") != task_pk or not str(data.get("p", "")).startswith("pending/"):
        return None
    if not default_storage.exists(data["p"]):
        return None
    with default_storage.open(data["p"], "rb") as stored:
        content = stored.read()
    default_storage.delete(data["p"])
    return SimpleUploadedFile(data["n"], content, content_type=data.get("c") or "application/octet-stream")


def sweep(now: datetime.datetime | None = None) -> int:
    """Delete the files of confirmations never made (older than the token's life); returns how many."""
    now = now or timezone.now()
    try:
        _dirs, names = default_storage.listdir("pending")
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        path = f"pending/{name}"
        if now - default_storage.get_modified_time(path) > datetime.timedelta(seconds=MAX_AGE):
            default_storage.delete(path)
            removed += 1
    return removed
