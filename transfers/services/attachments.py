"""Storing uploaded documents: type checked by content, size capped, SHA-256 recorded."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from .. import clock
from ..filetypes import ALLOWED_KINDS, MIME_TYPES, describe, sniff_file
from ..models import Attachment, TransferCase
from ..uploads import too_large
from .errors import ActionRefused


def check_upload(upload: UploadedFile, *, allowed: frozenset[str] | set[str] = ALLOWED_KINDS) -> str:
    """Return the detected kind of an upload or refuse it with a message naming the file."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ActionRefused(too_large(upload.name or "", upload.size), code="file_too_large")
    if not upload.size:
        raise ActionRefused(_("文件“%(name)s”是空文件。") % {"name": upload.name}, code="file_empty")
    kind = sniff_file(upload)
    if kind is None or kind not in allowed:
        raise ActionRefused(
            _("文件“%(name)s”的内容不是允许的格式（%(kinds)s）。") % {"name": upload.name, "kinds": describe(allowed)},
            code="file_type",
        )
    return kind


def attachment_store(*, case: TransferCase, by: Any, kind: str, upload: UploadedFile) -> Attachment:
    """Check and store one uploaded file on the case (the caller holds the transaction)."""
    detected = check_upload(upload)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        case=case,
        kind=kind,
        original_name=(upload.name or "file")[:255],
        content_type=MIME_TYPES[detected],
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        revision=case.revision,
        uploaded_by=by,
        uploaded_at=clock.now(),
    )
    attachment.file.save(attachment.original_name, upload, save=False)
    attachment.save()
    return attachment
