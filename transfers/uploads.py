"""File inputs that say their limits, and the request size refused before its body is read.

Every file input of every form is an ``UploadField``: under it, the formats accepted and the size
limit of one file (``ATTACHMENT_MAX_BYTES``); a larger file is refused as it is chosen, in the browser
(``static/js/forms.js``, before anything is sent), and on its field. A request whose
body is larger than any form can need (``UPLOAD_REQUEST_MAX_BYTES``: the case form's three files at
the limit, and its text) is answered 413 by ``config.middleware.LimitRequestBody`` from its
``Content-Length``, before a byte of it is read; the TLS proxy in front refuses the same size
earlier still (``client_max_body_size``, docs/deploy.md). The services check the size and the
content again (``services.attachments.check_upload``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from .filetypes import ALLOWED_KINDS, describe

#: the file name endings a browser's file picker offers for each kind (the content is what is checked)
EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg,.jpeg", "docx": ".docx", "xlsx": ".xlsx"}


def limit_hint(kinds: frozenset[str] | set[str] = ALLOWED_KINDS) -> str:
    """``PDF、PNG、JPEG，每个文件不超过 20.0 MB。``"""
    return _("%(kinds)s，每个文件不超过 %(limit)s。") % {
        "kinds": describe(kinds), "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}


def too_large(name: str, size: int) -> str:
    return _("文件“%(name)s”过大（%(size)s），上限为 %(limit)s。") % {
        "name": name, "size": filesizeformat(size), "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}


_limit_hint = lazy(limit_hint, str)


class UploadInput(forms.ClearableFileInput):
    """Tells the browser the limit of one file (``data-max-bytes``, read when rendered): ``static/js/forms.js``
    refuses a larger file as it is chosen, with the field's hint, before anything is sent."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-max-bytes"] = str(settings.ATTACHMENT_MAX_BYTES)
        return context


class UploadField(forms.FileField):
    """A file input whose hint names the formats and the size limit, and which refuses a larger file."""

    widget = UploadInput

    def __init__(self, *, kinds: frozenset[str] | set[str] = ALLOWED_KINDS, help_text: Any = "", **kwargs: Any) -> None:
        hint = _limit_hint(kinds)
        super().__init__(help_text=format_lazy("{} {}", help_text, hint) if help_text else hint, **kwargs)
        self.widget.attrs["accept"] = ",".join(EXTENSIONS[k] for k in EXTENSIONS if k in kinds)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and value.size is not None and value.size > settings.ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(too_large(value.name, value.size), code="file_too_large")
