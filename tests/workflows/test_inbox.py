"""The reviewer's lists: my tasks, the queue of my role groups and the archive, with their filters,
search, sorting and pages; claim and release; the counts in the navigation; a query count that does
not grow with the rows; and the due date of a stage across the National Day holiday."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.status import STATUS

from tests.factories import UserFactory, file_case
from transfers import clock
from transfers.models import Membership
from transfers.services import cases as svc
from transfers.services.filing import AchievementData, InventorData, achievement_set_inventors
from workflows.selectors import my_tasks, open_tasks_of, queue
from workflows.services import case_act

pytestmark = pytest.mark.django_db

MINE = reverse("workflows:inbox")
QUEUE = reverse("workflows:queue")
ARCHIVE = reverse("workflows:archive")
OVERDUE = '<strong class="overdue-mark">已逾期</strong>'
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=clock.CHINA)  # a Monday, no holiday near


def submit(side, *, at=START, inventor="王𠮷祥", achievement="一种耐旱马铃薯种薯快速繁育方法", **fields):
    """File and submit a case of ``side`` at ``at``: a preliminary-review task for its TTO officers."""
    know_how = AchievementData(kind="know_how", number="", title=achievement,
                               inventors=[InventorData(inventor, Decimal("100"), True)])
    with clock.travel_to(at):
        case = file_case(side, new=[know_how], **fields)
        return svc.case_submit(case=case, by=side.applicant)


def second_officer(side, username="aaa_tto_officer_2"):
    user = UserFactory(username=username, last_name="周", first_name="二")
    Membership.objects.create(user=user, institution=side.institution, role="tto_officer")
    return user


def task_of(case):
    return open_tasks_of(case).get()


def page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def rows(html):
    """The case references of the table's rows, in order."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return re.findall(r'<span class="mono">([A-Z]+-\d{4}-\d{4})</span>', body)


def claim(client, user, case, **extra):
    client.force_login(user)
    return client.post(reverse("workflows:claim", args=[task_of(case).pk]), extra, follow=True)


# --------------------------------------------------------------------------------------------
# Who sees what


def test_each_list_shows_exactly_the_rows_of_its_owner_and_institution(client, world):
    a1, a2, b1 = submit(world.a), submit(world.a), submit(world.b)
    a_officer, b_officer = world.a.tto_officer, world.b.tto_officer

    assert rows(page(client, a_officer, QUEUE)) == [a1.reference, a2.reference]
    assert rows(page(client, b_officer, QUEUE)) == [b1.reference]
    assert rows(page(client, world.a.assessor, QUEUE)) == []  # not the assessor's stage
    assert rows(page(client, a_officer, MINE)) == []

    claim(client, a_officer, a1)
    assert rows(page(client, a_officer, MINE)) == [a1.reference]
    assert rows(page(client, a_officer, QUEUE)) == [a2.reference]
    assert rows(page(client, b_officer, MINE)) == []
    assert rows(page(client, b_officer, QUEUE)) == [b1.reference]
    assert rows(page(client, a_officer, ARCHIVE)) == []
    # the institution filter offers only the user's own institutions
    html = page(client, a_officer, QUEUE)
    assert world.a.institution.name in html and world.b.institution.name not in html


def test_empty_lists_say_so(client, world):
    assert "您目前没有待办任务。" in page(client, world.a.tto_officer, MINE)
    assert "待认领队列中目前没有任务。" in page(client, world.a.tto_officer, QUEUE)
    assert "您还没有办结的任务。" in page(client, world.a.tto_officer, ARCHIVE)


def test_lists_need_a_signed_in_user(client):
    for url in (MINE, QUEUE, ARCHIVE):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


# --------------------------------------------------------------------------------------------
# Claim and release


