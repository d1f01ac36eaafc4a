"""The rounding rule of rewards (``transfers.money``): every split adds up to its pool exactly, every
part is within one yuan of its exact share, and rounding never takes a yuan from the side a floor
protects (the team, then the main contributors)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transfers.money import UNIT, Contributor, split, split_protected, split_team, yuan

# 0 to 1 亿元, in whole yuan (万元 with four decimals)
amounts = st.integers(min_value=0, max_value=10**8).map(lambda n: Decimal(n) * UNIT)
percents = st.integers(min_value=0, max_value=10000).map(lambda n: Decimal(n) / 100)  # 0.00 … 100.00


def exact_share(total, weight, weights):
    return Fraction(total) * Fraction(weight) / Fraction(sum(weights))


@given(amounts, st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12).filter(any))
def test_a_split_adds_up_and_each_part_is_within_a_yuan(total, raw_weights):
    weights = [Decimal(w) for w in raw_weights]
    parts = split(total, weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        assert part == part.quantize(UNIT)
        assert abs(Fraction(part) - exact_share(total, weight, weights)) < Fraction(UNIT)


def test_three_way_splits_of_awkward_amounts():
    assert split(Decimal("10"), [Decimal(1)] * 3) == [Decimal("3.3334"), Decimal("3.3333"), Decimal("3.3333")]
    assert split(Decimal("0.0001"), [Decimal(1)] * 3) == [Decimal("0.0001"), Decimal("0"), Decimal("0")]
    assert split(Decimal("0.0002"), [Decimal(1)] * 3) == [Decimal("0.0001"), Decimal("0.0001"), Decimal("0")]
    # 12.3457 万元 at 50 / 30 / 20: 6.17285, 3.70371, 2.46914 → the half goes to the largest remainder
    assert split(Decimal("12.3457"), [Decimal(50), Decimal(30), Decimal(20)]) == [
        Decimal("6.1729"), Decimal("3.7037"), Decimal("2.4691")]
    assert sum(split(Decimal("99999999.9999"), [Decimal(1)] * 7)) == Decimal("99999999.9999")


@given(amounts, percents, st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=4).filter(any))
def test_the_protected_part_is_rounded_up_and_the_rest_adds_up(total, protected_pct, raw_others):
    protected, others = split_protected(total, protected_pct, [Decimal(w) for w in raw_others])
    assert Fraction(protected) >= Fraction(total) * Fraction(protected_pct) / 100
    assert Fraction(protected) - Fraction(total) * Fraction(protected_pct) / 100 < Fraction(UNIT)
    assert protected + sum(others) == total


def test_a_tiny_pool_goes_to_the_team_first():
    # 3 yuan at 50 / 30 / 20: largest remainder alone would give the team 1 yuan (33%) < its 50% floor
    team, (institution, college) = split_protected(Decimal("0.0003"), Decimal(50), [Decimal(30), Decimal(20)])
    assert (team, institution, college) == (Decimal("0.0002"), Decimal("0.0001"), Decimal("0"))


@st.composite
def teams(draw):
    size = draw(st.integers(min_value=1, max_value=8))
    cuts = sorted(draw(st.lists(st.integers(min_value=0, max_value=10000), min_size=size - 1, max_size=size - 1)))
    bounds = [0, *cuts, 10000]
    shares = [Decimal(b - a) / 100 for a, b in zip(bounds, bounds[1:], strict=False)]
    mains = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    return [Contributor(f"P{i}", share, main) for i, (share, main) in enumerate(zip(shares, mains, strict=True))]


@given(amounts, teams())
def test_a_team_split_adds_up_and_keeps_the_main_contributors_share(pool, people):
    amounts_ = split_team(pool, people)
    assert sum(amounts_) == pool
    main_pct = sum((p.share_pct for p in people if p.is_main), Decimal(0))
    main_amount = sum((a for a, p in zip(amounts_, people, strict=True) if p.is_main), Decimal(0))
    assert Fraction(main_amount) >= Fraction(pool) * Fraction(main_pct) / 100
    for amount, person in zip(amounts_, people, strict=True):
        assert abs(Fraction(amount) - Fraction(pool) * Fraction(person.share_pct) / 100) < 2 * Fraction(UNIT)


def test_a_team_split_of_a_real_reward():
    people = [Contributor("王𠮷祥", Decimal("40"), True), Contributor("马堃", Decimal("35"), True),
              Contributor("李三", Decimal("25"), False)]
    # 8.6419 万元 to the team: the main contributors' 75% is 6.481425 → rounded up to 6.4815, shared 40 : 35
    assert split_team(Decimal("8.6419"), people) == [Decimal("3.4568"), Decimal("3.0247"), Decimal("2.1604")]


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        split(Decimal("1.00005"), [Decimal(1)])  # a fraction of a yuan
    with pytest.raises(ValueError):
        split(Decimal("-1"), [Decimal(1)])
    with pytest.raises(ValueError):
        split(Decimal("1"), [Decimal(0), Decimal(0)])
    with pytest.raises(ValueError):
        split_team(Decimal("1"), [Contributor("甲", Decimal("60"), True)])  # shares not 100


def test_payments_are_in_yuan_with_fen():
    assert yuan(Decimal("12.3456")) == Decimal("123456.00")
    assert yuan(Decimal("0.00005")) == Decimal("0.50")
    assert yuan(Decimal("0.000005")) == Decimal("0.05")
    assert yuan(Decimal("0.0000005")) == Decimal("0.01")  # half-up to the fen
