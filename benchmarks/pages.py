"""What the page benchmarks share (``task_lists``, ``public_pages``): a page fetched through the whole
middleware, its query count, the median of rounds taken in turn, and the ``--profile``/``--sql`` views.
Imported after ``django.setup()``."""

from __future__ import annotations

import logging
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

#: titles the benchmarks' cloned cases and notices take in turn
TITLES = [
    "耐旱马铃薯技术转让", "黄土滑坡监测预警系统", "高原牦牛乳制品加工工艺", "风沙区光伏板清洗机器人",
    "中药材当归规范化种植技术", "寒旱区苜蓿新品种", "兰州百合组培快繁技术", "盐碱地改良微生物菌剂",
    "石油管道腐蚀在线监测装置", "敦煌壁画数字化修复方法", "藜麦高产栽培技术", "稀土永磁材料制备工艺",
    "冻土路基温度场调控技术", "河西走廊节水灌溉控制器", "沙棘果油超临界萃取工艺", "新型锂电池隔膜材料",
    "黄河水沙智能监测平台", "高寒草甸生态修复技术", "肉羊快速育肥饲料配方", "苹果采后保鲜技术",
]


def start_database() -> None:
    """A test database of its own (one a killed run left is replaced), Django's test environment, and
    Celery's eager tasks quiet (one log line each otherwise)."""
    setup_test_environment()
    logging.getLogger("celery").setLevel(logging.WARNING)
    connection.creation.create_test_db(verbosity=0, autoclobber=True)


def get(client: Client, url: str, params: dict[str, str]) -> bytes:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return b"".join(response) if response.streaming else response.content


def query_count(client: Client, url: str, params: dict[str, str]) -> int:
    """The queries of one request with nothing remembered (the navigation's task counts in the cache,
    ``workflows.counts``; the rule packs in the process, ``selectors.rules``), so that counts taken at
    different sizes compare: what the first reader after a start costs."""
    from transfers.selectors import rules

    cache.clear()
    rules._PACKS.clear()
    with CaptureQueriesContext(connection) as ctx:
        get(client, url, params)
    return len(ctx.captured_queries)


def measure(pages: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    """Median milliseconds of each page, the pages taken in turn in every round."""
    for fn in pages.values():  # warm up: templates compiled, caches filled
        fn()
        fn()
    times: dict[str, list[float]] = {label: [] for label in pages}
    for _ in range(rounds):
        for label, fn in pages.items():
            begin = time.perf_counter()
            fn()
            times[label].append((time.perf_counter() - begin) * 1000)
    return {label: statistics.median(values) for label, values in times.items()}


def profile(pages: dict[str, Callable[[], Any]]) -> None:
    """Where each page spends its time (``--profile``): cProfile over 20 requests, the top ``BENCH_TOP`` (25)
    functions by ``BENCH_SORT`` (own time)."""
    import cProfile
    import pstats

    for label, page in pages.items():
        page()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(20):
            page()
        profiler.disable()
        print(f"\n== {label}")
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "tottime"))
        stats.print_stats(int(os.environ.get("BENCH_TOP", "25")))


def sql_times(requests: dict[str, tuple[str, dict[str, str]]], client: Client, *, width: int = 200) -> None:
    """Each query of each page with its time (``--sql``), the median of 5 requests after one to warm up
    (the first reader after a start reads what later ones find remembered), timed around the driver's call."""
    for label, request in requests.items():
        get(client, *request)
        runs: list[list[tuple[str, float]]] = []
        for _ in range(5):
            timed: list[tuple[str, float]] = []

            def clock(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
                began = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    timed.append((sql, time.perf_counter() - began))  # noqa: B023 (this run's list)

            with connection.execute_wrapper(clock):
                get(client, *request)
            runs.append(timed)
        print(f"\n== {label}")
        for i, (sql, _) in enumerate(runs[-1]):
            median = statistics.median(run[i][1] for run in runs if len(run) > i) * 1000
            print(f"{median:7.2f} ms  {sql[:width]}")