def test_claim_moves_the_task_to_my_tasks_and_a_second_claimer_is_refused(client, world):
    case = submit(world.a)
    first, second = world.a.tto_officer, second_officer(world.a)
    task = task_of(case)

    response = claim(client, first, case)
    assert "任务已移入我的待办" in response.content.decode()
    task.refresh_from_db()
    assert task.owner_id == first.pk and task.status == STATUS.ASSIGNED
    assert list(my_tasks(first)) == [task]
    assert list(queue(second)) == []

    response = claim(client, second, case)
    html = response.content.decode()
    assert "已由" in html and "认领，不能再认领" in html
    task.refresh_from_db()
    assert task.owner_id == first.pk and task.status == STATUS.ASSIGNED  # nothing changed
    assert rows(page(client, second, QUEUE)) == []
    assert rows(page(client, second, MINE)) == []

    # acting on another's task stays refused
    client.force_login(second)
    opened = client.get(reverse("workflows:task", args=[task.pk]), follow=True)
    assert "该任务不属于您的职责范围" in opened.content.decode()


def test_claim_is_refused_to_another_institution_and_to_a_wrong_role(client, world):
    case = submit(world.a)
    task = task_of(case)
    client.force_login(world.b.tto_officer)
    assert client.post(reverse("workflows:claim", args=[task.pk])).status_code == 404  # not even visible
    response = claim(client, world.a.assessor, case)
    assert "该任务不属于您的职责范围，不能认领" in response.content.decode()
    task.refresh_from_db()
    assert task.owner_id is None and task.status == STATUS.NEW


def test_claim_and_release_are_post_only(client, world):
    case = submit(world.a)
    task = task_of(case)
    client.force_login(world.a.tto_officer)
    assert client.get(reverse("workflows:claim", args=[task.pk])).status_code == 405
    assert client.get(reverse("workflows:release", args=[task.pk])).status_code == 405
    task.refresh_from_db()
    assert task.owner_id is None


def test_release_puts_the_task_back_in_the_queue_and_only_its_owner_may(client, world):
    case = submit(world.a)
    first, second = world.a.tto_officer, second_officer(world.a)
    claim(client, first, case)
    task = task_of(case)

    client.force_login(second)
    response = client.post(reverse("workflows:release", args=[task.pk]), follow=True)
    assert "该任务不在您的待办中，不能退回队列" in response.content.decode()
    task.refresh_from_db()
    assert task.owner_id == first.pk

    client.force_login(first)
    response = client.post(reverse("workflows:release", args=[task.pk]), {"next": MINE}, follow=True)
    assert response.redirect_chain[-1][0] == MINE
    assert "退回待认领队列" in response.content.decode()
    task.refresh_from_db()
    assert task.owner_id is None and task.status == STATUS.NEW
    assert rows(page(client, first, MINE)) == []
    assert rows(page(client, second, QUEUE)) == [case.reference]
    claim(client, second, case)
    task.refresh_from_db()
    assert task.owner_id == second.pk


def test_a_task_the_flow_gave_by_name_cannot_be_released(client, world):
    case = submit(world.a)
    officer = world.a.tto_officer
    case_act(case=case, user=officer, run=lambda: svc.case_return(case=case, by=officer, comment="请补充材料"))
    revise = task_of(case)
    assert revise.owner_id == world.a.applicant.pk
    html = page(client, world.a.applicant, MINE)
    assert rows(html) == [case.reference] and "退回队列" not in html
    response = client.post(reverse("workflows:release", args=[revise.pk]), follow=True)
    assert "不能退回队列" in response.content.decode()
    revise.refresh_from_db()
    assert revise.owner_id == world.a.applicant.pk


def test_archive_shows_a_task_after_it_was_completed(client, world):
    case = submit(world.a)
    officer = world.a.tto_officer
    claim(client, officer, case)
    case_act(case=case, user=officer, run=lambda: svc.case_pass_preliminary_review(case=case, by=officer))
    html = page(client, officer, ARCHIVE)
    assert rows(html) == [case.reference]
    assert "初审" in html and case.get_absolute_url() in html
    assert rows(page(client, officer, MINE)) == []
    assert rows(page(client, world.a.assessor, QUEUE)) == [case.reference]


