"""The notice PDF: CPU time per render, peak memory and file size, for a one-page notice and a package of 8
achievements, against WeasyPrint rendering a trivial page with the same font, in the same process.

Run: ``make bench`` (or ``python -m benchmarks.notice_pdf``; on PostgreSQL with
``DJANGO_SETTINGS_MODULE=config.settings.test_postgres``). Prints ratios, never asserts times: these
machines are noisy, so only a ratio measured in the same process means something.

The data: two cases walked through the real services to publicity (filing, review, assessment, the
expert panel, the decision), which issues their notices; then each notice's PDF is rendered again
``BENCH_ROUNDS`` (20) times by ``render_notice_pdf``, the function the issuing task calls.

- **CPU**: ``time.process_time()`` around each render (this process's CPU, so another program on the
  machine slows it less than it slows a wall clock); the median and the 95th percentile.
- **Peak RSS**: ``resource.getrusage(RUSAGE_SELF).ru_maxrss``, the most resident memory the process has
  held since it started, read after the notices' renders and before the baseline's (whose fresh font
  configurations would raise it). ``tracemalloc`` would miss what matters: the fonts live in Pango,
  Fontconfig, FreeType and HarfBuzz, outside Python's allocator. The RSS before the renders is printed
  too (``/proc/self/statm``), so the renders' own share shows.
- **Baseline**: WeasyPrint, used as its documentation shows (``HTML(string=…).write_pdf()``, so a fresh
  font configuration each time), rendering one paragraph of Chinese in Source Han Sans SC Regular
  through the same static-only fetcher. The same page with one font configuration kept across renders
  is printed as well: the least any render with this font can cost.
- **Font reads**: how many times the renders fetched a font file (the fetcher is counted).
- **Garbage collector**: after the set-up (Django, the test data, the issuing renders) and before any
  measured render, ``gc.collect(); gc.freeze()``, as the Celery worker that renders the notices does once
  it has started (``config/celery_app.py``), so a full collection does not walk the set-up's objects. It
  applies to the baseline's renders as much as to the notices'. ``BENCH_FREEZE=0`` measures without it.
"""

from __future__ import annotations

import gc
import logging
import os
import resource
import statistics
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))

TRIVIAL = """<!doctype html><html lang="zh-CN"><head><style>
@font-face { font-family: "Source Han Sans SC"; src: url(/static/fonts/SourceHanSansSC-Regular.otf); }
body { font-family: "Source Han Sans SC"; }
</style></head><body><p>关于科技成果转化的公示</p></body></html>"""


def to_publicity(side: Any, count: int) -> Any:
    """A case of ``count`` achievements walked to publicity as people do it; its notice issued on the way."""
    from tests.factories import file_case, pdf, step
    from transfers import clock
    from transfers.services import cases as svc

    case = svc.case_submit(case=file_case(side, count=count), by=side.applicant)
    case = step(side, case, side.tto_officer, lambda c: svc.case_pass_preliminary_review(case=c, by=side.tto_officer))
    case = step(side, case, side.assessor, lambda c: svc.case_complete_assessment(
        case=c, by=side.assessor, method="agency", agency_name="甘肃衡信资产评估有限公司", report=pdf()))
    case = step(side, case, None, None)  # the expert panel
    return step(side, case, side.decision_secretary, lambda c: svc.case_decide(
        case=c, by=side.decision_secretary, outcome="approve", body="校长办公会", decided_on=clock.now().date(),
        minutes=pdf()))


class FontReads:
    """Counts the fetches of font files by every ``StaticOnlyFetcher`` while active."""

    def __init__(self) -> None:
        from transfers.pdf import StaticOnlyFetcher

        self.count = 0
        self.fetcher_class = StaticOnlyFetcher
        self.original = StaticOnlyFetcher.fetch

    def __enter__(self) -> FontReads:
        original, reads = self.original, self

        def fetch(fetcher: Any, url: str, headers: Any = None) -> Any:
            if url.endswith((".otf", ".ttf", ".woff2")):
                reads.count += 1
            return original(fetcher, url, headers)

        self.fetcher_class.fetch = fetch  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        self.fetcher_class.fetch = self.original  # type: ignore[method-assign]


