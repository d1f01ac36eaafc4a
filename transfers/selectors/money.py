"""The case page's money: the contract, its receipts, and for each distribution what its reward notice
allows now (answer an objection, pay the people). Reads only; the caller has checked the case is visible."""

from __future__ import annotations

from typing import Any

from ..models import Contract, Notice, NoticeKind, NoticeStatus, TransferCase
from ..services.reward_notices import payable_problem


def money_of(case: TransferCase) -> tuple[Contract | None, list[Any]]:
    """The contract and its receipts; each receipt's distribution carries ``notice`` (its current reward
    notice: the latest published version, else (or after a withdrawn one) the one rendering),
    ``rendering`` (a version is still being rendered), ``answerable`` (an objection suspends it and no
    answer is rendering) and ``payable`` (``services.reward_notices.payable_problem`` finds nothing), in
    three queries however many receipts."""
    contract = (Contract.objects.filter(case=case).select_related("document", "certificate")
                .prefetch_related("instalments").first())
    if contract is None:
        return None, []
    receipts = list(contract.receipts.select_related("voucher", "distribution__rule_pack")
                    .prefetch_related("deductions", "distribution__shares"))
    current: dict[int, Notice] = {}
    rendering: set[int] = set()
    reward_notices = (Notice.objects.filter(case=case, kind=NoticeKind.REWARD, distribution__isnull=False)
                      .exclude(status=NoticeStatus.SUPERSEDED).order_by("pk"))
    for version in reward_notices:
        assert version.distribution_id is not None
        if version.status == NoticeStatus.PENDING:
            rendering.add(version.distribution_id)
        shown = current.get(version.distribution_id)
        # a version rendering shows until one is published, and after a withdrawn one: an upheld objection
        # withdrew it and the adjusted split's new notice is on its way (a correction of a live one is not)
        if version.status != NoticeStatus.PENDING or shown is None or shown.status == NoticeStatus.WITHDRAWN:
            current[version.distribution_id] = version
    for receipt in receipts:
        distribution = receipt.distribution_or_none
        if distribution is None:
            continue
        notice = current.get(distribution.pk)
        published = notice if notice is not None and notice.status != NoticeStatus.PENDING else None
        distribution.notice = notice  # type: ignore[attr-defined]
        being_rendered = distribution.pk in rendering
        distribution.rendering = being_rendered  # type: ignore[attr-defined]
        distribution.answerable = (  # type: ignore[attr-defined]
            published is not None and published.status == NoticeStatus.SUSPENDED and not being_rendered
        )
        distribution.payable = not payable_problem(distribution, notice=published)  # type: ignore[attr-defined]
    return contract, receipts