# --------------------------------------------------------------------------------------------
# Filters, search, sorting, pages


def test_search_follows_the_inventors_when_a_draft_changes_them(client, world):
    know_how = AchievementData(kind="know_how", number="", title="一种盐碱地改良微生物菌剂",
                               inventors=[InventorData("上官云", Decimal("100"), True)])
    case = file_case(world.a, new=[know_how])
    achievement = case.achievements.get()
    achievement_set_inventors(achievement=achievement, by=world.a.applicant,
                              inventors=[InventorData("诸葛明", Decimal("100"), True)])
    svc.case_submit(case=case, by=world.a.applicant)
    officer = world.a.tto_officer
    assert rows(page(client, officer, QUEUE, q="诸葛明")) == [case.reference]
    assert rows(page(client, officer, QUEUE, q="上官云")) == []


def test_search_by_inventor_counterparty_reference_and_achievement(client, world):
    one = submit(world.a, inventor="欧阳明", counterparty_name="兰州高新创投有限公司")
    two = submit(world.a, inventor="司马青", achievement="黄土滑坡监测预警系统")
    officer = world.a.tto_officer
    assert rows(page(client, officer, QUEUE, q="欧阳")) == [one.reference]
    assert rows(page(client, officer, QUEUE, q="司马青")) == [two.reference]
    assert rows(page(client, officer, QUEUE, q="兰州高新")) == [one.reference]
    assert rows(page(client, officer, QUEUE, q=two.reference)) == [two.reference]
    assert rows(page(client, officer, QUEUE, q="滑坡监测")) == [two.reference]
    html = page(client, officer, QUEUE, q="没有这个人")
    assert rows(html) == [] and "没有符合筛选条件的任务。" in html


def test_filters_by_mode_institution_stage_and_overdue(client, world):
    both = UserFactory(username="both_officer")
    for side in (world.a, world.b):
        Membership.objects.create(user=both, institution=side.institution, role="tto_officer")
    Membership.objects.create(user=both, institution=world.a.institution, role="assessor")
    a_assign = submit(world.a, mode="assignment")
    a_licence = submit(world.a, mode="ordinary_licence", at=START + datetime.timedelta(days=14))
    b_assign = submit(world.b, mode="assignment")
    officer = world.a.tto_officer
    case_act(case=a_licence, user=officer, run=lambda: svc.case_pass_preliminary_review(case=a_licence, by=officer))

    everything = rows(page(client, both, QUEUE))
    assert sorted(everything) == sorted([a_assign.reference, a_licence.reference, b_assign.reference])
    assert rows(page(client, both, QUEUE, mode="ordinary_licence")) == [a_licence.reference]
    assert sorted(rows(page(client, both, QUEUE, institution=world.b.institution.pk))) == [b_assign.reference]
    assert rows(page(client, both, QUEUE, stage="assessment")) == [a_licence.reference]
    assert sorted(rows(page(client, both, QUEUE, stage="preliminary_review"))) == sorted(
        [a_assign.reference, b_assign.reference]
    )
    # an institution the user does not belong to is not a choice: the filter is ignored, tenancy holds
    outsider = UserFactory(username="outsider_officer")
    Membership.objects.create(user=outsider, institution=world.b.institution, role="tto_officer")
    assert rows(page(client, outsider, QUEUE, institution=world.a.institution.pk)) == [b_assign.reference]

    with clock.travel_to(START + datetime.timedelta(days=10)):  # the first two are overdue, not the third
        overdue = rows(page(client, both, QUEUE, overdue="on"))
    assert sorted(overdue) == sorted([a_assign.reference, b_assign.reference])


