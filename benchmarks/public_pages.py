"""The public pages (the notice list ``/notices/``, a notice's page and the Atom feed) with 100 and with
10,000 published notices, against Django's generic ``ListView``/``DetailView`` rendering the same notices
through the same ``base.html``, in the same process; and their query counts at both sizes.

Run: ``make bench`` (or ``python -m benchmarks.public_pages``; on PostgreSQL with
``DJANGO_SETTINGS_MODULE=config.settings.test_postgres``). Prints ratios, never asserts times: these
machines are noisy, so only a ratio measured in the same process means something.

The data: the demo (``seed_demo``: two institutions, every stage walked through the real services, so
transfer notices in publicity, suspended, corrected, withdrawn and ended, and reward notices), then each
published notice number cloned with ``bulk_create`` (every version of it, under a new number, shifted back
in time, with its own title; a clone whose period is over reads ended, as the daily closing job leaves it)
until the public site holds 10,000 notices.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import io
import os
import sys
import time
import types
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.generic import DetailView, ListView  # noqa: E402

from benchmarks.pages import TITLES, get, measure, profile, query_count, sql_times, start_database  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
NOTICES = int(os.environ.get("BENCH_NOTICES", "10000"))
SMALL = 100


#: the list, unfiltered and as the public filters it
VARIANTS = {
    "plain": {},
    "search": {"q": "马铃薯"},  # one notice in twenty: its matches grow with the notices
    "search, one title": {"q": "第7号"},  # one cloned number's versions, whatever the size
    "search, one number": {"q": "100007"},  # the same number, by its digits
    "filter": {"status": "in_publicity", "kind": "transfer"},
}


# --------------------------------------------------------------------------------------------
# the baselines: Django's generic views over the same notices, through the same base.html


LIST_TEMPLATE = """{% extends "base.html" %}{% block content %}<h1>公示</h1>
<table><thead><tr><th>标题</th><th>公示编号</th><th>单位</th><th>公示期</th><th>状态</th></tr></thead>
<tbody>{% for n in page_obj %}<tr><th><a href="{{ n.get_current_url }}">{{ n.title }}</a></th>
<td>{{ n.number }}{% if n.version > 1 %} v{{ n.version }}{% endif %}</td><td>{{ n.institution.name }}</td>
<td>{{ n.starts_at|date:"Y-m-d" }} — {{ n.ends_at|date:"Y-m-d H:i" }}</td><td>{{ n.get_status_display }}</td></tr>
{% endfor %}</tbody></table><p>{{ page_obj.number }} / {{ paginator.num_pages }}</p>{% endblock %}"""

#: the feed's 50 entries as a page: title, link, the summary's values, the dates
FEED_TEMPLATE = """{% extends "base.html" %}{% block content %}<h1>公示</h1><ul>{% for n in object_list %}
<li><a href="{{ n.get_current_url }}">{{ n.number }} {{ n.title }}</a><p>{{ n.content.institution }}
{{ n.content.counterparty }} {{ n.content.price_amount }} {{ n.content.net }} {{ n.starts_at }} {{ n.ends_at }}</p>
<p>{{ n.issued_at }} {{ n.updated_at }}</p></li>{% endfor %}</ul>{% endblock %}"""

#: the notice with its text (the body both the page and the PDF use), status and period
DETAIL_TEMPLATE = """{% extends "base.html" %}{% block content %}<p>{{ notice.get_status_display }}
{{ notice.ends_at|date:"Y-m-d H:i" }}</p><p><a href="{{ notice.get_pdf_url }}">PDF</a> {{ notice.pdf_sha256 }}</p>
{% with c=notice.content %}{% include notice.body_template %}{% endwith %}{% endblock %}"""


#: the same with the objection form a notice in publicity carries, rendered as the notice page renders it
DETAIL_FORM_TEMPLATE = DETAIL_TEMPLATE.replace("{% endblock %}", """<section><h2>提出异议</h2>
<form method="post" enctype="multipart/form-data">{% csrf_token %}{% for field in form %}
{% include "transfers/_field.html" %}{% endfor %}<button>提交异议</button></form></section>{% endblock %}""")


def public_notices() -> Any:
    from transfers.models import Notice, NoticeStatus

    return Notice.objects.exclude(status=NoticeStatus.PENDING).exclude(pdf_sha256="")


class FromString:
    source = ""

    def get_template_names(self) -> list[str]:
        return []

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> Any:
        template = engines["django"].from_string(self.source)
        return self.response_class(request=self.request, template=template, context=context,  # type: ignore[attr-defined]
                                   **kwargs)


class BaselineList(FromString, ListView):
    """The public list's rows (every public notice but superseded versions, newest first, 20 a page)."""

    paginate_by = 20
    source = LIST_TEMPLATE

    def get_queryset(self) -> Any:
        from django.db.models import Q

        from transfers.models import NoticeStatus

        notices = (public_notices().exclude(status=NoticeStatus.SUPERSEDED).select_related("institution")
                   .order_by("-issued_at", "-pk"))
        query = self.request.GET.get("q", "")
        if query:  # the same notices as the search finds: the same words in the same column
            notices = notices.filter(Q(search_text__icontains=query) | Q(number__icontains=query))
        return notices


