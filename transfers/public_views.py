"""The public site (no login): notices, their PDF, the Atom feed, verification and objections.

Pages work without JavaScript, revalidate cheaply (the list's Last-Modified; a notice's ETag made of
its last change and of what the clock makes of it) and answer the same 404 for anything not
published, so nothing can be learned by guessing.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET
from django_ratelimit.core import is_ratelimited

from . import clock, selectors
from .models import Notice, NoticeStatus, TransferMode
from .public_forms import ObjectionForm, VerifyForm
from .publicity_clock import ClockRules, days_left
from .services.errors import ActionRefused
from .services.objections import objection_file
from .views import client_ip

PAGE_SIZE = 20
OBJECTION_RATE = "5/h"


def _objector_key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _list_last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
    return selectors.notice_public_list().aggregate(m=Max("updated_at"))["m"]


@require_GET
@cache_control(no_cache=True)
@condition(last_modified_func=_list_last_modified)
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = selectors.notice_public_list()
    status = request.GET.get("status", "")
    if status == NoticeStatus.SUPERSEDED:
        notices = notices.filter(status=status)
    else:
        notices = notices.exclude(status=NoticeStatus.SUPERSEDED)
        if status in NoticeStatus.values:
            notices = notices.filter(status=status)
    mode = request.GET.get("mode", "")
    if mode in TransferMode.values:
        notices = notices.filter(content__mode_code=mode)  # as published, not as the case reads today
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    if query:
        notices = notices.filter(Q(search_text__icontains=query) | Q(number__icontains=query))
    page = Paginator(notices.order_by("-issued_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page, "q": query, "status": status, "mode": mode,
        "statuses": NoticeStatus.choices, "modes": TransferMode.choices,
    }
    return render(request, "public/notice_list.html", context)


def _window(notice: Notice, current: Notice) -> tuple[bool, int | None]:
    """Is the objection window of this version open now, and how many days does the public have?
    Both follow the clock even when nothing is written."""
    if notice.pk != current.pk or not notice.accepts_objections():
        return False, None
    rules = ClockRules.from_rule_pack(notice.case.applicable_rule_pack)
    return True, days_left(clock.now(), notice.ends_at, rules, starts_at=notice.starts_at)


def _etag(request: HttpRequest, number: str, version: int | None = None, **kwargs: Any) -> str | None:
    """The page's state: the notice (its latest write) and what the clock makes of it."""
    current = (
        selectors.notice_public_list().filter(number=number).select_related("case__rule_pack", "institution__rule_pack")
        .order_by("-version").first()
    )
    if current is None:
        return None
    is_open, left = _window(current, current)
    return f"{number}-{version or 'current'}-{current.version}-{current.updated_at.timestamp()}-{is_open}-{left}"


def _detail(request: HttpRequest, notice: Notice, form: ObjectionForm | None = None, status: int = 200) -> HttpResponse:
    current = selectors.notice_public_get(notice.number)
    window_open, left = _window(notice, current)
    context = {
        "notice": notice,
        "c": notice.content,
        "current": current,
        "versions": Notice.objects.filter(number=notice.number).order_by("version"),
        "window_open": window_open,
        "days_left": left,
        "working_days": notice.case.applicable_rule_pack.publicity_working_days,
        "form": form or (ObjectionForm() if window_open else None),
        "replies": selectors.notice_public_replies(notice),
    }
    return render(request, "public/notice_detail.html", context, status=status)


@cache_control(no_cache=True)
@condition(etag_func=lambda request, number: None if request.method == "POST" else _etag(request, number))
def notice_detail(request: HttpRequest, number: str) -> HttpResponse:
    notice = selectors.notice_public_get(number)
    if request.method != "POST":
        return _detail(request, notice)
    form = ObjectionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请根据提示修改后再提交。"))
        return _detail(request, notice, form, status=400)
    # counted per person (the client's address), only for complete submissions: typing errors cost nothing
    if is_ratelimited(request, group="objection", key=_objector_key, rate=OBJECTION_RATE, method="POST",
                      increment=True):
        messages.error(request, _("提交过于频繁，请一小时后再试。"))
        return _detail(request, notice, form, status=429)
    data = form.cleaned_data
    try:
        objection = objection_file(
            notice=notice, name=data["name"], organisation=data["organisation"], phone=data["phone"],
            email=data["email"], relation=data["relation"], reasons=data["reasons"], evidence=data.get("evidence"),
            ip=client_ip(request),
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return _detail(request, notice, form, status=400)
    messages.success(
        request,
        _("您的异议已受理，受理编号 %(number)s。公示已暂停，我们将依程序处理并答复。")
        % {"number": objection.confirmation},
    )
    return redirect(notice.get_current_url())


@require_GET
@cache_control(no_cache=True)
@condition(etag_func=_etag)
def notice_version(request: HttpRequest, number: str, version: int) -> HttpResponse:
    return _detail(request, selectors.notice_public_get(number, version))


def _pdf_response(notice: Notice) -> FileResponse:
    if not notice.pdf:
        raise Http404
    response = FileResponse(notice.pdf.open("rb"), content_type="application/pdf",
                            filename=f"{notice.number}-v{notice.version}.pdf")
    response["ETag"] = f'"{notice.pdf_sha256}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def notice_pdf(request: HttpRequest, number: str) -> FileResponse:
    return _pdf_response(selectors.notice_public_get(number))


@require_GET
def notice_version_pdf(request: HttpRequest, number: str, version: int) -> FileResponse:
    return _pdf_response(selectors.notice_public_get(number, version))


def verify(request: HttpRequest) -> HttpResponse:
    """Is this PDF (or this SHA-256) an authentic notice, which version, is it current?"""
    form = VerifyForm(request.POST or None, request.FILES or None)
    result: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        digest = form.cleaned_data["sha256"]
        upload = form.cleaned_data.get("pdf")
        if upload:
            hasher = hashlib.sha256()
            for chunk in upload.chunks():
                hasher.update(chunk)
            digest = hasher.hexdigest()
        notice = selectors.notice_public_list().filter(pdf_sha256=digest).first()
        current = selectors.notice_public_get(notice.number) if notice else None
        result = {"digest": digest, "notice": notice, "current": current}
    return render(request, "public/verify.html", {"form": form, "result": result},
                  status=400 if request.method == "POST" and not form.is_valid() else 200)


class NoticeFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("科技成果转化公示")
    subtitle = gettext_lazy("各单位最新发布的科技成果转化公示")
    link = "/notices/"

    def items(self) -> Any:
        return selectors.notice_public_list().exclude(status=NoticeStatus.SUPERSEDED).order_by("-issued_at")[:50]

    def item_title(self, item: Notice) -> str:
        return f"{item.number} {item.title}"

    def item_description(self, item: Notice) -> str:
        c = item.content
        price = c.get("price_terms", "")
        if c.get("price_amount"):
            price = _("%(amount)s 万元") % {"amount": c["price_amount"]}
        return _("%(institution)s；%(mode)s；%(counterparty)s；%(price)s") % {
            "institution": c.get("institution", ""), "mode": c.get("mode", ""),
            "counterparty": c.get("counterparty", ""), "price": price,
        }

    def item_link(self, item: Notice) -> str:
        return item.get_current_url()

    def item_pubdate(self, item: Notice) -> Any:
        return item.issued_at

    def item_updateddate(self, item: Notice) -> Any:
        return item.updated_at
