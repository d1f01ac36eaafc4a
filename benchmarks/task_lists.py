"""The reviewer's lists (my tasks ``/work/``, the queue ``/work/queue/``) with 10,000 cases, against a
plain Django ``ListView`` over the same page of 25 cases, in the same process; and their query count
with 100 and with 10,000 cases.

Run: ``make bench`` (or ``python -m benchmarks.task_lists``; on PostgreSQL with
``DJANGO_SETTINGS_MODULE=config.settings.test_postgres``). Prints ratios, never asserts times: these
machines are noisy, so only a ratio measured in the same process means something.

The data: a few cases of each stage walked through the real services (filing, the flow's tasks, claims,
the notice), then cloned row by row with ``bulk_create`` (case, achievement, inventors, process, every
task of the process and the links between them), each clone shifted back in time, with its own title,
achievement, inventor and transfer mode, until the institution holds 10,000 cases (and a second one
1,000, so the queue's per-institution condition has something to exclude).
"""

from __future__ import annotations

import datetime
import os
import sys
import time
import types
import uuid
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.generic import ListView  # noqa: E402

from benchmarks.pages import TITLES, get, measure, profile, query_count, sql_times, start_database  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
CASES = int(os.environ.get("BENCH_CASES", "10000"))  # in the officer's institution
SMALL = 100
OTHER_SHARE = 10  # the other institution holds a tenth as many

#: (target stage, who holds the open task afterwards, weight among the clones); "claimed" is the
#: officer under test, "colleague" another TTO officer, "" nobody (the task waits in the queue)
MIX: list[tuple[str, str, int]] = [
    ("preliminary_review", "", 22),
    ("preliminary_review", "claimed", 5),
    ("preliminary_review", "colleague", 3),
    ("assessment", "", 12),
    ("demonstration", "", 9),
    ("decision", "", 9),
    ("publicity", "", 5),
    ("publicity", "claimed", 1),
    ("objection_review", "", 1),
    ("implementation", "", 6),
    ("implementation", "claimed", 2),
    ("returned", "", 5),
    ("completed", "", 12),
    ("rejected", "", 3),
    ("withdrawn", "", 2),
    ("terminated", "", 1),
]

INVENTORS = ["王𠮷祥", "马堃", "李三", "赵四", "陈静", "刘洋", "杨帆", "周敏", "吴昊", "郑欣", "孙悦", "朱琳"]
MODES = ["assignment", "ordinary_licence", "sole_licence", "exclusive_licence", "equity_investment"]

#: the pages, each with no filter, a search, and filters with a sort
VARIANTS = {
    "plain": {},
    "search": {"q": "马铃薯"},
    "filter+sort": {"mode": "assignment", "overdue": "on", "sort": "-due"},
}
PAGES = {"my tasks /work/": "/work/", "queue /work/queue/": "/work/queue/"}
#: the variant whose navigation counts are counted again on each request (``workflows.counts``)
FORGETTING = ", counts not remembered"
#: each page's plain ListView over the same rows (``SameRowsList``)
SAME_ROWS = {"my tasks /work/": "/bench/rows/mine/", "queue /work/queue/": "/bench/rows/queue/"}


# --------------------------------------------------------------------------------------------
# the baseline: a plain ListView over the same page of 25 cases, minimal template


BASELINE_TEMPLATE = """<!doctype html><html lang="zh-Hans"><head><title>cases</title></head><body>
<table><thead><tr><th>案件编号</th><th>项目名称</th><th>单位</th></tr></thead>
<tbody>{% for case in page_obj %}<tr><td>{{ case.reference }}</td><td>{{ case.title }}</td>
<td>{{ case.institution.name }}</td></tr>{% endfor %}</tbody></table>
<p>{{ page_obj.number }} / {{ paginator.num_pages }}</p></body></html>"""


#: the same rows inside the site's layout (``base.html``: navigation, task counts), to show how much
#: of a list page's time is the layout every page shares rather than the list itself
LAYOUT_TEMPLATE = """{% extends "base.html" %}{% block content %}""" + BASELINE_TEMPLATE.split("<body>")[1].split(
    "</body>"
)[0] + "{% endblock %}"


class BaselineList(ListView):
    paginate_by = 25
    source = BASELINE_TEMPLATE

    def get_queryset(self) -> Any:
        from transfers.models import TransferCase

        institution = self.request.GET.get("institution")
        return TransferCase.objects.filter(institution_id=institution).select_related("institution")

    def get_template_names(self) -> list[str]:
        return []

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> Any:
        template = engines["django"].from_string(self.source)
        return self.response_class(request=self.request, template=template, context=context, **kwargs)