def test_sorting_by_due_date_keeps_the_filters(client, world):
    late = submit(world.a, at=START + datetime.timedelta(days=7), mode="assignment")
    early = submit(world.a, at=START, mode="assignment")
    other = submit(world.a, at=START + datetime.timedelta(days=1), mode="ordinary_licence")
    officer = world.a.tto_officer
    assert rows(page(client, officer, QUEUE)) == [late.reference, early.reference, other.reference]  # received
    assert rows(page(client, officer, QUEUE, sort="due")) == [early.reference, other.reference, late.reference]
    assert rows(page(client, officer, QUEUE, sort="-due")) == [late.reference, other.reference, early.reference]
    html = page(client, officer, QUEUE, sort="due", mode="assignment")
    assert rows(html) == [early.reference, late.reference]
    # the header links keep the filter and turn the order round
    assert 'href="?sort=-due&amp;mode=assignment"' in html
    assert 'aria-sort="ascending"' in html
    assert rows(page(client, officer, QUEUE, sort="-reference")) == sorted(
        [late.reference, early.reference, other.reference], reverse=True
    )


def test_second_page_keeps_the_filters(client, world):
    for n in range(27):
        submit(world.a, at=START + datetime.timedelta(minutes=n), title=f"第{n:02d}号项目")
    officer = world.a.tto_officer
    first = page(client, officer, QUEUE, q="项目")
    assert len(rows(first)) == 25
    assert 'href="?q=%E9%A1%B9%E7%9B%AE&amp;page=2"' in first
    second = page(client, officer, QUEUE, q="项目", page=2)
    assert len(rows(second)) == 2
    assert "第25号项目" in second and "第26号项目" in second and "第00号项目" not in second
    assert "共 27 项任务" in first and "共 27 项任务" in second and "第 2 / 2 页" in second
    # a page past the end, or not a number, as the unfiltered list treats it
    assert rows(page(client, officer, QUEUE, q="项目", page=9)) == rows(second)
    assert rows(page(client, officer, QUEUE, q="项目", page="x")) == rows(first)
    # the same due day for all (17:00 five working days on): ties newest first, so page 2 ends at the first
    oldest_two = rows(page(client, officer, QUEUE, page=1))[:2]
    assert rows(page(client, officer, QUEUE, q="项目", sort="-due", page=2)) == oldest_two[::-1]


# --------------------------------------------------------------------------------------------
# Due dates


def test_overdue_mark_once_the_clock_passes_the_due_date(client, world):
    case = submit(world.a)  # Monday 2 March 2026 09:00: five working days → Monday 9 March 17:00
    case.refresh_from_db()
    assert case.stage_due_at == datetime.datetime(2026, 3, 9, 17, 0, tzinfo=clock.CHINA)
    officer = world.a.tto_officer
    with clock.travel_to(datetime.datetime(2026, 3, 7, 9, 0, tzinfo=clock.CHINA)):
        html = page(client, officer, QUEUE)
    assert "剩余 2 天" in html and OVERDUE not in html
    with clock.travel_to(datetime.datetime(2026, 3, 9, 16, 0, tzinfo=clock.CHINA)):
        html = page(client, officer, QUEUE)
    assert "今天到期" in html and OVERDUE not in html
    with clock.travel_to(datetime.datetime(2026, 3, 11, 9, 0, tzinfo=clock.CHINA)):
        html = page(client, officer, QUEUE)
    assert '<strong class="overdue-mark">已逾期 2 天</strong>' in html  # in words, not only in colour


def test_due_date_counts_the_national_day_holiday_and_the_adjusted_saturday(client, world):
    case = submit(world.a, at=datetime.datetime(2026, 9, 30, 10, 0, tzinfo=clock.CHINA))
    case.refresh_from_db()
    # national pack: preliminary review in 5 working days: 8, 9, 10 (a working Saturday), 12, 13 October
    assert case.stage_due_at == datetime.datetime(2026, 10, 13, 17, 0, tzinfo=clock.CHINA)
    with clock.travel_to(datetime.datetime(2026, 9, 30, 11, 0, tzinfo=clock.CHINA)):
        html = page(client, world.a.tto_officer, QUEUE)
    assert "2026-10-13 17:00" in html and "剩余 13 天" in html


