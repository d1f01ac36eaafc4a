"""Money in 万元 with four decimals (one yuan), split so that the parts add up to the whole exactly.

**The rounding rule** (docs/architecture.md, "Money"). A pool is split in whole units of one yuan
(0.0001 万元; for an equity grant, 0.0001 万股). Splitting uses exact fractions, never floats:

1. The part the law protects is rounded *up* to the unit: the team's share of the net income (law
   第四十五条, seed 003 三.8: "不低于50%") and, within the team's share, the main contributors' share
   (国发〔2016〕16号: "不低于奖励总额的50%"). Rounding therefore never takes a yuan from the side a floor
   protects.
2. The other parts share what is left by the largest-remainder method: each gets the whole units of its
   exact share, and the units left over (fewer than the number of parts) go one each to the parts with
   the largest remainders, the earlier part first among equal remainders.

So every part is within one yuan of its exact share, and the parts add up to the pool, always.
Payments are recorded in yuan with fen (``yuan``: half-up to the fen, exact for whole yuan).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

UNIT = Decimal("0.0001")
HUNDRED = Decimal("100")


def _units(amount: Decimal) -> int:
    if amount < 0:
        raise ValueError(f"a pool cannot be negative: {amount}")
    units = Fraction(amount) / Fraction(UNIT)
    if units.denominator != 1:
        raise ValueError(f"not a whole number of yuan: {amount}")
    return int(units)


def _amount(units: int) -> Decimal:
    return (Decimal(units) * UNIT).quantize(UNIT)


def _largest_remainder(units: int, weights: Sequence[Fraction]) -> list[int]:
    total = sum(weights)
    exact = [units * w / total for w in weights]
    parts = [math.floor(e) for e in exact]
    left = units - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:left]:
        parts[i] += 1
    return parts


def split(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """``total`` in proportion to ``weights`` (largest remainder, in whole yuan): the parts add up to
    ``total`` exactly. Weights must not be negative and must not all be zero."""
    return split_exact(total, [Fraction(w) for w in weights])


def split_exact(total: Decimal, weights: Sequence[Fraction]) -> list[Decimal]:
    """``split`` for exact fractional weights (e.g. a third of an achievement's share)."""
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("weights must be non-negative and not all zero")
    return [_amount(n) for n in _largest_remainder(_units(total), list(weights))]


def split_protected(
    total: Decimal, protected_pct: Decimal | Fraction, others: Sequence[Decimal | Fraction]
) -> tuple[Decimal, list[Decimal]]:
    """``protected_pct`` % of ``total`` rounded up to the unit, and the rest split among ``others``
    (weights of what is left, e.g. the other percentages) by the largest remainder."""
    if not 100 >= protected_pct >= 0:
        raise ValueError(f"a percentage: {protected_pct}")
    units = _units(total)
    protected = math.ceil(units * Fraction(protected_pct) / 100)
    rest = units - protected
    if not others:
        if rest:
            raise ValueError("nothing to take the rest")
        return _amount(protected), []
    if sum(others) == 0:
        if rest:
            raise ValueError("the other parts have no weight but there is a rest to share")
        return _amount(protected), [_amount(0) for _ in others]
    return _amount(protected), [_amount(n) for n in _largest_remainder(rest, [Fraction(w) for w in others])]


def yuan(wan_yuan: Decimal) -> Decimal:
    """An amount in 万元 as yuan with fen, half-up (``Decimal("1.23456")`` → ``12345.60``)."""
    return (Decimal(wan_yuan) * 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Contributor:
    """One person of the team with their contribution share (percent of the team's reward)."""

    name: str
    share_pct: Decimal
    is_main: bool


def split_team(team_pool: Decimal, people: Sequence[Contributor]) -> list[Decimal]:
    """The team's reward per person: the main contributors' part rounded up to the yuan (their floor is
    never missed by rounding), each group split by the largest remainder of the contribution shares."""
    if not people:
        raise ValueError("a team has at least one person")
    main_pct = sum((p.share_pct for p in people if p.is_main), Decimal(0))
    total_pct = sum((p.share_pct for p in people), Decimal(0))
    if total_pct != HUNDRED:
        raise ValueError(f"contribution shares add up to {total_pct}, not 100")
    main_pool, rest = split_protected(team_pool, main_pct, [HUNDRED - main_pct])
    amounts: list[Decimal] = [Decimal(0)] * len(people)
    for pool, members in ((main_pool, [i for i, p in enumerate(people) if p.is_main]),
                          (rest[0], [i for i, p in enumerate(people) if not p.is_main])):
        if not members:
            continue
        weights = [people[i].share_pct for i in members]
        parts = split(pool, weights) if sum(weights) else [Decimal(0)] * len(members)
        for i, part in zip(members, parts, strict=True):
            amounts[i] = part
    return amounts