SAME_ROWS_TEMPLATE = """<!doctype html><html lang="zh-Hans"><head><title>tasks</title></head><body>
<table><thead><tr><th>任务</th><th>流程</th><th>收到时间</th></tr></thead>
<tbody>{% for task in page_obj %}<tr><td>{{ task.flow_task.task_title }}</td><td>{{ task.process_id }}</td>
<td>{{ task.created }}</td></tr>{% endfor %}</tbody></table>
<p>{{ page_obj.number }} / {{ paginator.num_pages }}</p></body></html>"""


class SameRowsList(BaselineList):
    """The issue's baseline read literally: a plain ``ListView`` over the same page of rows as a list page
    (the same selector, filters and sort through ``task_list``, Django's paginator), minimal template."""

    source = SAME_ROWS_TEMPLATE
    selector = "mine"

    def get_queryset(self) -> Any:
        from transfers import clock
        from workflows.selectors import TaskFilters, my_tasks, queue, task_list

        given = self.request.GET
        filters = TaskFilters(q=given.get("q", ""), mode=given.get("mode", ""), overdue=bool(given.get("overdue")),
                              sort=given.get("sort", "received"))
        selector = my_tasks if self.selector == "mine" else queue
        return task_list(selector(self.request.user), filters, now=clock.now())


def bench_urlconf() -> types.ModuleType:
    """The project's URLs plus the baseline's, so every page goes through the same resolver."""
    module = types.ModuleType("benchmarks_task_lists_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("bench/baseline/", BaselineList.as_view()),
        path("bench/layout/", BaselineList.as_view(source=LAYOUT_TEMPLATE)),
        path("bench/rows/mine/", SameRowsList.as_view(selector="mine")),
        path("bench/rows/queue/", SameRowsList.as_view(selector="queue")),
        path("", include(settings.ROOT_URLCONF)),
    ]
    return module


# --------------------------------------------------------------------------------------------
# the data


def walk_templates(side: Any, colleague: Any) -> list[tuple[Any, int]]:
    """One case per entry of ``MIX``, walked through the real services; with its weight."""
    from django.utils import timezone

    from tests.factories import experts_of, file_case, registered_contract
    from transfers import clock
    from transfers.services import cases as case_services
    from workflows.management.commands.seed_demo import Command
    from workflows.selectors import open_tasks_of
    from workflows.services import case_act, task_claim

    walker = Command()
    side.users["more_experts"] = experts_of(side, 3)[1:]  # a panel of three, as the demo has
    templates = []
    start = timezone.now() - datetime.timedelta(days=60)
    for index, (target, holder, weight) in enumerate(MIX):
        moment = start + datetime.timedelta(days=index)
        if target in ("publicity", "objection_review"):
            moment = timezone.now() - datetime.timedelta(days=8)  # publicity still running today
        with clock.travel_to(moment):
            case = file_case(side, title=TITLES[index % len(TITLES)])
        walker._walk(case, "implementation" if target == "completed" else target, side.users, moment)
        if target == "completed":  # completing needs its contract recorded and registered first
            case = registered_contract(case)
            case = case_act(case=case, user=side.tto_officer,
                            run=lambda c=case: case_services.case_complete(case=c, by=side.tto_officer))
        if holder:
            task = open_tasks_of(case).get()
            task_claim(task=task, user=side.tto_officer if holder == "claimed" else colleague)
        case.refresh_from_db()
        templates.append((case, weight))
    return templates


def _values(instance: Any, shift: datetime.timedelta, **changes: Any) -> dict[str, Any]:
    values = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, datetime.datetime):
            value -= shift
        values[field.attname] = value
    values.update(changes)
    return values


