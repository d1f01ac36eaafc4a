"""The navigation offers only what the role can do, and the case page offers its task only to someone
who has one there: no link leads to "nothing to do here"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import file_case
from transfers.services import cases as svc
from workflows.selectors import open_tasks_of

pytestmark = pytest.mark.django_db

QUEUE, NEW_CASE, SUBSTITUTES = reverse("workflows:queue"), reverse("transfers:case_create"), \
    reverse("workflows:substitutes")


def links(client, user) -> set[str]:
    client.force_login(user)
    html = client.get(reverse("workflows:inbox")).content.decode()
    nav = html.split('<nav aria-label="', 1)[1].split("</nav>", 1)[0]
    return {url for url in (QUEUE, NEW_CASE, SUBSTITUTES) if f'href="{url}"' in nav}


def test_each_role_sees_the_entries_it_can_use(client, world):
    a = world.a
    assert links(client, a.applicant) == {NEW_CASE}
    assert links(client, a.expert) == set()  # an expert's tasks come by name: no queue, no filing
    assert links(client, a.assessor) == {QUEUE, SUBSTITUTES}
    assert links(client, a.tto_officer) == {QUEUE, NEW_CASE, SUBSTITUTES}


def test_the_case_page_offers_its_task_only_to_who_can_do_it(client, world):
    a = world.a
    case = svc.case_submit(case=file_case(a), by=a.applicant)
    task = open_tasks_of(case).get()
    button = f'href="{reverse("workflows:task", args=[task.pk])}"'
    client.force_login(a.tto_officer)
    assert button in client.get(case.get_absolute_url()).content.decode()
    client.force_login(a.applicant)  # sees the case, has nothing to do in preliminary review
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200 and "处理本案待办" not in page.content.decode()
    case = svc.case_return(case=case, by=a.tto_officer, comment="请补充材料")
    revise = open_tasks_of(case).get()  # now the applicant's
    page = client.get(case.get_absolute_url()).content.decode()
    assert f'href="{reverse("workflows:task", args=[revise.pk])}"' in page
    client.force_login(a.tto_officer)
    assert "处理本案待办" not in client.get(case.get_absolute_url()).content.decode()
