"""PDF rendering with WeasyPrint that fetches nothing from outside, and does not repeat itself.

The renderer sees our own static files (the shipped Source Han Sans SC font, the print stylesheet) and
``data:`` URIs (the QR code) and nothing else: no network, no ``file://``, no other host. A notice
whose fields contain ``<img src="http://…">`` is escaped by the template anyway; this fetcher is the
second wall, so that no HTML reaching the renderer can make the server fetch a URL (SSRF).

The two 17 MB font files are read and registered once per process (one font configuration, and the
print stylesheet parsed against it, shared by every render under a lock), WeasyPrint's object for each
font is made once per process too (``CompactFonts``), and each embedded font keeps only the glyphs the
notice uses (``CompactCidFont``): about 50 KB a notice instead of 330 KB, cut from a face of the font's CFF
table alone (``_cff_face``).
``benchmarks/notice_pdf.py`` measures it (docs/performance.md).
"""

from __future__ import annotations

import atexit
import base64
import gc
import hashlib
import io
import logging
import re
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import unquote, urljoin, urlsplit

import cffi
import pydyf
import qrcode
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from fontTools.cffLib import CFFFontSet
from pypdf import PdfReader
from weasyprint import CSS, HTML
from weasyprint.pdf.fonts import Font
from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
from weasyprint.text.fonts import FontConfiguration, get_hb_object_data
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)
T = TypeVar("T")

#: the base URL the renderer resolves relative links against; a host that cannot exist
STATIC_HOST = "static.tto.invalid"
BASE_URL = f"https://{STATIC_HOST}/"

_MIME = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2", ".png": "image/png",
         ".svg": "image/svg+xml"}