class Cloner:
    """Clones the template cases of one institution with ``bulk_create``, numbering on."""

    def __init__(self, side: Any, templates: list[tuple[Any, int]]) -> None:
        from django.contrib.contenttypes.models import ContentType
        from viewflow.workflow.models import Process, Task

        from transfers.models import TransferCase
        from workflows.selectors import _case_ct

        self.side = side
        self.count = 0
        self.cycle: list[Any] = [case for case, weight in templates for _ in range(weight)]
        ct = _case_ct()
        assert ct == ContentType.objects.get_for_model(TransferCase)
        self.parts: dict[int, dict[str, Any]] = {}
        for case, _weight in templates:
            process = Process.objects.get(artifact_content_type=ct, artifact_object_id=case.pk)
            tasks = list(Task.objects.filter(process=process).order_by("pk"))
            links = list(
                Task.previous.through.objects.filter(to_task__process=process).values_list(
                    "from_task_id", "to_task_id"
                )
            )
            achievement = case.achievements.get()
            self.parts[case.pk] = {
                "case": case,
                "achievement": achievement,
                "inventors": list(achievement.inventors.order_by("position")),
                "process": process,
                "tasks": tasks,
                "links": links,
            }

    def grow(self, total: int, batch: int = 500) -> None:
        while self.count < total:
            self._batch(min(batch, total - self.count))

    def _batch(self, n: int) -> None:
        from viewflow.workflow.models import Process, Task

        from transfers.models import Achievement, Inventor, TransferCase
        from transfers.services.filing import refresh_search_text

        plans = []
        for i in range(self.count, self.count + n):
            part = self.parts[self.cycle[i % len(self.cycle)].pk]
            plans.append((i, part, datetime.timedelta(minutes=37 * (i + 1))))
        code = self.side.institution.code
        cases = TransferCase.objects.bulk_create(
            TransferCase(
                **_values(
                    part["case"],
                    shift,
                    public_id=uuid.uuid4(),
                    reference=f"{code}-{2025 - i // 5000}-{10000 + i:05d}",
                    title=TITLES[i % len(TITLES)],
                    mode=MODES[i % len(MODES)],
                )
            )
            for i, part, shift in plans
        )
        achievements = Achievement.objects.bulk_create(
            Achievement(
                **_values(part["achievement"], shift, title=f"成果{i}号：{TITLES[(i * 7) % len(TITLES)]}方法")
            )
            for i, part, shift in plans
        )
        through = TransferCase.achievements.through
        through.objects.bulk_create(
            through(transfercase_id=case.pk, achievement_id=achievement.pk)
            for case, achievement in zip(cases, achievements, strict=True)
        )
        Inventor.objects.bulk_create(
            Inventor(
                **_values(
                    inventor,
                    datetime.timedelta(0),
                    achievement_id=achievement.pk,
                    name=INVENTORS[(i + k) % len(INVENTORS)],
                )
            )
            for (i, part, _shift), achievement in zip(plans, achievements, strict=True)
            for k, inventor in enumerate(part["inventors"])
        )
        refresh_search_text(case.pk for case in cases)  # what the services keep, as they keep it
        processes = Process.objects.bulk_create(
            Process(**_values(part["process"], shift, artifact_object_id=case.pk))
            for (_i, part, shift), case in zip(plans, cases, strict=True)
        )
        new_tasks = []
        for (_i, part, shift), process in zip(plans, processes, strict=True):
            for task in part["tasks"]:
                new_tasks.append(Task(**_values(task, shift, process_id=process.pk)))
        Task.objects.bulk_create(new_tasks)
        assert all(task.pk for task in new_tasks), "bulk_create must return primary keys"
        links = []
        position = 0
        for _i, part, _shift in plans:
            old = part["tasks"]
            mapping = {t.pk: new_tasks[position + k].pk for k, t in enumerate(old)}
            position += len(old)
            links.extend(
                Task.previous.through(from_task_id=mapping[a], to_task_id=mapping[b]) for a, b in part["links"]
            )
        Task.previous.through.objects.bulk_create(links)
        self.count += n


# --------------------------------------------------------------------------------------------
# the measurement


def rows_of(content: bytes) -> int:
    return content.count(b"<tr") - 1  # less the header


