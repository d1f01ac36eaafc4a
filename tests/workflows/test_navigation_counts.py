"""The navigation's counts are remembered per reader (``workflows.counts``) and never outlive a change:
a task opened, claimed or completed, a role granted, a substitution made or one that starts with the day
shows on the very next page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from tests.workflows.test_inbox import claim, page, second_officer, submit
from transfers import clock
from transfers.services import institutions
from transfers.services.substitutions import substitution_create
from workflows import counts
from workflows.selectors import task_counts

pytestmark = pytest.mark.django_db

CASES = reverse("transfers:case_list")


def badges(html: str) -> tuple[str, str]:
    mine = re.search(r'我的待办 <span class="badge count">([^<]*)</span>', html)
    queued = re.search(r'待认领 <span class="badge count">([^<]*)</span>', html)
    assert mine and queued, "both badges shown"
    return mine.group(1), queued.group(1)


def task_counts_run(client) -> int:
    """How many counts of tasks a page of the case list asks the database for."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CASES).status_code == 200
    return sum(1 for q in queries.captured_queries if "COUNT(" in q["sql"] and "viewflow_task" in q["sql"])


def test_the_counts_are_counted_once_and_again_only_after_a_task_changes(client, world):
    officer = world.a.tto_officer
    first = submit(world.a)
    assert badges(page(client, officer, CASES)) == ("0", "1")
    assert task_counts_run(client) == 0  # remembered: the next page counts nothing
    second = submit(world.a)  # a task opens in the officer's queue
    assert badges(page(client, officer, CASES)) == ("0", "2")
    claim(client, officer, first)
    assert badges(page(client, officer, CASES)) == ("1", "1")
    assert task_counts_run(client) == 0
    # another officer claims the second: the first officer's queue empties at once
    claim(client, second_officer(world.a), second)
    assert badges(page(client, officer, CASES)) == ("1", "0")


def test_a_role_granted_or_taken_shows_in_the_queue_count_at_once(client, world):
    submit(world.a)  # a preliminary review for the TTO officers
    colleague = UserFactory(username="aaa_assessor_2")
    admin = world.a.institution_admin
    institutions.member_add(institution=world.a.institution, by=admin, username=colleague.username,
                            roles=["assessor"])
    assert badges(page(client, colleague, CASES)) == ("0", "0")
    institutions.member_set_roles(institution=world.a.institution, by=admin, member=colleague,
                                  roles=["assessor", "tto_officer"], external=False)
    assert badges(page(client, colleague, CASES)) == ("0", "1")
    institutions.member_set_roles(institution=world.a.institution, by=admin, member=colleague,
                                  roles=["assessor"], external=False)
    assert badges(page(client, colleague, CASES)) == ("0", "0")


def test_a_failing_cache_costs_the_badges_nothing_but_time(client, world, monkeypatch):
    submit(world.a)
    logged = []

    def down(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(cache, "get_many", down)
    monkeypatch.setattr(cache, "add", down)
    monkeypatch.setattr(counts.logger, "exception", lambda message, *args: logged.append(message))
    assert badges(page(client, world.a.tto_officer, CASES)) == ("0", "1")  # counted, not remembered
    submit(world.a)  # the bump after the commit fails quietly: the submission stands
    assert badges(page(client, world.a.tto_officer, CASES)) == ("0", "2")
    assert "task counts: the generation could not be bumped" in logged


def test_a_count_read_before_a_change_is_not_remembered_after_it(world):
    officer = world.a.tto_officer
    submit(world.a)
    before = counts.generation()
    submit(world.a)  # a change commits between the page's own count and the badges
    stale = {"queue": 1}
    assert task_counts(officer, known=stale, known_since=before) == {"my_tasks": 0, "queue": 1}
    assert task_counts(officer) == {"my_tasks": 0, "queue": 2}  # counted again, not the stale one


def test_a_substitution_counts_from_the_day_it_starts(client, world):
    with clock.travel_to(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=clock.CHINA)):
        case = submit(world.a)
        officer, stand_in = world.a.tto_officer, second_officer(world.a, username="aaa_tto_officer_4")
        claim(client, officer, case)
        assert badges(page(client, stand_in, CASES)) == ("0", "0")
        tomorrow = clock.china_today() + datetime.timedelta(days=1)
        substitution_create(institution=world.a.institution, principal=officer, substitute=stand_in,
                            starts_on=tomorrow, ends_on=tomorrow + datetime.timedelta(days=5), by=officer)
        assert badges(page(client, stand_in, CASES)) == ("0", "0")  # not yet
    with clock.travel_to(datetime.datetime(2026, 3, 3, 8, 0, tzinfo=clock.CHINA)):
        assert badges(page(client, stand_in, CASES)) == ("1", "0")  # the absent officer's task, from today