# --------------------------------------------------------------------------------------------
# Navigation counts and the number of queries


def test_navigation_counts_my_tasks_and_queue(client, world):
    one, _two, _three = submit(world.a), submit(world.a), submit(world.a)
    officer = world.a.tto_officer
    claim(client, officer, one)
    html = page(client, officer, reverse("transfers:case_list"))
    assert re.search(r'我的待办 <span class="badge count">1</span>', html)
    assert re.search(r'待认领 <span class="badge count">2</span>', html)
    html = page(client, world.b.tto_officer, reverse("transfers:case_list"))
    assert re.search(r'我的待办 <span class="badge count">0</span>', html)
    assert re.search(r'待认领 <span class="badge count">0</span>', html)


def test_navigation_counts_stop_at_the_cap(client, world, monkeypatch):
    monkeypatch.setattr("workflows.selectors.NAV_COUNT_CAP", 2)
    for _ in range(3):
        submit(world.a)
    html = page(client, world.a.tto_officer, QUEUE)
    assert re.search(r'待认领 <span class="badge count">2\+</span>', html)
    assert "共 3 项任务" in html  # the list itself counts them all


def _queries(client, url, **params):
    client.get(url, params)  # warm caches that are per process (content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def _grow(world, count, offset):
    """``count`` more cases: of each, the officer claims one task, completes it, and leaves one open in
    the queue and one in their tasks."""
    officer = world.a.tto_officer
    for n in range(count):
        at = START + datetime.timedelta(minutes=offset + n)
        done, mine, waiting = (submit(world.a, at=at, title=f"项目{offset + n}-{k}") for k in range(3))
        case_act(case=done, user=officer, run=lambda c=done: svc.case_pass_preliminary_review(case=c, by=officer))
        from workflows.services import task_claim

        task_claim(task=task_of(mine), user=officer)
        assert waiting


def test_query_count_does_not_grow_with_rows(client, world):
    officer = world.a.tto_officer
    client.force_login(officer)
    lists = [
        (MINE, {}),
        (QUEUE, {}),
        (ARCHIVE, {}),
        (QUEUE, {"q": "王𠮷祥", "sort": "due", "overdue": "on", "mode": "assignment"}),
        (MINE, {"sort": "-due", "institution": world.a.institution.pk, "stage": "preliminary_review"}),
    ]
    _grow(world, 3, 0)
    few = [_queries(client, url, **params) for url, params in lists]
    _grow(world, 27, 100)
    assert len(rows(page(client, officer, QUEUE))) == 25
    with clock.travel_to(START + datetime.timedelta(days=30)):
        client.force_login(officer)
        assert len(rows(page(client, officer, QUEUE, overdue="on"))) == 25
    client.force_login(officer)
    many = [_queries(client, url, **params) for url, params in lists]
    assert few == many, (few, many)
    assert max(many) <= 12  # session, user, roles, institutions, count, page, cases, nav counts, unread


def test_a_sort_menu_orders_the_list_where_a_phone_shows_no_column_headers(client, world):
    first, second = submit(world.a), submit(world.a)
    officer = world.a.tto_officer
    html = page(client, officer, QUEUE)
    menu = re.search(r'<select name="sort" id="id_sort">(.*?)</select>', html).group(1)
    assert re.findall(r'<option value="([^"]*)"', menu)[:2] == ["received", "-received"]  # the list's order first
    assert 'for="id_sort"' in html
    html = page(client, officer, QUEUE, sort="-reference")
    assert '<option value="-reference" selected>' in html
    assert rows(html) == sorted([first.reference, second.reference], reverse=True)