class BaselineFeed(FromString, ListView):
    """The feed's 50 newest entries."""

    source = FEED_TEMPLATE

    def get_queryset(self) -> Any:
        from transfers.models import NoticeStatus

        return public_notices().exclude(status=NoticeStatus.SUPERSEDED).order_by("-issued_at")[:50]


class BaselineDetail(FromString, DetailView):
    """A notice's current version."""

    source = DETAIL_TEMPLATE
    context_object_name = "notice"

    def get_object(self, queryset: Any = None) -> Any:
        from django.http import Http404

        notice = public_notices().filter(number=self.kwargs["number"]).order_by("-version").first()
        if notice is None:
            raise Http404
        return notice


class BaselineDetailForm(BaselineDetail):
    """A notice's current version and a blank objection form."""

    source = DETAIL_FORM_TEMPLATE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from transfers.public_forms import ObjectionForm

        return {**super().get_context_data(**kwargs), "form": ObjectionForm()}


def bench_urlconf() -> types.ModuleType:
    """The project's URLs plus the baselines', so every page goes through the same resolver."""
    module = types.ModuleType("benchmarks_public_pages_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("bench/list/", BaselineList.as_view()),
        path("bench/feed/", BaselineFeed.as_view()),
        path("bench/detail/<str:number>/", BaselineDetail.as_view()),
        path("bench/detail-form/<str:number>/", BaselineDetailForm.as_view()),
        path("", include(settings.ROOT_URLCONF)),
    ]
    return module


# --------------------------------------------------------------------------------------------
# the data


class Cloner:
    """Clones every published notice number (all its versions) with ``bulk_create``, numbering on: a
    clone keeps the content, status and PDF of its model and gets its own number, title and dates."""

    def __init__(self) -> None:
        groups: dict[str, list[Any]] = {}
        for notice in public_notices().order_by("number", "version"):
            groups.setdefault(notice.number, []).append(notice)
        self.groups = list(groups.values())
        self.made = 0  # numbers cloned

    def grow(self, total: int, batch: int = 500) -> None:
        """Until the public site holds ``total`` notices (versions)."""
        from transfers.models import Notice

        while (have := public_notices().count()) < total:
            rows = []
            while len(rows) < min(batch, total - have):
                rows.extend(self._clone(self.groups[self.made % len(self.groups)], self.made))
                self.made += 1
            Notice.objects.bulk_create(rows)

    @staticmethod
    def _clone(versions: list[Any], i: int) -> list[Any]:
        from transfers import clock
        from transfers.models import Notice, NoticeStatus
        from transfers.services.notices import search_text

        now = clock.now()
        shift = datetime.timedelta(minutes=53 * (i + 1))
        first = versions[0]
        year = 2025 - i // 20000
        number = f"{first.institution.code}-{first.number.split('-')[1]}-{year}-{100000 + i}"
        title = f"{TITLES[i % len(TITLES)]}（第{i}号）"
        rows = []
        for notice in versions:
            values = {field.attname: getattr(notice, field.attname) for field in Notice._meta.concrete_fields
                      if not field.primary_key}
            for name, value in values.items():
                if isinstance(value, datetime.datetime):
                    values[name] = value - shift
            content = copy.deepcopy(notice.content)
            content["title"] = title
            if values["status"] == NoticeStatus.IN_PUBLICITY and values["ends_at"] <= now:
                values["status"] = NoticeStatus.ENDED  # what the daily closing job makes of a period over
            values.update(
                number=number, year=year, sequence=100000 + i, title=title, content=content,
                search_text=search_text(title, content),
                pdf_sha256=hashlib.sha256(f"{number}-v{notice.version}".encode()).hexdigest(),
            )
            rows.append(Notice(**values))
        return rows


# --------------------------------------------------------------------------------------------
# the measurement


#: the notice page in publicity also against the DetailView that renders its objection form too
WITH_FORM = {"notice page, in publicity": "  the same + objection form"}


