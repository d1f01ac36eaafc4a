"""Stored files no row points to: removed once they are a day old.

A file is written to storage inside the transaction that records it (an attachment, an objection's
evidence, a notice's PDF). When that transaction rolls back (a refusal after the upload was read, a
crash, a lost race), the row is gone and the file stays: disk that fills, and personal data (an
objector's evidence, a contract) kept after the submission was refused. Storage has no transactions,
so the rows are the truth: beat runs ``orphan_files_sweep`` daily, and it deletes the files under the
folders the models write to that no attachment, notice or objection names. A day of grace keeps the
file of a transaction still open (an upload being recorded) and of a render in progress.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator

from django.core.files.storage import default_storage

from .. import clock
from ..models import Attachment, Notice, Objection

#: the folders the models' ``upload_to`` write under (``attachment_path``, ``notice_pdf_path``, evidence)
FOLDERS = ("cases", "notices", "objections")
GRACE = datetime.timedelta(days=1)

logger = logging.getLogger(__name__)


def _stored(folder: str) -> Iterator[str]:
    """Every file under ``folder``, as storage names it, however deep."""
    try:
        dirs, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        yield f"{folder}/{name}"
    for sub in dirs:
        yield from _stored(f"{folder}/{sub}")


def _referenced() -> set[str]:
    names: set[str] = set()
    for field, rows in (("file", Attachment.objects), ("pdf", Notice.objects), ("evidence", Objection.objects)):
        names.update(rows.exclude(**{field: ""}).values_list(field, flat=True))
    return names


def orphan_files_sweep(now: datetime.datetime | None = None) -> list[str]:
    """Delete the stored files older than ``GRACE`` that no row names; returns their names."""
    now = now or clock.now()
    referenced = _referenced()
    removed = []
    for folder in FOLDERS:
        for name in _stored(folder):
            if name in referenced or now - default_storage.get_modified_time(name) <= GRACE:
                continue
            default_storage.delete(name)
            removed.append(name)
    if removed:
        logger.info("removed %d stored files no row names", len(removed))
    return removed
