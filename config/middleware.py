"""Requests refused before any view: a NUL byte in the query string (PostgreSQL refuses NUL in text, so a
search with one would end in a 500) is answered 400 with a page that says why. (In a path it matches no
route, or a converter that refuses it: a 404.)"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


class RejectNulBytes:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in v for v in values)
                                         for key, values in request.GET.lists()):
            message = _("请求中含有不允许的空字符（NUL），请删除后重试。")
            return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request=request))
        return self.get_response(request)
