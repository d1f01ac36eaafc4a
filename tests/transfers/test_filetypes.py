"""Uploads are judged by their bytes, not by their names."""

import io
import zipfile

import pytest

from tests.factories import PDF_BYTES
from transfers.filetypes import sniff_file

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF_BYTES, "pdf"),
        (PNG, "png"),
        (JPEG, "jpeg"),
        (office("[Content_Types].xml", "word/document.xml"), "docx"),
        (office("[Content_Types].xml", "xl/workbook.xml"), "xlsx"),
        (b"MZ\x90\x00 an executable renamed .pdf", None),
        (office("[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin"), None),  # macros
        (office("readme.txt"), None),  # a plain zip renamed .docx
        (b"PK\x03\x04 truncated", None),
        (b"<html><script>alert(1)</script>", None),
        (b"", None),
    ],
)
def test_kind_comes_from_the_content(data, kind):
    f = io.BytesIO(data)
    f.seek(3 if data else 0)
    assert sniff_file(f) == kind
    assert f.tell() == (3 if data else 0)  # the reader's position is left where it was
