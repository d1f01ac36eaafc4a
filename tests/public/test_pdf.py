"""The printed notice: our own font, Chinese text a reader can extract (rare characters too), a
package of many achievements laid out cleanly over pages, and a renderer that fetches nothing."""

import io
import socket

import pytest
from pypdf import PdfReader

from tests.public.test_notices import to_publicity
from transfers.models import Notice
from transfers.pdf import StaticOnlyFetcher, pdf_text, render_pdf

pytestmark = pytest.mark.django_db


def pages_text(data: bytes) -> list[str]:
    return [(page.extract_text() or "").replace("\n", "") for page in PdfReader(io.BytesIO(data)).pages]


def fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_a_package_of_many_achievements_repeats_the_header_and_never_cuts_a_row(world):
    case = to_publicity(world.a, count=30)
    data = Notice.objects.get(case=case).pdf.open("rb").read()
    pages = pages_text(data)
    assert len(pages) >= 2
    assert all("成果名称" in page and "专利号/申请号/登记号" in page for page in pages[: len(pages) - 1])
    for n in range(1, 31):
        title = f"成果{n}号：一种耐旱马铃薯种薯快速繁育方法"
        assert sum(title in page for page in pages) == 1, (n, "row cut across pages or missing")
    assert "王𠮷祥" in pages[0] and "马堃" in pages[0]  # rare characters survive into the PDF text
    assert all(name.split("+")[-1].startswith("Source-Han-Sans-SC") or "SourceHanSansSC" in name
               for name in fonts(data)), fonts(data)


def test_the_renderer_refuses_every_url_but_our_static_files(monkeypatch):
    connections = []
    monkeypatch.setattr(socket.socket, "connect", lambda *a, **k: connections.append(a))
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connections.append(a))
    fetcher = StaticOnlyFetcher()
    html = """<html><head><link rel="stylesheet" href="/static/css/print.css">
    <link rel="stylesheet" href="https://evil.example/x.css"></head><body>
    <h1>公示</h1>
    <img src="http://169.254.169.254/latest/meta-data/">
    <img src="file:///etc/passwd">
    <img src="/static/../config/settings/base.py">
    <img src="/media/objections/secret.pdf">
    <img src="https://static.tto.invalid.evil.example/static/css/print.css">
    </body></html>"""
    text = pdf_text(render_pdf(html, fetcher=fetcher))
    assert "公示" in text
    assert connections == []
    assert len(fetcher.refused) == 6
    assert not any("print.css" in url and "evil" not in url for url in fetcher.refused)


def test_the_stylesheet_is_found_under_its_hashed_production_name():
    """Production's manifest storage renders {% static %} as css/print.<hash>.css: still our file."""
    fetcher = StaticOnlyFetcher()
    response = fetcher.fetch("https://static.tto.invalid/static/css/print.f8eb65c47ba8.css")
    assert b"@font-face" in response.read()
    text = pdf_text(render_pdf('<link rel="stylesheet" href="/static/css/print.0123456789ab.css"><h1>公示</h1>',
                               fetcher=fetcher))
    assert "公示" in text and fetcher.refused == []
