"""The legal clock of publicity, on real calendars."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transfers import clock
from transfers.publicity_clock import CHINA, ClockRules, days_left, publicity_deadline, resume_deadline

WORKING = ClockRules(days=15, working_days=True)
NATURAL = ClockRules(days=15)


def at(y, m, d, hh=10, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=CHINA)


def test_working_days_skip_the_2026_national_day_holiday_and_count_the_adjusted_saturday():
    # 2026-10-01..07 are holidays; Saturday 10-10 is an adjusted working day; the start day does not count
    deadline = publicity_deadline(at(2026, 9, 28), WORKING)
    assert deadline.ends_at == at(2026, 10, 23, 17, 0)
    assert not deadline.fallback_used and deadline.note == ""


def test_natural_days_ending_on_a_holiday_move_to_the_next_working_day():
    # 15 days from 09-21 end on 10-05, inside the holiday: 民法典第二百零三条 moves the end to 10-08
    assert publicity_deadline(at(2026, 9, 20), NATURAL).ends_at == at(2026, 10, 8, 17, 0)
    # an ordinary period: 15 natural days from the next day, ending at 17:00 China time
    assert publicity_deadline(at(2026, 11, 2), NATURAL).ends_at == at(2026, 11, 17, 17, 0)


def test_the_start_day_counts_only_where_the_pack_says_so_and_only_before_closing():
    counts = ClockRules(days=15, start_day_counts=True)
    assert publicity_deadline(at(2026, 11, 2, 9), counts).ends_at == at(2026, 11, 16, 17, 0)
    assert publicity_deadline(at(2026, 11, 2, 18), counts).ends_at == at(2026, 11, 17, 17, 0)


def test_a_pack_may_ask_more_days_and_another_closing_time_but_never_fewer_days():
    rules = ClockRules(days=20, closing_time=datetime.time(18, 0))
    assert publicity_deadline(at(2026, 11, 2), rules).ends_at == at(2026, 11, 23, 18, 0)  # 11-22 is a Sunday
    with pytest.raises(ValueError, match="15"):
        ClockRules(days=14)


def test_a_year_without_a_holiday_calendar_falls_back_to_a_stated_rule_and_says_so():
    deadline = publicity_deadline(at(2026, 12, 21), WORKING)
    # Dec 22-25, 28-31 (8 days); 2027-01-01 is a fixed holiday; Jan 4-8 (13); Jan 11, 12 (15)
    assert deadline.ends_at == at(2027, 1, 12, 17, 0)
    assert deadline.fallback_used and "2027" in deadline.note


def test_an_objection_pauses_the_clock_and_the_remaining_days_resume():
    ends_at = publicity_deadline(at(2026, 9, 28), WORKING).ends_at  # 10-23 17:00
    paused, resumed = at(2026, 10, 9, 11), at(2026, 10, 14, 15)
    # 12 working days were left on 10-09 including that day, which counts as used: 11 run from 10-15
    continued = resume_deadline(paused, resumed, ends_at, WORKING, restart=False)
    assert continued.ends_at == at(2026, 10, 29, 17, 0)
    restarted = resume_deadline(paused, resumed, ends_at, WORKING, restart=True)
    assert restarted.ends_at == at(2026, 11, 4, 17, 0)


def test_a_pause_on_the_last_day_still_gives_the_public_a_day():
    ends_at = publicity_deadline(at(2026, 11, 2), NATURAL).ends_at  # 11-17 17:00
    resumed = resume_deadline(at(2026, 11, 17, 16, 59), at(2026, 11, 20, 9), ends_at, NATURAL, restart=False)
    assert resumed.ends_at == at(2026, 11, 23, 17, 0)  # one day from 11-21, a Saturday: moved to Monday


def test_days_left_as_the_public_sees_them():
    ends_at = publicity_deadline(at(2026, 9, 28), WORKING).ends_at
    assert days_left(at(2026, 9, 28, 12), ends_at, WORKING) == 16  # today still counts until 17:00
    # …but the day of publication is not in the period: the public sees the period's 15 days
    assert days_left(at(2026, 9, 28, 12), ends_at, WORKING, starts_at=at(2026, 9, 28, 10)) == 15
    assert days_left(at(2026, 10, 3, 12), ends_at, WORKING) == 13  # the holiday does not count
    assert days_left(at(2026, 10, 23, 16, 59), ends_at, WORKING) == 1
    assert days_left(at(2026, 10, 23, 17, 0), ends_at, WORKING) == 0


@given(
    start=st.datetimes(min_value=datetime.datetime(2024, 1, 1), max_value=datetime.datetime(2027, 12, 31)),
    working=st.booleans(),
    counts=st.booleans(),
    days=st.integers(min_value=15, max_value=40),
)
def test_the_period_is_never_shorter_than_the_law_and_never_fails(start, working, counts, days):
    start = start.replace(tzinfo=CHINA)
    rules = ClockRules(days=days, working_days=working, start_day_counts=counts)
    deadline = publicity_deadline(start, rules)
    assert deadline.ends_at - start >= datetime.timedelta(days=days - 1)
    assert deadline.ends_at.timetz() == datetime.time(17, 0, tzinfo=CHINA)
    assert days_left(start, deadline.ends_at, rules) >= days


@pytest.mark.django_db
def test_a_stage_is_due_after_its_working_days_across_the_national_day_holiday(world):
    """National pack: preliminary review within 5 working days. Submitted on Wednesday 30 September
    2026, 10:00: 1–7 October are holidays, 8, 9, Saturday 10 (an adjusted working day), 12 and 13
    October count; due Tuesday 13 October at 17:00."""
    from tests.factories import file_case
    from transfers.services import cases as svc

    with clock.travel_to(datetime.datetime(2026, 9, 30, 10, 0, tzinfo=CHINA)):
        case = svc.case_submit(case=file_case(world.a), by=world.a.applicant)
    assert case.stage_due_at == datetime.datetime(2026, 10, 13, 17, 0, tzinfo=CHINA)
