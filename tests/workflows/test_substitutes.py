"""Delegation: a reviewer names a substitute for a date range; new tasks and the tasks they hold go
to both; the audit trail names whom the substitute acted for."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import UserFactory, file_case
from transfers import clock
from transfers.models import Membership, Role, Stage, Substitution
from transfers.permissions import roles_by_institution
from transfers.services import cases as svc
from transfers.services.errors import ActionRefused
from transfers.services.substitutions import substitution_cancel, substitution_create
from workflows.selectors import my_tasks, open_tasks_of, queue
from workflows.services import case_act, task_claim

pytestmark = pytest.mark.django_db
CHINA = datetime.timezone(datetime.timedelta(hours=8))


def colleague(side, name="acting"):
    user = UserFactory(username=f"{side.institution.code.lower()}_{name}", last_name="钱", first_name="代办")
    Membership.objects.create(user=user, institution=side.institution, role=Role.APPLICANT)
    return user


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # roles are cached per user object, per request


def test_a_substitute_sees_and_does_the_work_of_the_absent_assessor_and_the_trail_says_so(client, world):
    a = world.a
    stand_in = colleague(a)
    with clock.travel_to(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=CHINA)):
        case = svc.case_submit(case=file_case(a), by=a.applicant)
        case = case_act(case=case, user=a.tto_officer,
                        run=lambda: svc.case_pass_preliminary_review(case=case, by=a.tto_officer))
        task = open_tasks_of(case).get()
        task_claim(task=task, user=a.assessor)
        client.force_login(a.assessor)
        response = client.post(reverse("workflows:substitutes"), {
            "institution": a.institution.pk, "substitute": stand_in.pk, "starts_on": "2026-11-03",
            "ends_on": "2026-11-06", "reason": "出差"})
        assert response.status_code == 302
        assert not my_tasks(fresh(stand_in)).exists()  # not before the range starts

    with clock.travel_to(datetime.datetime(2026, 11, 4, 9, 0, tzinfo=CHINA)):
        stand_in = fresh(stand_in)
        assert list(my_tasks(stand_in)) == [task]  # the task the assessor holds
        assert my_tasks(fresh(a.assessor)).filter(pk=task.pk).exists()  # still theirs too
        case = case_act(case=case, user=stand_in, run=lambda: svc.case_complete_assessment(
            case=case, by=stand_in, method="internal", amount=Decimal("3")))
        assert case.stage == Stage.DEMONSTRATION
        event = case.audit_events.get(action="complete_assessment")
        assert event.actor == stand_in and event.acting_for == "张" + a.assessor.first_name
        client.force_login(stand_in)
        assert "（代 张" in client.get(case.get_absolute_url()).content.decode()

        # a new assessment task of another case reaches the substitute's queue too
        other = svc.case_submit(case=file_case(a, title="第二个案件"), by=a.applicant)
        other = case_act(case=other, user=a.tto_officer,
                         run=lambda: svc.case_pass_preliminary_review(case=other, by=a.tto_officer))
        assert queue(fresh(stand_in)).filter(process__artifact_object_id=other.pk).exists()

    with clock.travel_to(datetime.datetime(2026, 11, 9, 9, 0, tzinfo=CHINA)):
        assert not queue(fresh(stand_in)).exists()  # the range is over
        with pytest.raises(ActionRefused):
            case_act(case=other, user=fresh(stand_in), run=lambda: svc.case_complete_assessment(
                case=other, by=stand_in, method="internal", amount=Decimal("3")))


def test_arrangements_are_checked_and_can_be_cancelled(world):
    a = world.a
    stand_in = colleague(a)
    today = clock.china_today()
    with pytest.raises(ActionRefused):  # an applicant has no reviewing role to hand over
        substitution_create(institution=a.institution, principal=a.applicant, substitute=stand_in,
                            starts_on=today, ends_on=today, by=a.applicant)
    with pytest.raises(ActionRefused):  # someone of another institution
        substitution_create(institution=a.institution, principal=a.assessor, substitute=world.b.assessor,
                            starts_on=today, ends_on=today, by=a.assessor)
    with pytest.raises(ActionRefused):  # arranged by a colleague who is neither the reviewer nor the admin
        substitution_create(institution=a.institution, principal=a.assessor, substitute=stand_in,
                            starts_on=today, ends_on=today, by=a.tto_officer)
    with pytest.raises(ActionRefused):
        substitution_create(institution=a.institution, principal=a.assessor, substitute=stand_in,
                            starts_on=today, ends_on=today - datetime.timedelta(days=1), by=a.assessor)
    assert not Substitution.objects.exists()
    arrangement = substitution_create(institution=a.institution, principal=a.assessor, substitute=stand_in,
                                      starts_on=today, ends_on=today, by=a.institution_admin)
    assert "assessor" in roles_by_institution(fresh(stand_in))[a.institution.pk]
    substitution_cancel(substitution=arrangement, by=a.assessor)
    assert "assessor" not in roles_by_institution(fresh(stand_in)).get(a.institution.pk, set())


def test_the_institution_admin_arranges_a_substitute_for_a_reviewer(client, world):
    a = world.a
    stand_in = colleague(a)
    url = reverse("institutions:substitutes", args=[a.institution.code])
    client.force_login(world.b.institution_admin)
    assert client.get(url).status_code == 404  # another institution's admin
    client.force_login(a.institution_admin)
    today = clock.china_today()
    data = {"principal": a.decision_secretary.pk, "substitute": stand_in.pk, "starts_on": today.isoformat(),
            "ends_on": (today - datetime.timedelta(days=1)).isoformat(), "reason": "病假"}
    response = client.post(url, data)
    assert response.status_code == 400 and "结束日期不能早于开始日期" in response.content.decode()
    assert not Substitution.objects.exists()
    response = client.post(url, {**data, "ends_on": today.isoformat()})
    assert response.status_code == 302
    arrangement = Substitution.objects.get()
    assert arrangement.created_by == a.institution_admin and arrangement.principal == a.decision_secretary
    assert "decision_secretary" in roles_by_institution(fresh(stand_in))[a.institution.pk]
    assert "病假" in client.get(url).content.decode()
    assert client.post(url, {"cancel": arrangement.pk}).status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.cancelled_at is not None


def test_a_forged_cancel_is_a_404_and_nobody_cancels_anothers_arrangement(client, world):
    a = world.a
    today = clock.china_today()
    arrangement = substitution_create(institution=a.institution, principal=a.assessor, substitute=colleague(a),
                                      starts_on=today, ends_on=today, by=a.assessor)
    client.force_login(a.tto_officer)
    assert client.post(reverse("workflows:substitutes"), {"cancel": "x' OR 1=1"}).status_code == 404
    assert client.post(reverse("workflows:substitutes"), {"cancel": arrangement.pk}).status_code == 404
    client.force_login(a.institution_admin)
    url = reverse("institutions:substitutes", args=[a.institution.code])
    assert client.post(url, {"cancel": "1.5"}).status_code == 404
    arrangement.refresh_from_db()
    assert arrangement.cancelled_at is None
