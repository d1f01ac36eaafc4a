"""The printed notice: our own font, Chinese text a reader can extract (rare characters too), a
package of many achievements laid out cleanly over pages, and a renderer that fetches nothing."""

import io
import re
import socket
from collections.abc import Callable

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


def test_the_fonts_are_read_and_registered_once_per_process_not_per_render(monkeypatch):
    """The two font files are 17 MB each: reading and registering them for every notice cost 130 ms and
    500 MB of memory a render."""
    from weasyprint.text.fonts import FontConfiguration

    render_pdf("<h1>公示</h1>")  # whatever ran before, this process has its fonts now
    reads, configurations = [], []
    fetch, configure = StaticOnlyFetcher.fetch, FontConfiguration.__init__
    monkeypatch.setattr(StaticOnlyFetcher, "fetch", lambda self, url, headers=None: (
        reads.append(url), fetch(self, url, headers))[1])
    monkeypatch.setattr(FontConfiguration, "__init__", lambda self: (configurations.append(self), configure(self))[1])
    first, second = render_pdf("<h1>关于公示</h1>"), render_pdf("<h1>公示期满</h1><p>马堃</p>")
    assert [url for url in reads if url.endswith(".otf")] == [] and configurations == []
    assert "关于公示" in pdf_text(first) and "公示期满" in pdf_text(second) and "马堃" in pdf_text(second)
    assert all("Source-Han-Sans-SC" in name for name in fonts(first) | fonts(second)), fonts(second)


def test_each_font_is_made_once_per_process_and_each_document_gets_only_its_own_glyphs(monkeypatch):
    """WeasyPrint made a font object for every document, copying the whole 17 MB font file into Python each
    time (about 9 ms a font). Now each font is made once a process; a document gets a copy of it without the
    file, which is read again only if WeasyPrint's own subsetting needs it."""
    from pathlib import Path

    from weasyprint.pdf import fonts as weasyprint_fonts

    from transfers import pdf

    render_pdf("<h1>公示</h1><p>公示</p>")  # both weights drawn once in this process
    made, copied = [], []
    make, copy = weasyprint_fonts.Font.__init__, pdf.get_hb_object_data
    monkeypatch.setattr(weasyprint_fonts.Font, "__init__",
                        lambda self, *args: (made.append(args), make(self, *args))[1])
    monkeypatch.setattr(pdf, "get_hb_object_data", lambda *args: (copied.append(args), copy(*args))[1])
    first, second = render_pdf("<h1>关于耐旱</h1><p>马铃薯</p>"), render_pdf("<h1>黄土</h1><p>滑坡监测</p>")
    assert made == [] and copied == []
    assert "关于耐旱" in pdf_text(first) and "马铃薯" in pdf_text(first)
    assert "黄土" in pdf_text(second) and "滑坡监测" in pdf_text(second)
    for data, own, others in ((first, "关于耐旱马铃薯", "黄土滑坡监测"), (second, "黄土滑坡监测", "关于耐旱马铃薯")):
        mapped = ""
        for page in PdfReader(io.BytesIO(data)).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                to_unicode = font["/ToUnicode"].get_object().get_data().decode("latin-1")
                mapped += "".join(bytes.fromhex(text).decode("utf-16-be")
                                  for text in re.findall(r"> <([0-9a-f]+)>", to_unicode))
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                assert descriptor["/FontFile3"].get_object()["/Subtype"] == "/CIDFontType0C"
        assert set(own) <= set(mapped) and not set(others) & set(mapped), mapped  # no glyphs of another document
    files = {Path(f"static/fonts/SourceHanSansSC-{weight}.otf").read_bytes() for weight in ("Regular", "Bold")}
    monkeypatch.undo()
    kept = list(pdf._typesetter.drawn_fonts.values())
    assert len(kept) == 2 and {font.fresh().file_content for font in kept} == files  # read again when asked


