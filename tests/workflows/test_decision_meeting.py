"""决策: the secretary records the meeting (body, date, attendees, votes, outcome, conditions, minutes)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import demonstrate, pdf
from tests.workflows.test_expert_panel import to_demonstration
from transfers import clock
from transfers.models import Decision, Stage, TransferCase
from workflows.selectors import inbox

pytestmark = pytest.mark.django_db


def post_decision(client, side, case, **changes):
    client.force_login(side.decision_secretary)
    task = inbox(side.decision_secretary).get(process__artifact_object_id=case.pk)
    data = {"action": "approve", "body": "校长办公会", "decided_on": clock.china_today().isoformat(),
            "attendees": "张三（校长）\n李四（副校长）\n王五（总会计师）\n赵六（副校长）",
            "votes_for": "3", "votes_against": "0", "votes_abstaining": "1",
            "conditions": "须在合同中约定首期款不低于总价款的30%。", "minutes": pdf("纪要.pdf"), "comment": ""}
    data.update(changes)
    return client.post(reverse("workflows:task", args=[task.pk]), data)


@pytest.mark.parametrize(("changes", "message"), [
    ({"attendees": ""}, "请填写出席人员"),
    ({"votes_for": ""}, "请填写票数"),
    ({"votes_for": "1", "votes_against": "2", "votes_abstaining": "0"}, "未超过表决票数 3 票的半数"),
    ({"votes_for": "4", "votes_against": "1"}, "多于出席人数 4 人"),
    ({"votes_for": "-1"}, "0"),
    ({"decided_on": "2999-01-01"}, "决策日期不能晚于今天"),
    ({"decided_on": "1948-12-31"}, "决策日期不能早于 1949-10-01"),
])
def test_a_meeting_record_that_does_not_add_up_is_refused_and_nothing_changes(client, world, changes, message):
    a = world.a
    case = demonstrate(a, to_demonstration(a))
    response = post_decision(client, a, case, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert TransferCase.objects.get(pk=case.pk).stage == Stage.DECISION
    assert not Decision.objects.filter(case=case).exists()


def test_the_meeting_record_is_kept_and_shown_on_the_case(client, world):
    a = world.a
    case = demonstrate(a, to_demonstration(a))
    assert post_decision(client, a, case).status_code == 302
    decision = Decision.objects.get(case=case)
    assert decision.attendee_names() == ["张三（校长）", "李四（副校长）", "王五（总会计师）", "赵六（副校长）"]
    assert (decision.votes_for, decision.votes_against, decision.votes_abstaining) == (3, 0, 1)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "表决：同意 3 票，反对 0 票，弃权 1 票" in page
    assert "须在合同中约定首期款不低于总价款的30%。" in page
    assert TransferCase.objects.get(pk=case.pk).stage == Stage.PUBLICITY


def test_a_rejection_is_confirmed_on_a_page_that_keeps_the_minutes_chosen(client, world):
    import re

    a = world.a
    case = demonstrate(a, to_demonstration(a))
    response = post_decision(client, a, case, action="reject", votes_for="1", votes_against="3",
                             votes_abstaining="0", minutes=pdf("否决纪要.pdf"), comment="价格明显偏低。")
    page = response.content.decode()
    assert response.status_code == 200 and "请确认" in page and "不能恢复" in page
    assert TransferCase.objects.get(pk=case.pk).stage == Stage.DECISION
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert "stash_minutes" in hidden and hidden["confirmed"] == "yes"
    task_url = re.search(r'<form method="post" action="([^"]+)"', page.split("<main", 1)[1]).group(1)
    import html
    data = {key: html.unescape(value) for key, value in hidden.items() if key != "csrfmiddlewaretoken"}
    data["attendees"] = "张三（校长）\n李四（副校长）\n王五（总会计师）\n赵六（副校长）"  # a textarea, resent as typed
    forged = dict(data, stash_minutes=data["stash_minutes"][:-2] + "xx")
    assert client.post(task_url, forged).status_code == 400  # a forged token brings no file
    assert TransferCase.objects.get(pk=case.pk).stage == Stage.DECISION
    response = client.post(task_url, data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.REJECTED
    assert Decision.objects.get(case=case).minutes.original_name == "否决纪要.pdf"


def test_files_of_confirmations_never_made_are_swept_after_an_hour(settings):
    import datetime
    import os

    from django.core import signing
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from workflows import stash

    old = stash.stash(pdf("旧纪要.pdf"), user_pk=1, task_pk=1)
    fresh = stash.stash(pdf("新纪要.pdf"), user_pk=1, task_pk=2)
    _dirs, names = default_storage.listdir("pending")
    assert len(names) == 2
    old_path = default_storage.path(signing.loads(old, salt=stash.SALT)["p"])
    two_hours_ago = (timezone.now() - datetime.timedelta(hours=2)).timestamp()
    os.utime(old_path, (two_hours_ago, two_hours_ago))
    assert stash.sweep() == 1
    assert stash.unstash(old, user_pk=1, task_pk=1) is None
    assert stash.unstash(fresh, user_pk=1, task_pk=2).name == "新纪要.pdf"
    assert stash.sweep() == 0