def measure(render: Callable[[], bytes], rounds: int) -> dict[str, float]:
    render()  # warm: the first render of a process also reads the fonts
    times = []
    for _ in range(rounds):
        began = time.process_time()
        data = render()
        times.append((time.process_time() - began) * 1000)
    return {
        "median": statistics.median(times),
        "p95": statistics.quantiles(times, n=20, method="inclusive")[18],
        "size": len(data) / 1024,
    }


def rss_now_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    setup_test_environment()
    logging.getLogger("celery").setLevel(logging.WARNING)  # the eager tasks of the walk, one line each
    connection.creation.create_test_db(verbosity=0, autoclobber=True)  # a test database left by a killed run
    from pypdf import PdfReader
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from config.celery_app import app as celery_app
    from tests.factories import build_world
    from transfers.models import Notice
    from transfers.pdf import BASE_URL, StaticOnlyFetcher
    from transfers.services.notices import public_base_url, render_notice_pdf

    celery_app.conf.task_always_eager = True
    print(f"database: {connection.vendor}; {ROUNDS} renders each, CPU time (time.process_time); "
          f"gc.freeze() after the set-up: {os.environ.get('BENCH_FREEZE', '1') == '1'}", flush=True)
    world = build_world()
    began = time.perf_counter()
    notices = {
        "notice, 1 achievement": Notice.objects.get(case=to_publicity(world.a, 1)),
        "package, 8 achievements": Notice.objects.get(case=to_publicity(world.a, 8)),
    }
    print(f"data: 2 cases walked to publicity, their notices issued ({time.perf_counter() - began:.1f} s)")
    base_url = public_base_url()
    if os.environ.get("BENCH_FREEZE", "1") == "1":  # as the Celery worker does after start-up
        gc.collect()
        gc.freeze()
    rss_before = rss_now_mb()
    results = {}
    with FontReads() as reads:
        for label, notice in notices.items():
            results[label] = measure(lambda n=notice: render_notice_pdf(n, base_url=base_url), ROUNDS)
            results[label]["pages"] = len(PdfReader(notice.pdf.open("rb")).pages)
    font_reads = reads.count
    peak = peak_rss_mb()

    warm_fonts = FontConfiguration()
    baselines = {
        "baseline: trivial page, WeasyPrint's default": lambda: HTML(
            string=TRIVIAL, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf(),
        "trivial page, one font configuration kept": lambda: HTML(
            string=TRIVIAL, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf(font_config=warm_fonts),
    }
    for label, render in baselines.items():
        results[label] = measure(render, ROUNDS)
    base = results["baseline: trivial page, WeasyPrint's default"]["median"]
    warm = results["trivial page, one font configuration kept"]["median"]

    width = max(len(label) for label in results)
    print()
    print(f"{'render':<{width}}  {'median ms':>9}  {'p95 ms':>7}  {'× baseline':>10}  {'× kept fonts':>12}  "
          f"{'KB':>6}  {'pages':>5}")
    for label, row in results.items():
        print(f"{label:<{width}}  {row['median']:>9.1f}  {row['p95']:>7.1f}  {row['median'] / base:>10.2f}  "
              f"{row['median'] / warm:>12.2f}  {row['size']:>6.1f}  {row.get('pages', 1):>5.0f}")
    print()
    print(f"font files read during the {2 * (ROUNDS + 1)} notice renders: {font_reads}")
    print(f"RSS before the notice renders: {rss_before:.0f} MB; peak RSS after them (ru_maxrss): {peak:.0f} MB")
    one, package = results["notice, 1 achievement"], results["package, 8 achievements"]
    print()
    print("targets:")
    print(f"  CPU median ≤ 1.5× baseline: {one['median'] / base:.2f}× (one page), "
          f"{package['median'] / base:.2f}× (8 achievements)")
    print(f"  p95 ≤ 250 ms (one page): {one['p95']:.0f} ms; ≤ 600 ms (8 achievements): {package['p95']:.0f} ms")
    print(f"  peak RSS ≤ 250 MB: {peak:.0f} MB")
    print(f"  file ≤ 150 KB: {one['size']:.0f} KB, {package['size']:.0f} KB")
    print(f"  fonts read once per process, not per render: {font_reads} reads in {2 * (ROUNDS + 1)} renders")


if __name__ == "__main__":
    main()
