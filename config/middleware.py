"""Requests refused before any view, each with a page that says why:

- a body larger than any form needs (``UPLOAD_REQUEST_MAX_BYTES``, ``transfers/uploads.py``), answered
  413 from its ``Content-Length`` before a byte of it is read;
- a NUL byte in the query string (PostgreSQL refuses NUL in text, so a search with one would end in a
  500), answered 400. (In a path it matches no route, or a converter that refuses it: a 404.)"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


class LimitRequestBody:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot size
        if length > settings.UPLOAD_REQUEST_MAX_BYTES:
            message = _("提交的内容过大（%(size)s）：每个文件不超过 %(file)s，一次提交合计不超过 %(total)s。"
                        "请压缩或拆分文件后重新提交，已填写的内容未保存。") % {
                "size": filesizeformat(length), "file": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
                "total": filesizeformat(settings.UPLOAD_REQUEST_MAX_BYTES)}
            return HttpResponse(render_to_string("400.html", {"message": message}, request=request), status=413)
        return self.get_response(request)


class RejectNulBytes:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in v for v in values)
                                         for key, values in request.GET.lists()):
            message = _("请求中含有不允许的空字符（NUL），请删除后重试。")
            return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request=request))
        return self.get_response(request)
