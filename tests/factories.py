"""Factories and a small world: two institutions, a user for every role in each."""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from transfers.models import Institution, Membership, Role, RulePack, TransferCase
from transfers.services.filing import AchievementData, InventorData, case_file
from transfers.services.panels import OpinionData

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf(name: str = "file.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def docx(name: str = "file.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "张"
    first_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.django.Password("pw")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.LazyAttribute(lambda i: f"{i.code}大学")
    rule_pack = factory.LazyFunction(lambda: RulePack.objects.get(code="national", version=1))
    contact_email = "tto@example.cn"


@dataclass
class Side:
    institution: Institution
    users: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, role: str) -> Any:
        try:
            return self.__dict__["users"][role]
        except KeyError as exc:
            raise AttributeError(role) from exc


@dataclass
class World:
    a: Side
    b: Side


def make_side(code: str) -> Side:
    institution = InstitutionFactory(code=code)
    side = Side(institution)
    for role in Role.values:
        user = UserFactory(username=f"{code.lower()}_{role}")
        Membership.objects.create(user=user, institution=institution, role=role)
        side.users[role] = user
    return side


def build_world() -> World:
    return World(a=make_side("AAA"), b=make_side("BBB"))


def achievement_data(
    title: str = "一种耐旱马铃薯种薯快速繁育方法",
    number: str = "",
    kind: str = "know_how",
    shares: tuple[str, ...] = ("60", "40"),
    application_date: datetime.date | None = None,
    granted_on: datetime.date | None = None,
) -> AchievementData:
    """Know-how by default (no number, no dates); a patent kind needs its dates."""
    names = ["王𠮷祥", "马堃", "李三", "赵四"]
    return AchievementData(
        kind=kind,
        number=number,
        title=title,
        application_date=application_date,
        granted_on=granted_on,
        inventors=[InventorData(names[i], Decimal(s), i == 0) for i, s in enumerate(shares)],
    )


def file_case(
    side: Side, *, count: int = 1, by: Any = None, new: list[AchievementData] | None = None, **fields: Any
) -> TransferCase:
    """A draft of ``side`` with the usual deal; ``new``: its achievements (else ``count`` know-how items)."""
    values = {
        "title": "耐旱马铃薯技术转让",
        "mode": "assignment",
        "counterparty_name": "甘肃陇原科技发展有限公司",
        "pricing_method": "negotiated",
        "price_kind": "lump_sum",
        "price_amount": Decimal("12.5000"),
        "price_terms": "",
    }
    values.update(fields)
    return case_file(
        institution=side.institution,
        by=by or side.applicant,
        fields=values,
        existing=[],
        new=new
        if new is not None
        else [achievement_data(title=f"成果{n}号：一种耐旱马铃薯种薯快速繁育方法") for n in range(1, count + 1)],
        attachments=[("disclosure_form", pdf("披露表.pdf"))],
    )


def assert_flow_agrees(case: TransferCase) -> None:
    """The flow waits on the tasks of the case's stage: at least one, and none of another stage."""
    from workflows.flow import STAGE_NODES
    from workflows.selectors import open_task_names

    case.refresh_from_db()
    names, expected = open_task_names(case), STAGE_NODES.get(case.stage, set())
    assert names <= expected and bool(names) == bool(expected), (case.stage, names)


def experts_of(side: Side, count: int = 3) -> list[Any]:
    """The side's expert and as many more as a panel needs (created on first use)."""
    experts = [side.expert]
    for n in range(2, count + 1):
        key = f"expert_{n}"
        if key not in side.users:
            user = UserFactory(username=f"{side.institution.code.lower()}_{key}")
            Membership.objects.create(user=user, institution=side.institution, role=Role.EXPERT)
            side.users[key] = user
        experts.append(side.users[key])
    return experts


def opinion(recommendation: str = "approve", text: str = "技术成熟，定价合理，同意转化。",
            **scores: int) -> OpinionData:
    values = {"technical_maturity": 4, "market_prospects": 4, "price_reasonableness": 4, "risk_control": 4}
    values.update(scores)
    return OpinionData(**values, recommendation=recommendation, opinion=text,
                       conditions="须在合同中约定技术培训。" if recommendation == "conditions" else "")


def step(side: Side, case: TransferCase, user: Any, run: Any) -> TransferCase:
    """One step of a walk: ``run(case)`` as ``user``'s task, or the whole panel when ``run`` is None."""
    from workflows.services import case_act

    if run is None:
        return demonstrate(side, case)
    return case_act(case=case, user=user, run=lambda: run(case))


def demonstrate(side: Side, case: TransferCase) -> TransferCase:
    """论证 as people do it: the officer forms a panel of the quorum, each expert approves, the
    officer passes it to decision."""
    from workflows.services import panel_walk

    quorum = case.applicable_rule_pack.expert_quorum
    return panel_walk(case=case, officer=side.tto_officer, experts=experts_of(side, quorum),
                      opinions=[opinion() for _ in range(quorum)])


def registered_contract(case: TransferCase) -> TransferCase:
    """A case in 实施 with its contract recorded and registered (no income yet), so it may complete
    (``TransferCase.completion_gaps``); recorded by one of its institution's TTO officers."""
    from transfers import clock
    from transfers.models import Contract, PaymentKind, Stage
    from transfers.selectors import role_holders
    from transfers.services.contracts import ContractData, contract_record, contract_register

    case = TransferCase.objects.get(pk=case.pk)
    if case.stage != Stage.IMPLEMENTATION or Contract.objects.filter(case=case).exists():
        return case
    officer = role_holders(case.institution_id, [Role.TTO_OFFICER]).first()
    today = clock.china_today()
    contract_record(case=case, by=officer, document=pdf("合同.pdf"), data=ContractData(
        counterparty_name=case.counterparty_name[:60], signed_on=today, term_starts_on=today,
        payment_kind=PaymentKind.INSTALMENTS, amount=Decimal("10"), instalments=[(today, Decimal("10"))]))
    contract_register(case=case, by=officer, number="6201000020260001", registered_on=today,
                      registry="甘肃省技术市场管理办公室")
    return TransferCase.objects.get(pk=case.pk)
