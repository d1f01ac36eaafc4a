"""The public site (no login): notices, their PDF, the Atom feed, verification and objections.

Pages work without JavaScript, revalidate cheaply and answer the same 404 for anything not published,
so nothing can be learned by guessing. Every page and the feed go through ``public_page``: a validator
(ETag, and the list's Last-Modified) covers the page's state, what the clock makes of it and the
reader's language, and every response says ``Vary: Accept-Language, Cookie``.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET
from django_ratelimit.core import is_ratelimited

from . import clock, selectors, wording
from .models import PUBLIC_STATUS_LABELS, PUBLIC_STATUSES, Notice, NoticeKind, NoticeStatus, TransferMode
from .public_forms import ObjectionForm, VerifyForm
from .publicity_clock import days_left
from .services.errors import ActionRefused
from .services.objections import objection_file
from .templatetags.transfers_tags import frozen
from .validators import format_wan_yuan
from .views import client_ip

PAGE_SIZE = 20
logger = logging.getLogger(__name__)
OBJECTION_RATE = "5/h"
#: what a public page depends on besides its URL and the notices: the reader's language (cookie or
#: Accept-Language) and session (the CSRF secret its forms carry, who is signed in)
VARY = ("Accept-Language", "Cookie")


def _objector_key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


# ---- revalidation --------------------------------------------------------------------------


def _revalidates(request: HttpRequest) -> bool:
    """Only an anonymous GET is answered 304: a signed-in reader's header (the notification count)
    changes with no notice changing, and a POST is never conditional."""
    return request.method in ("GET", "HEAD") and not request.user.is_authenticated


def _reader(request: HttpRequest, *, forms: bool) -> str:
    """The part of a validator that follows the reader, not the notices: the active language, and for
    a page with forms a digest of the CSRF secret they carry (a new secret, as after a login, is a
    new page)."""
    if not forms:
        return str(translation.get_language())
    get_token(request)  # the secret the page will carry, also on the first visit
    secret = request.META.get("CSRF_COOKIE", "")
    return f"{translation.get_language()}-{salted_hmac('public-page', secret).hexdigest()[:12]}"


View = Callable[..., HttpResponseBase]


def public_page(
    *,
    etag: Callable[..., str | None] | None = None,
    last_modified: Callable[..., Any] | None = None,
    forms: bool = True,
) -> Callable[[View], View]:
    """Every public page and the feed: revalidated on each visit (``no-cache``), answered 304 only
    when neither the page's state (``etag(request, ...)``) nor the reader's language or session has
    changed, and marked ``Vary: Accept-Language, Cookie`` (a 304 too). ``last_modified`` adds a
    Last-Modified; a browser sends If-None-Match with it, and that one decides. ``forms=False``: the
    response carries no form (the feed), so no CSRF secret is issued for it."""

    def etag_func(request: HttpRequest, *args: Any, **kwargs: Any) -> str | None:
        if etag is None or not _revalidates(request):
            return None
        state = etag(request, *args, **kwargs)
        return None if state is None else f"{state}-{_reader(request, forms=forms)}"

    def last_modified_func(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if last_modified is None or not _revalidates(request):
            return None
        return last_modified(request, *args, **kwargs)

    def decorator(view: View) -> View:
        conditional = cache_control(no_cache=True)(
            condition(etag_func=etag_func, last_modified_func=last_modified_func)(view)
        )

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if "HTTP_IF_NONE_MATCH" not in request.META:
                # a date cannot tell languages apart: without the ETag, no 304 (a full page instead)
                request.META.pop("HTTP_IF_MODIFIED_SINCE", None)
            response = conditional(request, *args, **kwargs)
            patch_vary_headers(response, VARY)
            if request.user.is_authenticated:  # a signed-in reader's page is theirs alone
                patch_cache_control(response, private=True)
            return response

        return wrapper

    return decorator


#: how long a count of the public versions is kept under the newest write it was counted at
LIST_COUNT_TTL = 10  # seconds


def _public_versions(public: Any, newest_write: datetime.datetime) -> int:
    """How many public versions there are: kept in the cache under the newest write, for ``LIST_COUNT_TTL``.
    Counting reads a whole index (about 3 ms at 10,000 notices on PostgreSQL), on every request; the
    newest write moves with every write of a notice, so a publication is counted at once. The count is
    what catches the one write that does not move it: two renders committing out of order, the later one
    timestamped first; the list then lags that notice by at most the TTL. A failing cache is logged and
    the count made, as without it."""
    key = f"transfers:public-list:versions:{newest_write.isoformat()}"
    try:
        versions = cache.get(key)
    except Exception:
        logger.exception("public list: the cache could not be read")
        return int(public.count())
    if versions is None:
        versions = public.count()
        try:
            cache.set(key, versions, timeout=LIST_COUNT_TTL)
        except Exception:
            logger.exception("public list: the count could not be kept")
    return int(versions)


def _list_state(request: HttpRequest) -> tuple[datetime.datetime | None, int]:
    """When the public list last changed and how many versions it holds, once per request. It changes
    on a write, and when a period ends: the status the public reads changes then with nothing written.
    One query of two index seeks, the newest write (``updated_at``) and the latest end of a period that is
    over while its notice still reads in publicity (``status, ends_at``), and the count of the versions,
    kept for a few seconds under the newest write (``_public_versions``): nothing here grows with the
    notices but a count made at most once per write and ``LIST_COUNT_TTL``."""
    state: tuple[datetime.datetime | None, int] | None = getattr(request, "_public_list_state", None)
    if state is None:
        public = selectors.notice_public_list().select_related(None).order_by()
        lapsed = public.filter(status=NoticeStatus.IN_PUBLICITY, ends_at__lte=clock.now()).order_by("-ends_at")
        found = (
            public.order_by("-updated_at")
            .annotate(lapsed=Subquery(lapsed.values("ends_at")[:1]))
            .values("updated_at", "lapsed")
            .first()
        )
        if found is None:
            state = (None, 0)
        else:
            changed = max(m for m in (found["updated_at"], found["lapsed"]) if m is not None)
            state = (changed, _public_versions(public, found["updated_at"]))
        request._public_list_state = state  # type: ignore[attr-defined]
    return state


def _list_last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime.datetime | None:
    return _list_state(request)[0]


def _list_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    changed, versions = _list_state(request)
    return f"list-{versions}-{changed.timestamp() if changed else 0}"


# ---- pages ---------------------------------------------------------------------------------


@require_GET
@public_page(etag=_list_etag, last_modified=_list_last_modified)
def notice_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    notices = selectors.notice_public_rows(status)
    mode = request.GET.get("mode", "")
    if mode in TransferMode.values:
        notices = notices.filter(content__mode_code=mode)  # as published, not as the case reads today
    kind = request.GET.get("kind", "")
    if kind in NoticeKind.values:
        notices = notices.filter(kind=kind)
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    if query:
        notices = notices.filter(Q(search_text__icontains=query) | Q(number__icontains=query))
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page, "q": query, "status": status, "mode": mode, "kind": kind, "kinds": NoticeKind.choices,
        "statuses": [(code, PUBLIC_STATUS_LABELS[code]) for code in PUBLIC_STATUSES],
        "modes": TransferMode.choices,
    }
    return render(request, "public/notice_list.html", context)


def _window(notice: Notice, current: Notice) -> tuple[bool, int | None]:
    """Is the objection window of this version open now, and how many days does the public have?
    Both follow the clock even when nothing is written."""
    if notice.pk != current.pk or not notice.accepts_objections():
        return False, None
    return True, days_left(clock.now(), notice.ends_at, notice.clock_rules(), starts_at=notice.starts_at)


def _versions(request: HttpRequest, number: str) -> list[Notice]:
    """Every public version of the number (``selectors.notice_public_versions``), read once per request:
    the validator and the page share them."""
    read: tuple[str, list[Notice]] | None = getattr(request, "_public_versions", None)
    if read is None or read[0] != number:
        read = (number, selectors.notice_public_versions(number))
        request._public_versions = read  # type: ignore[attr-defined]
    return read[1]


def _version(request: HttpRequest, number: str, version: int | None = None) -> tuple[Notice, Notice, list[Notice]]:
    """The version asked for (the current one when none is), the current one and all of them, else 404."""
    versions = _versions(request, number)
    if not versions:
        raise Http404
    current = versions[-1]
    if version is None:
        return current, current, versions
    for notice in versions:
        if notice.version == version:
            return notice, current, versions
    raise Http404


def _etag(request: HttpRequest, number: str, version: int | None = None, **kwargs: Any) -> str | None:
    """The page's state: the notice (its latest write) and what the clock makes of it."""
    versions = _versions(request, number)
    if not versions:
        return None
    current = versions[-1]
    is_open, left = _window(current, current)
    return (
        f"{number}-{version or 'current'}-{current.version}-{current.updated_at.timestamp()}-"
        f"{current.public_status}-{is_open}-{left}"
    )


