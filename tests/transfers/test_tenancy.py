"""Tenancy: a user of institution B sees none of A's cases in any list, page, task or download,
and ids of others answer 404 (not 403)."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from tests.factories import file_case
from transfers.selectors import cases_visible_to
from transfers.services import cases as svc
from workflows.selectors import inbox, open_tasks_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_case(world):
    case = file_case(world.a)
    return svc.case_submit(case=case, by=world.a.applicant)


@pytest.mark.parametrize(
    "role", ["applicant", "tto_officer", "assessor", "expert", "decision_secretary", "institution_admin"]
)
def test_other_institution_sees_nothing(client, world, a_case, role):
    user = world.b.users[role]
    client.force_login(user)
    assert a_case not in cases_visible_to(user)
    listing = client.get(reverse("transfers:case_list")).content.decode()
    assert a_case.reference not in listing and a_case.title not in listing
    assert not inbox(user).exists()
    for url in [
        a_case.get_absolute_url(),
        reverse("transfers:case_edit", args=[a_case.public_id]),
        reverse("transfers:case_withdraw", args=[a_case.public_id]),
        a_case.attachments.first().get_absolute_url(),
        reverse("workflows:task", args=[open_tasks_of(a_case).first().pk]),
        reverse("workflows:reassign", args=[open_tasks_of(a_case).first().pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("transfers:case_submit", args=[a_case.public_id])).status_code == 404
    response = client.post(
        reverse("workflows:task", args=[open_tasks_of(a_case).first().pk]), {"action": "pass"}
    )
    assert response.status_code == 404
    a_case.refresh_from_db()
    assert a_case.stage == "preliminary_review"


def test_unknown_ids_are_404_like_foreign_ones(client, world):
    client.force_login(world.b.tto_officer)
    assert client.get(reverse("transfers:case_detail", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("transfers:attachment_download", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("workflows:task", args=[999999])).status_code == 404


def test_visibility_matrix_within_the_institution(client, world):
    a = world.a
    draft = file_case(a, title="草稿案件")
    submitted = svc.case_submit(case=file_case(a, title="已提交案件"), by=a.applicant)
    other_applicant_user = world.a.users["institution_admin"]
    expectations = {
        a.applicant: {draft, submitted},  # their own, draft included
        a.tto_officer: {submitted},  # submitted cases of the institution, not others' drafts
        a.assessor: {submitted},
        a.decision_secretary: {submitted},
        other_applicant_user: {submitted},
        a.expert: set(),  # experts see cases only from demonstration on
    }
    for user, expected in expectations.items():
        assert set(cases_visible_to(user)) == expected, user.username


def test_attachment_download_for_the_right_people(client, world, a_case):
    attachment = a_case.attachments.first()
    client.force_login(world.a.tto_officer)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]


def test_anonymous_is_sent_to_login(client, a_case):
    response = client.get(a_case.get_absolute_url())
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
