"""PDF rendering with WeasyPrint that fetches nothing from outside.

The renderer sees our own static files (the shipped Noto Sans SC font, the print stylesheet) and
``data:`` URIs (the QR code) and nothing else: no network, no ``file://``, no other host. A notice
whose fields contain ``<img src="http://…">`` is escaped by the template anyway; this fetcher is the
second wall, so that no HTML reaching the renderer can make the server fetch a URL (SSRF).
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

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


def render_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """An A4 PDF/UA-1 of ``html`` (styles from our static files only)."""
    fetcher = fetcher or StaticOnlyFetcher()
    result = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(pdf_variant=PDF_VARIANT)
    assert result is not None
    return bytes(result)


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an inline SVG data URI (nothing to fetch)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pdf_text(data: bytes) -> str:
    """The text a reader (or a search engine) extracts from the PDF."""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
