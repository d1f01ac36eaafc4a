"""The legal clock of publicity: when a notice's period ends, how a pause for an objection moves it,
and how many days the public has left. Pure functions of dates; nothing here touches the database.

Where the rules come from:
- 国发〔2016〕16号：“公示时间不少于15日”（the floor; a rule pack may ask for more, never less).
- 《民法典》第二百零一条：“按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。”
  (a rule pack may say the start day counts).
- 《民法典》第二百零三条：“期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。”
  (natural-day periods that end on a rest day move to the next working day).
- Working days are China's: weekends and public holidays are not, adjusted working days (调休) are,
  per ``chinese_calendar``. A year the calendar does not cover yet (the State Council announces
  each year's holidays in the previous November/December) falls back to a stated rule: Monday to
  Friday, less the fixed-date holidays of 《全国年节及纪念日放假办法》 (元旦1月1日，劳动节5月1日、2日，
  国庆节10月1日至3日). The deadline says so, so the TTO officer can check it once the year is
  announced (the lunar holidays are unknown to the rule). It never fails.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from typing import Any

import chinese_calendar
from django.utils.translation import gettext as _

from .clock import CHINA
from .wording import join_names

FLOOR_DAYS = 15
ONE_DAY = datetime.timedelta(days=1)
#: (month, day) of the fixed-date public holidays, for years the calendar does not cover yet
FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


@dataclass(frozen=True)
class ClockRules:
    days: int = FLOOR_DAYS
    working_days: bool = False
    start_day_counts: bool = False
    closing_time: datetime.time = datetime.time(17, 0)
    #: the legal floor of the period: 15 days for a transfer notice; a reward notice's is the institution's
    floor: int = FLOOR_DAYS

    def __post_init__(self) -> None:
        if self.days < self.floor or self.floor < 1:
            raise ValueError(f"publicity lasts at least {self.floor} days (国发〔2016〕16号 for transfers)")

    @classmethod
    def from_rule_pack(cls, pack: Any) -> ClockRules:
        return cls(
            days=pack.publicity_days,
            working_days=pack.publicity_working_days,
            start_day_counts=pack.publicity_start_day_counts,
            closing_time=pack.publicity_closing_time,
        )

    @classmethod
    def for_rewards(cls, pack: Any) -> ClockRules:
        """A reward notice's period: the institution's own rule, no 15-day floor (that one is for
        transfers), counted and closed as its transfer notices are."""
        return cls(
            days=pack.reward_publicity_days,
            working_days=pack.reward_publicity_working_days,
            start_day_counts=pack.publicity_start_day_counts,
            closing_time=pack.publicity_closing_time,
            floor=1,
        )


@dataclass(frozen=True)
class Deadline:
    ends_at: datetime.datetime
    last_day: datetime.date
    #: years whose holiday schedule the calendar did not have (the stated fallback was used)
    fallback_years: tuple[int, ...] = ()

    @property
    def fallback_used(self) -> bool:
        return bool(self.fallback_years)

    @property
    def note(self) -> str:
        return fallback_note(self.fallback_years)


@functools.lru_cache(maxsize=4096)
def _official_workday(day: datetime.date) -> bool | None:
    """``chinese_calendar``'s answer, or None for a year it does not cover; remembered (it scans its whole
    table of holidays on every call)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


class _Calendar:
    """``chinese_calendar`` with the stated fallback; remembers the years it had to guess."""

    def __init__(self) -> None:
        self.guessed_years: set[int] = set()

    def is_workday(self, day: datetime.date) -> bool:
        official = _official_workday(day)
        if official is not None:
            return official
        self.guessed_years.add(day.year)
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS

    def counts(self, day: datetime.date, rules: ClockRules) -> bool:
        return self.is_workday(day) if rules.working_days else True



def fallback_note(years: Any) -> str:
    """What the TTO officer is told when a deadline used the stated fallback, in the active language."""
    if not years:
        return ""
    return _(
        "%(years)s 年的法定节假日安排尚未收录，本期限暂按周一至周五为工作日（除元旦、劳动节、国庆节的"
        "固定假日外）计算；国务院办公厅公布该年安排后，请核对截止时间。"
    ) % {"years": join_names(sorted(years))}


