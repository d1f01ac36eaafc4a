"""How much the tenancy selector costs over the plain query it guards, and how many queries the
case page and the inbox make as the data grows.

Run: ``make bench`` (or ``python -m benchmarks.case_visibility``). Prints ratios, never asserts
times: these machines are noisy, so only a ratio measured in the same process means something.
"""

from __future__ import annotations

import os
import statistics
import timeit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def main() -> None:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    from tests.factories import build_world, file_case
    from transfers.models import Stage, TransferCase
    from transfers.selectors import cases_visible_to
    from transfers.services import cases as svc

    world = build_world()
    for side in (world.a, world.b):
        for n in range(150):
            case = file_case(side, count=1 + n % 3)
            if n % 4:
                svc.case_submit(case=case, by=side.applicant)
    tto = world.a.tto_officer

    def selector() -> int:
        return len(list(cases_visible_to(tto)))

    def baseline() -> int:
        return len(
            list(TransferCase.objects.filter(institution=world.a.institution).exclude(stage=Stage.DRAFT))
        )

    assert selector() == baseline()
    runs = 7
    sel = statistics.median(timeit.repeat(selector, number=20, repeat=runs))
    base = statistics.median(timeit.repeat(baseline, number=20, repeat=runs))
    print(f"cases_visible_to / plain institution query: {sel / base:.2f}x  ({runs} runs, median)")

    client = Client()
    client.force_login(world.a.applicant)
    small = file_case(world.a, count=1)
    large = file_case(world.a, count=3)
    counts = {}
    for label, case in (("1 achievement", small), ("3 achievements", large)):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(case.get_absolute_url()).status_code == 200
        counts[label] = len(ctx.captured_queries)
    print(f"case page queries: {counts}")
    client.force_login(tto)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/work/")
    print(
        f"inbox queries with {TransferCase.objects.filter(stage='preliminary_review').count()} open tasks: "
        f"{len(ctx.captured_queries)}"
    )


if __name__ == "__main__":
    main()
