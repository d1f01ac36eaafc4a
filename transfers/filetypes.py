"""TEMPORARY."""

ALLOWED_KINDS = frozenset({"pdf", "png", "jpeg", "docx", "xlsx"})
MIME_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff_file(f):
    pos = f.tell()
    f.seek(0)
    head = f.read(8)
    f.seek(pos)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK"):
        return "docx"
    return None