@pytest.mark.parametrize("count", [1, 8])
def test_a_notice_pdf_is_small_tagged_and_its_chinese_title_extractable(world, count):
    """About 50 KB (it was 336 KB: two font subsets that kept an empty slot for each of the font's 65,535
    glyphs), still a tagged PDF/UA document in Chinese whose title a reader can copy."""
    notice = Notice.objects.get(case=to_publicity(world.a, count=count))
    data = notice.pdf.open("rb").read()
    assert len(data) <= 150 * 1024, len(data)
    assert notice.title.replace(" ", "") in pdf_text(data).replace("\n", "").replace(" ", "")
    catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"] and catalog["/Lang"] == "zh-CN"


def test_every_character_is_drawn_with_its_own_glyph_from_our_font():
    """The embedded fonts keep only the glyphs used, renumbered; each code on the page (the glyph's number
    in our font, as laid out) must still find that glyph's outline through the font's CIDs. A reader that
    looked codes up by position would draw other characters: the same text when copied, wrong characters
    on screen and paper."""
    from fontTools.cffLib import CFFFontSet
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont

    text = "关于“王𠮷祥·马堃”科技成果转化的公示：耐旱马铃薯 AAA-GS-2026-001"
    data = render_pdf(f'<html lang="zh-CN"><h1>{text}</h1><p>{text}</p></html>')
    source = {weight: TTFont(f"static/fonts/SourceHanSansSC-{weight}.otf", lazy=True) for weight in ("Regular", "Bold")}
    checked = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = descriptor["/FontFile3"].get_object()
            assert program["/Subtype"] == "/CIDFontType0C"
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(program.get_data()), None)
            glyphs = cff[cff.fontNames[0]].CharStrings
            original = source["Bold" if "Bold" in str(font["/BaseFont"]) else "Regular"]
            to_unicode = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            for cid, hex_text in re.findall(r"<([0-9a-f]{4})> <([0-9a-f]+)>", to_unicode):
                character = bytes.fromhex(hex_text).decode("utf-16-be")
                if character.isspace() or int(cid, 16) == 0:  # spaces and .notdef draw nothing
                    continue
                ours, theirs = DecomposingRecordingPen(None), DecomposingRecordingPen(None)
                glyphs[f"cid{int(cid, 16):05d}"].draw(ours)  # the glyph a reader finds for the code
                original.getGlyphSet()[original.getGlyphOrder()[int(cid, 16)]].draw(theirs)  # the one laid out
                assert ours.value == theirs.value, character
                checked.add(character)
    assert set(text.replace(" ", "")) <= checked


def test_the_fonts_are_subset_from_their_cff_table_alone_made_once_per_process():
    """HarfBuzz 6 read the whole cmap of Source Han Sans (3.4 ms a font a render) before subsetting a face to
    some glyphs; the bare CFF font embedded has no cmap, so the subset is cut from a face of the CFF and maxp
    tables alone, made once a process and let go with the fonts."""
    from weasyprint.text.ffi import harfbuzz

    from transfers import pdf

    assert pdf._face_builder is not None  # the HarfBuzz WeasyPrint loaded, not another copy
    render_pdf("<html lang='zh-CN'><h1>公示</h1><p>公示</p></html>")
    faces = dict(pdf._cff_faces)
    render_pdf("<html lang='zh-CN'><h1>关于</h1><p>马堃</p></html>")
    assert len(faces) == 2 and pdf._cff_faces == faces  # one a font, kept

    def length(face: object, tag: bytes) -> int:
        table = harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(tag, -1))
        try:
            return int(harfbuzz.hb_blob_get_length(table))
        finally:
            harfbuzz.hb_blob_destroy(table)

    for source, built in faces.values():
        assert length(built, b"cmap") == 0 < length(source, b"cmap")
        assert length(built, b"CFF ") == length(source, b"CFF ") > 0
        assert harfbuzz.hb_face_get_glyph_count(built) == harfbuzz.hb_face_get_glyph_count(source) == 65535
    pdf.release_fonts()
    assert pdf._cff_faces == {}