def requests_for(open_one: str, ended: str) -> tuple[dict[str, tuple[str, dict[str, str]]], dict[str, str]]:
    """Each page and, for each, the label of the generic view it is judged against."""
    requests: dict[str, tuple[str, dict[str, str]]] = {
        "ListView in base.html": ("/bench/list/", {}),
        **{f"  the same, {variant}": ("/bench/list/", params) for variant, params in VARIANTS.items()
           if variant.startswith("search")},
        "DetailView in base.html": (f"/bench/detail/{open_one}/", {}),
        "  the same + objection form": (f"/bench/detail-form/{open_one}/", {}),
        "DetailView, ended notice": (f"/bench/detail/{ended}/", {}),
        "ListView of the feed's 50": ("/bench/feed/", {}),
    }
    against = {}
    for variant, params in VARIANTS.items():
        requests[f"list /notices/ {variant}"] = ("/notices/", params)
        # a search against a ListView of the same notices (it must look at every notice's words too)
        same = f"  the same, {variant}" if variant.startswith("search") else "ListView in base.html"
        against[f"list /notices/ {variant}"] = same
    requests["notice page, in publicity"] = (f"/notices/{open_one}/", {})
    against["notice page, in publicity"] = "DetailView in base.html"
    requests["notice page, ended"] = (f"/notices/{ended}/", {})
    against["notice page, ended"] = "DetailView, ended notice"
    requests["feed /notices/feed/"] = ("/notices/feed/", {})
    against["feed /notices/feed/"] = "ListView of the feed's 50"
    return requests, against


def main() -> None:
    start_database()
    from django.core.management import call_command

    from transfers.models import Notice, NoticeKind, NoticeStatus

    print(f"database: {connection.vendor}; {ROUNDS} rounds, median", flush=True)
    began = time.perf_counter()
    call_command("seed_demo", stdout=io.StringIO())
    walked = time.perf_counter() - began
    cloner = Cloner()
    # the page of a transfer notice in publicity (its objection form shown) and of an ended one, the demo's first
    transfers = public_notices().filter(kind=NoticeKind.TRANSFER).order_by("pk").values_list("number", flat=True)
    open_one = transfers.filter(status=NoticeStatus.IN_PUBLICITY).first()
    ended = transfers.filter(status=NoticeStatus.ENDED).first()
    requests, against = requests_for(open_one, ended)
    client = Client()  # the public: nobody signed in

    def sizes() -> str:
        public = public_notices()
        return (f"{public.count()} public notices ({public.filter(kind=NoticeKind.REWARD).count()} reward, "
                f"{public.filter(status=NoticeStatus.SUPERSEDED).count()} superseded), "
                f"{Notice.objects.values('number').distinct().count()} numbers")

    pages = {label: (lambda r=request: get(client, *r)) for label, request in requests.items()}
    results: dict[int, tuple[dict[str, int], dict[str, float]]] = {}
    with override_settings(ROOT_URLCONF=bench_urlconf()):
        for size in (SMALL, NOTICES):
            began = time.perf_counter()
            cloner.grow(size)
            with connection.cursor() as cursor:  # fresh statistics and visibility, as autovacuum keeps them
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
            cache.clear()  # the clones are written without their ``updated_at`` moving: the list counts them afresh
            print(f"{sizes()} ({len(cloner.groups)} numbers walked through the services in {walked:.1f} s, "
                  f"cloned in {time.perf_counter() - began:.1f} s)", flush=True)
            counts = {label: query_count(client, *request) for label, request in requests.items()}
            if size == NOTICES and "--profile" in sys.argv:
                profile(pages)
                return
            if size == NOTICES and "--sql" in sys.argv:
                sql_times(requests, client)
                explain()
                return
            results[size] = (counts, measure(pages, ROUNDS))

    width = max(len(label) for label in requests)
    for size, (counts, medians) in results.items():
        print(f"\nwith {size} public notices")
        print(f"{'page':<{width}}  {'median ms':>9}  {'× generic view':>14}  {'× with form':>11}  {'queries':>7}")
        for label in requests:
            versus = f"{medians[label] / medians[against[label]]:.2f}" if label in against else ""
            form = f"{medians[label] / medians[WITH_FORM[label]]:.2f}" if label in WITH_FORM else ""
            print(f"{label:<{width}}  {medians[label]:>9.1f}  {versus:>14}  {form:>11}  {counts[label]:>7}")
    (small, _), (large, medians) = results[SMALL], results[NOTICES]
    slow = [label for label in against if medians[label] / medians[against[label]] > 1.5]
    many = [label for label in against if large[label] > 5]
    grew = [label for label in requests if large[label] != small[label]]
    print()
    print(f"slower than 1.5× the generic view with {NOTICES} notices: {', '.join(slow) or 'none'}")
    print(f"more than 5 queries: {', '.join(many) or 'none'}")
    print(f"query count not the same with {SMALL} and {NOTICES} notices: {', '.join(grew) or 'none'}")
    if "--explain" in sys.argv:
        explain()


def explain() -> None:
    """The plan of every query the list and the feed make (``--explain``): the pages' own queries, as sent."""
    for label, url, params in (("list", "/notices/", {}), ("list search", "/notices/", VARIANTS["search"]),
                               ("list filter", "/notices/", VARIANTS["filter"]), ("feed", "/notices/feed/", {})):
        with CaptureQueriesContext(connection) as captured:
            get(Client(), url, params)
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql)
                plan = "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())
            print(f"\n== {label}: {sql[:160]}\n{plan}")


if __name__ == "__main__":
    main()
