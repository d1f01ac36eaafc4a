"""What the public pages cost the database: a few queries whatever the number of notices, the list never
reading a notice's case or frozen content, and on SQLite no page query that scans the notices (the list,
its filters and the feed read an index and stop after their rows). ``benchmarks/public_pages.py``
measures the times."""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.public.test_feed import publish
from transfers.models import Notice
from transfers.selectors import rules

pytestmark = pytest.mark.django_db

def corrected(side) -> Notice:
    """A notice in publicity corrected by the TTO officer from the case page: v1 superseded, v2 current."""
    from tests.public.test_corrections import CORRECTED

    case = publish(side).case
    officer = Client()
    officer.force_login(side.tto_officer)
    assert officer.post(reverse("transfers:notice_correct", args=[case.public_id]), CORRECTED).status_code == 302
    return Notice.objects.get(case=case, version=2)


def more_notices(model: Notice, count: int) -> None:
    """``count`` more published notices like ``model`` (its content, status and PDF), each its own number."""
    values = {f.attname: getattr(model, f.attname) for f in Notice._meta.concrete_fields if not f.primary_key}
    Notice.objects.bulk_create(
        Notice(**{**values, "number": f"{model.number[:-3]}{900 + i}", "sequence": 900 + i, "version": 1,
                  "pdf_sha256": hashlib.sha256(str(i).encode()).hexdigest()})
        for i in range(count)
    )


PAGES = {
    "list": (reverse("public:notice_list"), {}),
    "list, a search and filters": (reverse("public:notice_list"), {"q": "马铃薯", "status": "in_publicity",
                                                                   "kind": "transfer", "mode": "assignment"}),
    "list, page 2": (reverse("public:notice_list"), {"page": "2"}),
    "feed": (reverse("public:notice_feed"), {}),
}


def queries(client, url, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
        assert response.status_code == 200
        b"".join(response) if response.streaming else response.content  # noqa: B018 (the whole body)
    return [query["sql"] for query in captured.captured_queries]


def test_each_public_page_takes_at_most_five_queries_however_many_notices(client, world):
    notice = corrected(world.a)
    publish(world.b)
    pages = {**PAGES, "notice": (notice.get_current_url(), {}), "superseded version": (
        notice.get_absolute_url().replace("/v2/", "/v1/"), {})}
    def cold(url, params):  # as the first reader after a start: the rule packs not read, nothing cached
        rules._PACKS.clear()
        cache.clear()
        return len(queries(client, url, params))

    few = {page: cold(url, params) for page, (url, params) in pages.items()}
    more_notices(notice, 60)
    many = {page: cold(url, params) for page, (url, params) in pages.items()}
    assert many == few
    assert all(count <= 5 for count in many.values()), many
    # a notice's page reads its versions once for the validator and the page, then the rules they follow
    assert many["notice"] <= 3 and many["superseded version"] <= 3
    # the rules, immutable, are read once per process: the next reader's page reads them no more
    assert len(queries(client, *pages["notice"])) == many["notice"] - 1
    # the list's count of versions is kept under the newest write: the next reader's list does not count
    assert cold(*pages["list"]) == many["list"]
    assert len(queries(client, *pages["list"])) == many["list"] - 1


def test_a_notice_page_shows_the_version_asked_for_and_links_the_current_one(client, world):
    notice = corrected(world.a)
    old = client.get(notice.get_absolute_url().replace("/v2/", "/v1/")).content.decode()
    assert "已被更正版本取代" in old and f'href="{notice.get_current_url()}"' in old and "提交异议" not in old
    current = client.get(notice.get_current_url()).content.decode()
    assert "已被更正版本取代" not in current and "拟受让方名称及价格录入有误" in current and "提交异议" in current
    for missing in (notice.get_absolute_url().replace("/v2/", "/v9/"),
                    notice.get_current_url().replace(notice.number, notice.number[:-3] + "999")):
        assert client.get(missing).status_code == 404


def test_the_list_reads_neither_the_case_nor_the_frozen_content(client, world):
    publish(world.a)
    for sql in queries(client, reverse("public:notice_list")):
        assert "transfers_transfercase" not in sql
        assert '"content"' not in sql.split(" FROM ")[0] and '"search_text"' not in sql.split(" FROM ")[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL plans a small table with a scan")
def test_the_list_and_the_feed_read_an_index_not_every_notice(client, world):
    """No query of the list (unfiltered or filtered by status and kind) or of the feed scans the notices:
    with 10,000 they would read every row. (A search looks in every notice's words: it is not here.)"""
    more_notices(publish(world.a), 200)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    pages = [(reverse("public:notice_list"), {}), (reverse("public:notice_list"), {"status": "in_publicity"}),
             (reverse("public:notice_list"), {"kind": "reward"}), (reverse("public:notice_feed"), {})]
    for url, params in pages:
        for sql in queries(client, url, params):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plan = [row[-1] for row in cursor.fetchall()]
            scans = [step for step in plan if step.startswith("SCAN") and "INDEX" not in step]
            assert not scans, (url, params, sql, plan)


def test_the_objection_form_is_rendered_once_per_language_and_a_reader_s_errors_each_time(world):
    from tests.public.test_notices import to_publicity

    url = Notice.objects.get(case=to_publicity(world.a)).get_current_url()

    def fields_rendered(client: Client, **kwargs) -> tuple[bool, str]:
        response = client.get(url, **kwargs)
        page = response.content.decode()
        return "transfers/_field.html" in [t.name for t in response.templates], page

    Client().get(url)  # the first reader of this process and language renders it
    rendered, page = fields_rendered(Client())
    assert not rendered and 'name="reasons"' in page and "每个文件不超过" in page
    rendered, english = fields_rendered(Client(), HTTP_ACCEPT_LANGUAGE="en")
    assert "Grounds for objection" in english and "each file at most" in english
    assert "每个文件不超过" not in english  # never the other language's copy
    # a reader's own answer comes back with their words and the errors, rendered for them
    response = Client().post(url, {"name": "张三", "relation": "同领域研究人员", "reasons": "太短"})
    page = response.content.decode()
    assert "transfers/_field.html" in [t.name for t in response.templates]
    assert 'value="张三"' in page and "异议理由不少于" in page