def test_a_render_runs_on_a_frame_stack_it_does_not_map_and_unmap_over_and_over():
    """CPython 3.11 maps a 16 KB chunk of frame stack when a call does not fit and unmaps it when that call
    returns; WeasyPrint's layout went back and forth across such a boundary a thousand times a notice (a
    page fault or four each time). ``on_a_roomy_stack`` runs a function where its frames fit, in one chunk."""
    import resource

    from transfers.pdf import ROOMY_STACK, on_a_roomy_stack

    def descend(depth: int) -> int:
        return 0 if depth == 0 else descend(depth - 1) + 1

    def back_and_forth() -> int:
        return sum(descend(300) for _ in range(400))  # 300 frames, about 30 KB: past a chunk boundary

    def faults(function: Callable[[], object]) -> int:
        function()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        function()
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

    assert on_a_roomy_stack.__code__.co_stacksize * 8 == ROOMY_STACK >= 64 * 1024
    plain = min(faults(back_and_forth) for _ in range(3))
    if plain < 400:
        pytest.skip(f"this Python keeps its frame stack mapped ({plain} page faults going back and forth)")
    assert min(faults(lambda: on_a_roomy_stack(back_and_forth)) for _ in range(3)) < plain / 10


def test_renders_in_two_threads_at_once_each_get_their_own_text():
    """A worker with threads shares one font configuration: the renders take turns (Pango's font map is not
    safe to use from two threads at once)."""
    from concurrent.futures import ThreadPoolExecutor

    titles = ["关于耐旱马铃薯的公示", "关于黄土滑坡监测的公示"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        documents = list(pool.map(lambda title: render_pdf(f'<html lang="zh-CN"><h1>{title}</h1></html>'), titles))
    assert [title in pdf_text(data) for title, data in zip(titles, documents, strict=True)] == [True, True]


def test_the_fonts_temporary_copies_are_deleted_when_a_worker_process_ends():
    """A Celery pool process ends with os._exit (no atexit): its shutdown signal deletes WeasyPrint's
    34 MB copies of the fonts, and a later render in the same process sets them up again."""
    from pathlib import Path

    from celery.signals import worker_process_shutdown

    from transfers import pdf

    render_pdf("<html lang='zh-CN'><title>甲</title><p>乙</p></html>")
    folder = Path(pdf._typesetter.fonts._folder)
    assert folder.is_dir() and any(folder.iterdir())
    worker_process_shutdown.send(sender=None, pid=0, exitcode=0)
    assert not folder.exists() and pdf._typesetter is None
    assert "丙" in pdf_text(render_pdf("<html lang='zh-CN'><title>丙</title><p>丙</p></html>"))


def test_the_qr_code_is_the_one_qrcode_makes_with_its_mask_chosen_faster():
    """The notice's QR code chooses its mask by qrcode's rule (the lowest ISO/IEC 18004 penalty) without
    laying the code out eight times: the same modules, the same penalty for every layout."""
    import random
    import string

    import qrcode
    from qrcode.util import lost_point as qrcode_lost_point

    from transfers.pdf import QuickMaskQRCode, lost_point

    chance = random.Random(11)
    texts = [f"https://gongshi.lzu.edu.cn/notices/AAA-GS-2026-{n:03d}/" for n in (1, 2, 17, 117, 999)]
    texts += ["https://gongshi.lzu.edu.cn/" + "".join(chance.choices(string.ascii_letters + "/-_%", k=size))
              for size in (1, 20, 60, 120, 250, 400) for _ in range(4)]
    for text in texts:
        theirs, ours = qrcode.QRCode(border=1), QuickMaskQRCode(border=1)
        for code in (theirs, ours):
            code.add_data(text)
            code.make(fit=True)
        assert ours.get_matrix() == theirs.get_matrix(), text
        for mask in range(8):
            theirs.makeImpl(True, mask)
            assert lost_point(theirs.modules) == qrcode_lost_point(theirs.modules), (text, mask)
