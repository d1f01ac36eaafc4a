"""What an uploaded file is, judged by its content (never by its name or the browser's claim).

Accepted: PDF, PNG, JPEG, and Office Open XML documents (DOCX, XLSX) without macros. A file that
only pretends (an executable renamed ``.pdf``, a macro workbook renamed ``.xlsx``) is unknown.
"""

from __future__ import annotations

import zipfile
from typing import IO

ALLOWED_KINDS = frozenset({"pdf", "png", "jpeg", "docx", "xlsx"})
#: what the public may attach to an objection (no office documents from strangers)
EVIDENCE_KINDS = frozenset({"pdf", "png", "jpeg"})

MIME_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

#: how each kind is named in messages
LABELS = {"pdf": "PDF", "png": "PNG", "jpeg": "JPEG", "docx": "DOCX", "xlsx": "XLSX"}

_MAGIC = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
]
_ZIP = b"PK\x03\x04"
_MAX_ZIP_ENTRIES = 5000


def _office_kind(f: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(f) as archive:
            infos = archive.infolist()
            if len(infos) > _MAX_ZIP_ENTRIES:
                return None
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def sniff_file(f: IO[bytes]) -> str | None:
    """The kind of a file-like object by its bytes, or None; the position is left unchanged."""
    position = f.tell()
    try:
        f.seek(0)
        head = f.read(16)
        for magic, kind in _MAGIC:
            if head.startswith(magic):
                return kind
        if head.startswith(_ZIP):
            f.seek(0)
            return _office_kind(f)
        return None
    finally:
        f.seek(position)


def describe(kinds: frozenset[str] | set[str]) -> str:
    """``PDF、PNG、JPEG`` — the accepted kinds for a message, in a stable order."""
    return "、".join(LABELS[k] for k in LABELS if k in kinds)