def _years(years: list[int]) -> str:
    return pgettext("list separator", "、").join(str(year) for year in sorted(years))


def _detail(request: HttpRequest, number: str, version: int | None = None, form: ObjectionForm | None = None,
            status: int = 200) -> HttpResponse:
    notice, current, versions = _version(request, number, version)
    window_open, left = _window(notice, current)
    context = {
        "notice": notice,
        "c": notice.content,
        "current": current,
        "versions": versions,
        "window_open": window_open,
        "days_left": left,
        "working_days": notice.clock_rules().working_days,
        "fallback_years": _years(notice.calendar_fallback_years or []),
        "form": (form or ObjectionForm()) if window_open else None,  # never a form beside "closed"
        "replies": selectors.notice_public_replies(notice),
    }
    return render(request, "public/notice_detail.html", context, status=status)


@public_page(etag=_etag)
def notice_detail(request: HttpRequest, number: str) -> HttpResponse:
    notice = _version(request, number)[0]
    if request.method != "POST":
        return _detail(request, number)
    form = ObjectionForm(request.POST, request.FILES)
    if not form.is_valid():  # the form's error summary says what to correct (GOV.UK)
        if not notice.accepts_objections():  # the period ended (or an objection suspended it) while they typed
            messages.error(request, _("该公示不在公示期内，不能提出异议。"))
        return _detail(request, number, form=form, status=400)
    # counted per person (the client's address), only for complete submissions: typing errors cost nothing
    if is_ratelimited(request, group="objection", key=_objector_key, rate=OBJECTION_RATE, method="POST",
                      increment=True):
        messages.error(request, _("提交过于频繁，请一小时后再试。"))
        return _detail(request, number, form=form, status=429)
    data = form.cleaned_data
    try:
        objection = objection_file(
            notice=notice, name=data["name"], organisation=data["organisation"], phone=data["phone"],
            email=data["email"], relation=data["relation"], reasons=data["reasons"], evidence=data.get("evidence"),
            ip=client_ip(request),
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return _detail(request, number, form=form, status=400)
    messages.success(
        request,
        _("您的异议已受理，受理编号 %(number)s。公示已暂停，我们将依程序处理并答复。")
        % {"number": objection.confirmation},
    )
    return redirect(notice.get_current_url())


@require_GET
@public_page(etag=_etag)
def notice_version(request: HttpRequest, number: str, version: int) -> HttpResponse:
    return _detail(request, number, version)


def _pdf_response(notice: Notice, *, cache: str) -> FileResponse:
    if not notice.pdf:
        raise Http404
    response = FileResponse(notice.pdf.open("rb"), content_type="application/pdf",
                            filename=f"{notice.number}-v{notice.version}.pdf")
    response["ETag"] = f'"{notice.pdf_sha256}"'
    response["Cache-Control"] = cache
    return response


@require_GET
def notice_pdf(request: HttpRequest, number: str) -> FileResponse:
    """The current version's PDF: revalidated on every visit (a correction replaces it)."""
    return _pdf_response(selectors.notice_public_get(number), cache="public, no-cache")


@require_GET
def notice_version_pdf(request: HttpRequest, number: str, version: int) -> FileResponse:
    """One version's PDF never changes: its bytes are hashed."""
    return _pdf_response(selectors.notice_public_get(number, version), cache="public, max-age=86400, immutable")


@public_page()
def verify(request: HttpRequest) -> HttpResponse:
    """Is this PDF (or this SHA-256) an authentic notice, which version, is it current?"""
    posted = request.method == "POST"  # an empty form sent is still checked (and told what is missing)
    form = VerifyForm(request.POST if posted else None, request.FILES if posted else None)
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

    @method_decorator(public_page(etag=_list_etag, last_modified=_list_last_modified, forms=False))
    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        # the validators are the list's (``public_page`` sets them), not the newest item's date
        del response.headers["Last-Modified"]
        return response

    def items(self) -> Any:
        notices = selectors.notice_public_list().exclude(status=NoticeStatus.SUPERSEDED)
        return notices.select_related(None).defer("search_text").order_by("-issued_at", "-pk")[:50]

    def item_title(self, item: Notice) -> str:
        return f"{item.number} {item.title}"

    def item_description(self, item: Notice) -> SafeString:
        """The summary is HTML that feed readers render: whole sentences in the reader's language,
        every published value escaped."""
        c = item.content
        if item.is_reward:
            return self._reward_description(item)
        terms = str(c.get("price_terms", "")).strip().rstrip("。.")
        values = {
            key: escape(value)
            for key, value in {
                "institution": c.get("institution", ""),
                "mode": frozen(c, "mode"),
                "counterparty": c.get("counterparty", ""),
                "amount": wording.money(c.get("price_value") or c.get("price_amount", "")),
                "terms": terms,
                "start": wording.long_datetime(item.starts_at),
                "end": wording.long_datetime(item.ends_at),
            }.items()
        }
        if values["counterparty"]:
            deal = _("%(institution)s拟以%(mode)s方式向%(counterparty)s转化科技成果。") % values
        else:
            deal = _("%(institution)s拟以%(mode)s方式转化科技成果。") % values
        if values["amount"] and terms:
            price = _("拟交易价格：%(amount)s；%(terms)s。") % values
        elif values["amount"]:
            price = _("拟交易价格：%(amount)s。") % values
        elif terms:
            price = _("拟交易价格：%(terms)s。") % values
        else:
            price = ""
        period = _("公示期：%(start)s 至 %(end)s（北京时间）。") % values
        # each sentence is made of escaped values only: safe to mark as HTML
        return format_html_join("", "<p>{}</p>", ((mark_safe(s),) for s in (deal, price, period) if s))

    def _reward_description(self, item: Notice) -> SafeString:
        c, pools = item.content, item.content.get("pools", {})
        equity = c.get("receipt", {}).get("receipt_kind_code") == "equity"
        amount = (lambda v: _("%(amount)s 万股") % {"amount": format_wan_yuan(Decimal(v))}) if equity else wording.money
        values = {
            "institution": escape(c.get("institution", "")),
            "net": escape(amount(c.get("net", ""))),
            "team": escape(amount(pools.get("team_amount", ""))),
            "pct": escape(wording.percent(pools.get("team_pct", ""))),
            "start": escape(wording.long_datetime(item.starts_at)),
            "end": escape(wording.long_datetime(item.ends_at)),
        }
        split = _("%(institution)s公示科技成果转化收益分配和奖励方案：可分配 %(net)s，其中成果完成团队 %(team)s"
                  "（%(pct)s）。") % values
        period = _("公示期：%(start)s 至 %(end)s（北京时间）。") % values
        return format_html_join("", "<p>{}</p>", ((mark_safe(s),) for s in (split, period)))

    def item_link(self, item: Notice) -> str:
        return item.get_current_url()

    def item_pubdate(self, item: Notice) -> Any:
        return item.issued_at

    def item_updateddate(self, item: Notice) -> Any:
        return item.updated_at