class RefusedURL(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    """Serves ``/static/…`` from the project's static files and ``data:`` URIs; refuses the rest."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)  # decoded in memory by urllib's DataHandler
        parts = urlsplit(url)
        path = unquote(parts.path)
        if parts.scheme == "https" and parts.netloc == STATIC_HOST and path.startswith(settings.STATIC_URL):
            found = _static_file(path.removeprefix(settings.STATIC_URL))
            if found is not None:
                return URLFetcherResponse(url, found.read_bytes(),
                                          {"Content-Type": _MIME.get(found.suffix, "application/octet-stream")})
        self.refused.append(url)
        logger.warning("PDF renderer refused to fetch %s", url[:200])
        raise RefusedURL(f"not a static file of this project: {url[:200]}")


#: ``css/print.f8eb65c47ba8.css`` as the manifest storage of production names ``css/print.css``
_HASHED = re.compile(r"^(?P<stem>.+)\.[0-9a-f]{12}(?P<suffix>\.[A-Za-z0-9]+)$")


def _static_file(relative: str) -> Path | None:
    """The source file of a static path (hashed names of the manifest storage included), only from
    the project's own static folders."""
    try:
        found = finders.find(relative)
        if not found and (match := _HASHED.match(relative)):
            found = finders.find(match["stem"] + match["suffix"])
    except SuspiciousFileOperation:
        return None
    if not found:
        return None
    path = Path(found if isinstance(found, str) else found[0]).resolve()
    roots = [Path(d).resolve() for d in settings.STATICFILES_DIRS]
    return path if path.is_file() and any(path.is_relative_to(root) for root in roots) else None


#: tagged PDF for screen readers (ISO 14289-1): structure tags, the document's language from
#: ``<html lang>`` (/Lang zh-CN), its title from ``<title>``, images' alternatives from ``alt``
PDF_VARIANT = "pdf/ua-1"

#: the stylesheet every PDF is printed with (its ``@font-face`` rules name our two fonts)
PRINT_STYLESHEET = "css/print.css"


@dataclass
class Typesetter:
    """What every render in this process shares: WeasyPrint's font configuration, with our fonts
    registered once (it keeps its own copy of each in a temporary folder), and the print stylesheet
    parsed against it."""

    fonts: FontConfiguration
    stylesheet: CSS
    #: each font the renders have drawn with, as WeasyPrint first described it (``CompactFonts``)
    drawn_fonts: dict[Any, CompactCidFont] = field(default_factory=dict)

    def intact(self) -> bool:
        """False once the temporary copies of the fonts are gone (a cleaner of /tmp in a worker that
        lives for weeks): the text would silently fall back to another font."""
        folder = getattr(self.fonts, "_folder", None)  # WeasyPrint's own attribute; absent, trust it
        return folder is None or Path(folder).is_dir()


_typesetter: Typesetter | None = None
#: Pango and Fontconfig objects are not safe to share between threads at once: one render at a time
_render_lock = threading.RLock()


def typesetter() -> Typesetter:
    """The process's typesetter, set up on first use (not at import: a web worker that never prints
    never loads 35 MB of fonts). Call with ``_render_lock`` held."""
    global _typesetter
    if _typesetter is None or not _typesetter.intact():
        release_cff_faces()  # those of the fonts of the last configuration, if any
        fonts = FontConfiguration()
        url = urljoin(BASE_URL, settings.STATIC_URL + PRINT_STYLESHEET)
        stylesheet = CSS(url=url, url_fetcher=StaticOnlyFetcher(), font_config=fonts)  # reads the fonts
        _typesetter = Typesetter(fonts, stylesheet)
    return _typesetter


@atexit.register
def release_fonts() -> None:
    """Delete WeasyPrint's temporary copies of the fonts (34 MB) now. Called at exit, while the interpreter is
    still whole, and when a Celery pool process shuts down (``config/celery_app.py``): billiard ends its
    processes with ``os._exit``, which runs neither ``atexit`` nor WeasyPrint's own clean-up, and each
    process that rendered a notice would leave its copies in /tmp."""
    global _typesetter
    with _render_lock:
        if _typesetter is None:
            return
        folder = getattr(_typesetter.fonts, "_folder", None)  # WeasyPrint's own attribute
        _typesetter = None
        release_cff_faces()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        gc.collect()


def typeset(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> Any:
    """``html`` laid out in pages (WeasyPrint's ``Document``) as ``render_pdf`` prints it: with
    ``css/print.css`` and the process's fonts; other styles it links from our static files only."""
    parsed = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher or StaticOnlyFetcher())
    with _render_lock:
        shared = typesetter()
        return parsed.render(font_config=shared.fonts, stylesheets=[shared.stylesheet], pdf_variant=PDF_VARIANT)


def render_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """An A4 PDF/UA-1 of ``html``, typeset by ``typeset`` (on a stack with room for it: ``on_a_roomy_stack``)."""
    return on_a_roomy_stack(_render_pdf, html, fetcher)


def _render_pdf(html: str, fetcher: StaticOnlyFetcher | None) -> bytes:
    with _render_lock:
        document = typeset(html, fetcher=fetcher)
        document.fonts = CompactFonts(typesetter().drawn_fonts)  # filled as the pages are drawn
        result = document.write_pdf(finisher=_declare_bare_cff, pdf_variant=PDF_VARIANT)
    assert result is not None
    return bytes(result)


#: the room ``on_a_roomy_stack`` reserves on CPython's frame stack, in bytes: a render's frames take
#: 30 to 50 KB at their deepest
ROOMY_STACK = 128 * 1024


def on_a_roomy_stack(function: Callable[..., T], /, *args: Any) -> T:
    """``function(*args)``, called from a frame that holds ``ROOMY_STACK`` bytes of CPython's frame stack.

    CPython 3.11 keeps the frames of running Python functions in chunks of 16 KB that it maps with ``mmap``
    when a call does not fit in the current one, and unmaps as soon as the call that opened a chunk returns.
    WeasyPrint's layout recurses deeply, and its depth goes back and forth across such a boundary hundreds of
    times a notice: 300 to 1,100 ``mmap``/``munmap`` pairs, each with its page faults, 2 ms of the kernel's
    time for a one-page notice and 10 ms for a package of 8 achievements. This frame (its code
    declares a value stack of ``ROOMY_STACK`` bytes, never touched) does not fit in a 16 KB chunk, so CPython
    maps a chunk of twice its size for it, once; every frame of the render then fits in the rest of that
    chunk, whose pages are only faulted in as they are reached. On other Pythons it is only a larger frame."""
    return function(*args)


on_a_roomy_stack.__code__ = on_a_roomy_stack.__code__.replace(co_stacksize=ROOMY_STACK // 8)


# --------------------------------------------------------------------------------------------
# compact fonts
#
# WeasyPrint writes each glyph's id in the font as its CID and subsets with HarfBuzz keeping every
# glyph id ("retain GIDs"), so a subset of Source Han Sans (65,535 glyphs) still carries a charstring
# and two metrics entries for every glyph up to the last one used: about 150 KB compressed per font,
# and two HarfBuzz passes over the 17 MB font. Source Han Sans is CID-keyed (Adobe-Identity-0: glyph n
# has CID n), and in a CID-keyed CFF font the PDF reader finds a CID's glyph through the font's
# charset (ISO 32000-1, 9.7.4.2). So one HarfBuzz pass that renumbers the used glyphs, whose charset
# still names each by its original CID, embedded as a bare CFF font (FontFile3 /CIDFontType0C, the
# form Acrobat and Ghostscript write), shows the same glyphs for the same codes at a few KB.
# Anything else (a TrueType fallback font, a charset that is not the identity) keeps WeasyPrint's way.
# This leans on WeasyPrint's internals (70.x: ``weasyprint.pdf.fonts.Font`` and its ``subset``, ``hb_face``,
# ``tables``, ``type``; ``Document.fonts``; its HarfBuzz bindings): tests/public/test_pdf.py says so if a
# new version moves them (the size test, and the test that every code finds its own glyph).


class CompactCidFont(Font):
    """A font of the document that WeasyPrint embeds as HarfBuzz's compact subset of its CFF table, when
    the font gives each glyph its own number as CID and the subset keeps every used glyph's CID.

    Its ``file_content`` (WeasyPrint's copy of the whole font file, 17 MB for Source Han Sans) is read from
    the font only if WeasyPrint's own ways need it: the compact subset is cut from the HarfBuzz face."""

    compact = False
    _file_content: bytes | None = None

    @property  # type: ignore[override]
    def file_content(self) -> bytes:
        if self._file_content is None:
            self._file_content = get_hb_object_data(self.hb_face)
        return self._file_content

    @file_content.setter
    def file_content(self, content: bytes) -> None:
        self._file_content = content

    @classmethod
    def made_from(cls, font: Font) -> CompactCidFont:
        """``font``, just made by WeasyPrint, as one of ours (its copy of the file dropped)."""
        content = font.__dict__.pop("file_content", None)
        font.__class__ = cls
        compact = cast(CompactCidFont, font)
        compact.file_content = content
        return compact

    def fresh(self) -> CompactCidFont:
        """A copy of this font as WeasyPrint made it, for another document: the same face and metrics, none
        of this document's glyphs, no copy of the font file. Only a font described this way before any
        page drew with it is copied (``CompactFonts``)."""
        copy = object.__new__(type(self))
        copy.__dict__.update({name: value.copy() if isinstance(value, dict | list) else value
                              for name, value in self.__dict__.items() if name != "_file_content"})
        copy.hb_font = None  # Pango's, borrowed by the first document; WeasyPrint reads it for colour glyphs only
        return copy

    def subset(self, to_unicode: dict[int, str], hinting: bool) -> None:
        glyphs = sorted({0, *(glyph for glyph in to_unicode if glyph < self.glyph_count)})
        suitable = (to_unicode and harfbuzz_subset is not None and "CFF " in self.tables
                    and "fvar" not in self.tables and not (self.png or self.svg or self.colr))
        cff = None
        if suitable and _cids_are_glyph_ids(self.hash, self.hb_face):
            cff = _cff_subset(_cff_face(self.hb_face), glyphs, hinting=hinting, notdef_outline=bool(self.missing))
        if cff is None or not {_cid_name(glyph) for glyph in glyphs} <= set(_charset(cff) or ()):
            super().subset(to_unicode, hinting)
            return
        self.file_content, self.compact = cff, True

    @property
    def type(self) -> str:
        """``otf`` (FontFile3, CIDFontType0) for the bare CFF too; ``_declare_bare_cff`` names its format."""
        return "otf" if self.compact else str(super().type)


class CompactFonts(dict[Any, Any]):
    """``Document.fonts``: WeasyPrint adds each font the pages draw with; each becomes a ``CompactCidFont``.

    WeasyPrint makes a font the first time a document draws with it, and that copies the whole font file
    into Python (17 MB, about 9 ms a font a render). ``drawn`` keeps each font as first made in this process
    (by WeasyPrint's key for it: the description Pango gives the font, in the one font configuration of
    the process, so the same face); a later document that asks for the same key gets a fresh copy of it
    (``CompactCidFont.fresh``) instead of a new font. Fonts with colour glyphs (whose drawing uses the Pango
    font itself) are never kept."""

    def __init__(self, drawn: dict[Any, CompactCidFont]) -> None:
        super().__init__()
        self.drawn = drawn

    def __contains__(self, key: object) -> bool:  # WeasyPrint's ``if key not in fonts: fonts[key] = Font(…)``
        if super().__contains__(key):
            return True
        if (font := self.drawn.get(key)) is None:
            return False
        super().__setitem__(key, font.fresh())
        return True

    def __setitem__(self, key: Any, font: Any) -> None:
        if type(font) is Font:
            font = CompactCidFont.made_from(font)
            if not (font.png or font.svg or font.colr):
                self.drawn.setdefault(key, font.fresh())
        super().__setitem__(key, font)


def _declare_bare_cff(document: Any, pdf: pydyf.PDF) -> None:
    """WeasyPrint's finisher: a compact font's stream holds a bare CFF font, not an OpenType one."""
    compact = {id(font.file_content) for font in document.fonts.values() if getattr(font, "compact", False)}
    for pdf_object in pdf.objects:
        if isinstance(pdf_object, pydyf.Stream) and pdf_object.stream and id(pdf_object.stream[0]) in compact:
            pdf_object.extra["Subtype"] = "/CIDFontType0C"


#: the tables WeasyPrint drops from the fonts it embeds (layout is done; the PDF positions each glyph)
_DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")


#: HarfBuzz's face builder, which WeasyPrint does not declare, from the library WeasyPrint loaded (None if the
#: library found is another one: faces must never pass from one copy of HarfBuzz to another)
_face_builder_ffi = cffi.FFI()
_face_builder_ffi.include(ffi)
_face_builder_ffi.cdef("""
    hb_face_t * hb_face_builder_create (void);
    hb_bool_t hb_face_builder_add_table (hb_face_t *face, hb_tag_t tag, hb_blob_t *blob);
    hb_face_t * hb_face_reference (hb_face_t *face);
""")


def _load_face_builder() -> Any:
    try:
        library = _face_builder_ffi.dlopen("libharfbuzz.so.0")
    except OSError:
        return None
    same = ffi.cast("void *", library.hb_face_reference) == ffi.cast("void *", harfbuzz.hb_face_reference)
    return library if same else None


_face_builder = _load_face_builder()
#: the address of a font's HarfBuzz face → (a reference to that face, which keeps the address from being
#: reused, and the face of its CFF and maxp tables alone); see ``_cff_face``
_cff_faces: dict[int, tuple[Any, Any]] = {}


def _cff_face(face: Any) -> Any:
    """A HarfBuzz face of ``face``'s CFF and maxp tables only (the same bytes, not a copy), made once a process.

    HarfBuzz 6 subsetting a face to some glyphs first reads the whole cmap table to keep the characters that
    map to them, and for Source Han Sans that is 3.4 ms of the 3.7 a subset took; the bare CFF font we embed
    has no cmap (the PDF's ToUnicode maps the codes to text). Without it, HarfBuzz also stops adding the
    glyphs of variation sequences that the document does not use. The glyphs kept, their outlines and their
    CIDs are the same. Anything else (no builder in this HarfBuzz) subsets the font's own face."""
    if _face_builder is None:
        return face
    key = int(ffi.cast("uintptr_t", face))
    if key not in _cff_faces:
        built = _face_builder.hb_face_builder_create()
        for tag in (b"CFF ", b"maxp"):
            table = harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(tag, -1))
            _face_builder.hb_face_builder_add_table(built, harfbuzz.hb_tag_from_string(tag, -1), table)
            harfbuzz.hb_blob_destroy(table)  # the builder holds its own reference
        _cff_faces[key] = (_face_builder.hb_face_reference(face), built)
    return _cff_faces[key][1]


def release_cff_faces() -> None:
    """Let HarfBuzz free the faces ``_cff_face`` made (with the process's fonts, ``release_fonts``)."""
    for source, built in _cff_faces.values():
        harfbuzz.hb_face_destroy(built)
        harfbuzz.hb_face_destroy(source)
    _cff_faces.clear()


def _cff_subset(face: Any, glyphs: list[int], *, hinting: bool, notdef_outline: bool) -> bytes | None:
    """The CFF table of HarfBuzz's subset of ``face`` to ``glyphs`` (renumbered, in order), or None."""
    subset_input = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
    if not subset_input:
        return None
    array = ffi.new(f"hb_codepoint_t[{len(glyphs)}]", glyphs)
    harfbuzz.hb_set_add_sorted_array(harfbuzz_subset.hb_subset_input_glyph_set(subset_input), array, len(glyphs))
    tags = sorted(harfbuzz.hb_tag_from_string(tag, -1) for tag in _DROPPED_TABLES)
    dropped = harfbuzz_subset.hb_subset_input_set(subset_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    harfbuzz.hb_set_add_sorted_array(dropped, ffi.new(f"hb_codepoint_t[{len(tags)}]", tags), len(tags))
    flags = harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE | harfbuzz_subset.HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if notdef_outline:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(subset_input, flags)
    subset = ffi.gc(harfbuzz_subset.hb_subset_or_fail(face, subset_input), harfbuzz.hb_face_destroy)
    return _cff_table(subset) if subset else None


def _cff_table(face: Any) -> bytes | None:
    blob = harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(b"CFF ", -1))
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        return ffi.unpack(data, int(length[0])) if data != ffi.NULL and length[0] else None
    finally:
        harfbuzz.hb_blob_destroy(blob)


def _cid_name(glyph: int) -> str:
    """fontTools' name of the glyph with this CID in a CID-keyed font."""
    return f"cid{glyph:05d}" if glyph else ".notdef"


def _charset(cff: bytes) -> list[str] | None:
    """The glyph names of a CID-keyed CFF font in glyph order (see ``_cid_name``); None for another font."""
    try:
        fonts = CFFFontSet()
        fonts.decompile(io.BytesIO(cff), None)
        top = fonts.topDictIndex[0]
        return list(top.charset) if hasattr(top, "ROS") else None
    except Exception:  # a CFF table fontTools cannot read is not one to embed this way
        logger.warning("CFF font unreadable; embedding WeasyPrint's own subset", exc_info=True)
        return None


#: ``Font.hash`` (family, weight, style) → whether its CFF font is CID-keyed with glyph n as CID n
_identity_fonts: dict[str, bool] = {}


def _cids_are_glyph_ids(font_hash: str, face: Any) -> bool:
    """Whether the font gives each glyph its own number as CID (Source Han Sans: Adobe-Identity-0), read
    once a process: 20 ms for the 65,535 glyphs' charset."""
    if font_hash not in _identity_fonts:
        cff = _cff_table(face)
        charset = _charset(cff) if cff else None
        _identity_fonts[font_hash] = charset is not None and all(
            name == _cid_name(glyph) for glyph, name in enumerate(charset)
        )
    return _identity_fonts[font_hash]


# --------------------------------------------------------------------------------------------


class QuickMaskQRCode(qrcode.QRCode):  # type: ignore[misc]
    """qrcode's QR code, whose mask is chosen by the same rule, faster: the same modules.

    qrcode tries the eight masks by laying the whole code out eight times and scoring each layout with
    ``qrcode.util.lost_point`` in pure Python (3.5 ms of the 4.3 a code took). Here the code is laid out
    once, with mask 0; each other mask only flips the data modules where it differs from mask 0 (the
    format information is left blank while masks are tried, so nothing else changes; which modules differ
    depends only on the code's version, and is worked out once per version), and each layout is scored by
    ``lost_point``, which counts the same penalties with strings and integers."""

    _data_modules: list[tuple[int, int]]

    def map_data(self, data: Any, mask_pattern: int) -> None:
        count = self.modules_count
        self._data_modules = [(row, col) for row in range(count) for col in range(count)
                              if self.modules[row][col] is None]
        super().map_data(data, mask_pattern)

    def best_mask_pattern(self) -> int:
        self.makeImpl(True, 0)
        if self.version not in _mask_flips:
            first = qrcode.util.mask_func(0)
            _mask_flips[self.version] = [
                [(row, col) for row, col in self._data_modules if first(row, col) != mask(row, col)]
                for mask in map(qrcode.util.mask_func, range(8))
            ]
        layout = [["1" if module else "0" for module in row] for row in self.modules]
        scores = []
        for flips in _mask_flips[self.version]:
            rows = [list(row) for row in layout]
            for row, col in flips:
                rows[row][col] = "0" if rows[row][col] == "1" else "1"
            scores.append(_lost_point(["".join(row) for row in rows]))
        return scores.index(min(scores))  # the first of the lowest, as qrcode chooses


#: a QR code's version → for each mask, the data modules it sets otherwise than mask 0
_mask_flips: dict[int, list[list[tuple[int, int]]]] = {}
#: the pattern ISO/IEC 18004 penalises (dark:light:dark:light:dark 1:1:3:1:1 beside 4 light modules),
#: either way round, overlapping matches counted
_FINDER_LIKE = re.compile("(?=10111010000|00001011101)")
_RUN_OF_FIVE = re.compile("0{5,}|1{5,}")


def lost_point(modules: list[list[bool]]) -> int:
    """``qrcode.util.lost_point(modules)``: the penalty of a QR code's layout (ISO/IEC 18004, 7.8.3)."""
    return _lost_point(["".join("1" if module else "0" for module in row) for row in modules])


def _lost_point(rows: list[str]) -> int:
    """The penalty of a layout given as rows of "0" (light) and "1" (dark): runs of five or more of one
    colour (3, and 1 a module beyond five), 2×2 blocks of one colour (3 each), finder-like patterns (40
    each), and 10 for each 5 % the dark share is away from half."""
    count = len(rows)
    lines = " ".join(rows + ["".join(column) for column in zip(*rows, strict=True)])  # no run goes past a space
    points = sum(len(run) - 2 for run in _RUN_OF_FIVE.findall(lines))
    full = (1 << count) - 1
    numbers = [int(row, 2) for row in rows]
    for upper, lower in pairwise(numbers):
        dark, light = upper & lower, ~(upper | lower) & full
        points += 3 * ((dark & dark >> 1).bit_count() + (light & light >> 1).bit_count())
    points += 40 * len(_FINDER_LIKE.findall(lines))
    dark_share = sum(row.count("1") for row in rows) / count**2
    return points + int(abs(dark_share * 100 - 50) / 5) * 10


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an inline SVG data URI (nothing to fetch). Each run of dark modules in a
    row is one stroke one module thick, so the renderer parses about 300 short segments rather than a
    square per module (about 700)."""
    code = QuickMaskQRCode(border=1)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y + 0.5}h{x - start}")
            else:
                x += 1
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}mm" height="{size}mm" viewBox="0 0 {size} {size}">'
           f'<path d="{"".join(runs)}" stroke="#000" stroke-width="1" fill="none"/></svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("ascii")).decode("ascii")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pdf_text(data: bytes) -> str:
    """The text a reader (or a search engine) extracts from the PDF."""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