def _china(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(CHINA)


def _count_forward(first: datetime.date, days: int, rules: ClockRules, calendar: _Calendar) -> datetime.date:
    """The day on which ``days`` counting days starting at ``first`` (inclusive) are used up."""
    day = first
    counted = 0
    while True:
        if calendar.counts(day, rules):
            counted += 1
            if counted == days:
                break
        day += ONE_DAY
    if not rules.working_days:
        while not calendar.is_workday(day):  # 民法典第二百零三条
            day += ONE_DAY
    return day


def _first_day(start: datetime.datetime, rules: ClockRules) -> datetime.date:
    local = _china(start)
    if rules.start_day_counts and local.time() < rules.closing_time:
        return local.date()
    return local.date() + ONE_DAY


def _deadline(first: datetime.date, days: int, rules: ClockRules) -> Deadline:
    calendar = _Calendar()
    last = _count_forward(first, days, rules, calendar)
    ends_at = datetime.datetime.combine(last, rules.closing_time, tzinfo=CHINA)
    return Deadline(ends_at=ends_at, last_day=last, fallback_years=tuple(sorted(calendar.guessed_years)))


def publicity_deadline(start: datetime.datetime, rules: ClockRules) -> Deadline:
    """When publicity that starts at ``start`` ends: the closing time of its last day, China time."""
    return _deadline(_first_day(start, rules), rules.days, rules)


def working_deadline(start: datetime.datetime, days: int,
                     closing_time: datetime.time = datetime.time(17, 0)) -> Deadline:
    """The closing time of the ``days``-th working day after ``start`` (China's calendar, the start
    day not counted): when a stage's work is due (``RulePack.stage_due_days``, an internal rule)."""
    if days < 1:
        raise ValueError("a due period lasts at least one working day")
    calendar = _Calendar()
    day = _china(start).date()
    counted = 0
    while counted < days:
        day += ONE_DAY
        if calendar.is_workday(day):
            counted += 1
    ends_at = datetime.datetime.combine(day, closing_time, tzinfo=CHINA)
    return Deadline(ends_at=ends_at, last_day=day, fallback_years=tuple(sorted(calendar.guessed_years)))


def working_day_shift(moment: datetime.datetime, days: int) -> datetime.datetime:
    """The same time of day ``days`` working days later (negative: earlier), China's calendar: a
    deadline's reminder is one working day before it, its escalation one after."""
    calendar = _Calendar()
    local = _china(moment)
    day, step = local.date(), (1 if days > 0 else -1)
    for _step in range(abs(days)):
        day += step * ONE_DAY
        while not calendar.is_workday(day):
            day += step * ONE_DAY
    return datetime.datetime.combine(day, local.timetz())


def days_left(
    now: datetime.datetime,
    ends_at: datetime.datetime,
    rules: ClockRules,
    *,
    starts_at: datetime.datetime | None = None,
) -> int:
    """Counting days (working days where the rules say so) of the period the public still has, today
    included while today's counting is not over; 0 once the period has closed. With ``starts_at``, a
    day before the period's first counted day (the day of publication) is not counted."""
    if now >= ends_at:
        return 0
    calendar = _Calendar()
    local = _china(now)
    day = local.date() if local.time() < rules.closing_time else local.date() + ONE_DAY
    if starts_at is not None:
        day = max(day, _first_day(starts_at, rules))
    last = _china(ends_at).date()
    left = 0
    while day <= last:
        if calendar.counts(day, rules):
            left += 1
        day += ONE_DAY
    return max(left, 1)



def resume_deadline(
    paused_at: datetime.datetime,
    resumed_at: datetime.datetime,
    ends_at: datetime.datetime,
    rules: ClockRules,
    *,
    restart: bool,
) -> Deadline:
    """The new end of a publicity period suspended by an objection and resumed after it was
    dismissed. ``restart``: the full period runs again from the resumption. Otherwise the days
    that were left at the pause (the day of the pause counts as used; at least one day is given
    back, so the public always has a day) run again from the day after the resumption."""
    if restart:
        return publicity_deadline(resumed_at, rules)
    remaining = days_left(paused_at, ends_at, rules)
    if _china(paused_at).time() < rules.closing_time:
        remaining -= 1 if _Calendar().counts(_china(paused_at).date(), rules) else 0
    return _deadline(_china(resumed_at).date() + ONE_DAY, max(remaining, 1), rules)