def main() -> None:
    start_database()
    from tests.factories import UserFactory, build_world
    from transfers.models import Membership, TransferCase

    print(f"database: {connection.vendor}; {ROUNDS} rounds, median", flush=True)
    began = time.perf_counter()
    world = build_world()
    colleagues = {}
    for side in (world.a, world.b):
        colleague = UserFactory(username=f"{side.institution.code.lower()}_tto_officer_2")
        Membership.objects.create(user=colleague, institution=side.institution, role="tto_officer")
        colleagues[side.institution.pk] = colleague
    cloners = []
    for side in (world.a, world.b):
        templates = walk_templates(side, colleagues[side.institution.pk])
        cloners.append(Cloner(side, templates))
    walked = time.perf_counter() - began
    tto = world.a.tto_officer
    institution = str(world.a.institution.pk)

    client = Client()
    client.force_login(tto)
    requests: dict[str, tuple[str, dict[str, str]]] = {
        "baseline ListView": ("/bench/baseline/", {"institution": institution}),
        "ListView in base.html": ("/bench/layout/", {"institution": institution}),
    }
    for page, url in PAGES.items():
        for variant, params in VARIANTS.items():
            requests[f"{page} {variant}"] = (url, params)
            requests[f"  ListView, same rows ({page.split(' /')[0]}, {variant})"] = (SAME_ROWS[page], params)
            if variant == "plain":  # the navigation's counts counted again (a task changed since the last page)
                requests[f"{page} {variant}, counts not remembered"] = (url, params)

    def sizes() -> str:
        a = TransferCase.objects.filter(institution=world.a.institution).count()
        b = TransferCase.objects.exclude(institution=world.a.institution).count()
        from viewflow.workflow.models import Task

        return f"{a} + {b} cases, {Task.objects.count()} tasks"

    with override_settings(ROOT_URLCONF=bench_urlconf()):
        cloners[0].grow(SMALL - len(MIX))
        cloners[1].grow(SMALL // OTHER_SHARE)
        small_sizes = sizes()
        small = {label: query_count(client, *request) for label, request in requests.items()}

        began_clone = time.perf_counter()
        cloners[0].grow(CASES - len(MIX))
        cloners[1].grow(CASES // OTHER_SHARE - len(MIX))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics for the planner, as a live database keeps
        cloned = time.perf_counter() - began_clone
        large_sizes = sizes()
        print(
            f"data: {len(MIX)} cases per institution walked through the services and the rest cloned "
            f"({walked:.1f} s + {cloned:.1f} s); small: {small_sizes}; large: {large_sizes}",
            flush=True,
        )
        large = {label: query_count(client, *request) for label, request in requests.items()}
        rows = {label: rows_of(get(client, *request)) for label, request in requests.items()}
        totals = {}
        from workflows.selectors import my_tasks, queue

        totals["my tasks /work/"] = my_tasks(tto).count()
        totals["queue /work/queue/"] = queue(tto).count()
        print(f"open tasks of the officer: {totals}", flush=True)

        pages = {label: (lambda r=request: get(client, *r)) for label, request in requests.items()}
        for label, request in requests.items():
            if label.endswith(FORGETTING):
                pages[label] = lambda r=request: (cache.clear(), get(client, *r))
        if "--profile" in sys.argv:
            profile(pages)
            return
        if "--sql" in sys.argv:
            sql_times(requests, client, width=160)
            explain(tto)
            return
        medians = measure(pages, ROUNDS)

    base = medians["baseline ListView"]
    labels = list(requests)
    # each list page against the ListView over its own rows (the line after it; for the variant that
    # counts the navigation again, the same rows as the unfiltered page)
    same = {label: labels[i + 1] for i, label in enumerate(labels)
            if label.startswith(tuple(PAGES)) and not label.endswith(FORGETTING)}
    same.update({label: labels[i - 1] for i, label in enumerate(labels) if label.endswith(FORGETTING)})
    width = max(len(label) for label in requests)
    print()
    print(f"{'page':<{width}}  {'rows':>4}  {'median ms':>9}  {'× case ListView':>15}  {'× same rows':>11}  "
          f"{'queries':>7}  {'at 100':>6}")
    for label in requests:
        versus = f"{medians[label] / medians[same[label]]:.2f}" if label in same else ""
        print(
            f"{label:<{width}}  {rows[label]:>4}  {medians[label]:>9.1f}  {medians[label] / base:>15.2f}  "
            f"{versus:>11}  {large[label]:>7}  {small[label]:>6}"
        )
    slow = [label for label in same if medians[label] / medians[same[label]] > 2]
    grew = [label for label in requests if large[label] != small[label]]
    print()
    print(f"slower than 2× the ListView over the same rows: {', '.join(slow) or 'none'}")
    print(f"query count not the same with {SMALL} and {CASES} cases: {', '.join(grew) or 'none'}")
    if "--explain" in sys.argv:
        explain(tto)


def explain(user: Any) -> None:
    """The plan of each list's page query (``--explain``)."""
    from django.core.paginator import Paginator

    from transfers import clock
    from workflows.selectors import TaskFilters, my_tasks, queue, task_list

    for name, selector in (("my tasks", my_tasks), ("queue", queue)):
        for variant, params in VARIANTS.items():
            filters = TaskFilters(
                q=params.get("q", ""),
                mode=params.get("mode", ""),
                overdue=bool(params.get("overdue")),
                sort=params.get("sort", "received"),
            )
            tasks = task_list(selector(user), filters, now=clock.now())
            page = Paginator(tasks, 25).get_page(1)
            print(f"\n== {name} {variant}: page\n{page.object_list.explain()}")


if __name__ == "__main__":
    main()
