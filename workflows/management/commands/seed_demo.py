"""``python manage.py seed_demo``: two institutions, a login for every role in each, and cases in
every stage, walked there through the services and the flow's tasks (never by writing ``stage``),
so their audit trails and tasks are real. Idempotent: a second run only resets the demo passwords.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from transfers import clock
from transfers.addresses import public_base_url
from transfers.models import (
    Institution,
    Membership,
    Notice,
    PaymentKind,
    ReceiptKind,
    Role,
    RulePack,
    Stage,
    TransferCase,
)
from transfers.services import cases as svc
from transfers.services.contracts import (
    ContractData,
    DeductionData,
    ReceiptData,
    contract_record,
    contract_register,
    receipt_record,
)
from transfers.services.corrections import case_correct_notice
from transfers.services.filing import CORRECTABLE_FIELDS, AchievementData, InventorData, case_file
from transfers.services.imports import ImportData, case_import
from transfers.services.objections import objection_file
from transfers.services.panels import OpinionData
from transfers.services.payments import rewards_pay
from transfers.services.reward_notices import current_reward_notice, reward_notices_close_due
from transfers.services.rewards import (
    Ratios,
    ShareChange,
    distribution_adjust,
    distribution_decide,
    distribution_propose,
)
from transfers.validators import validate_patent_number
from workflows.flow import RewardFlow
from workflows.services import case_act, panel_walk, task_execute

DEMO_PASSWORD = "demo-2026"

#: the panel of three the rule packs ask for: the expert above and two more, one of them external
MORE_EXPERTS = [("expert2", "孙", "明远", ""), ("expert3", "周", "立新", "甘肃省科学院")]

OPINIONS = [
    OpinionData(technical_maturity=4, market_prospects=4, price_reasonableness=4, risk_control=4,
                recommendation="approve", opinion="技术成熟，已完成中试，定价合理，同意转化。"),
    OpinionData(technical_maturity=5, market_prospects=4, price_reasonableness=3, risk_control=4,
                recommendation="conditions", opinion="技术先进，市场前景良好；价格略低于同类成果。",
                conditions="合同中约定受让方提供两年技术培训与产业化数据反馈。"),
    OpinionData(technical_maturity=4, market_prospects=3, price_reasonableness=4, risk_control=4,
                recommendation="approve", opinion="风险可控，同意转化。"),
]

INSTITUTIONS = [
    {
        "code": "LZU",
        "name": "兰州大学",
        "pack": "national",
        "email": "tto@lzu.example.cn",
        "phone": "0931-8912345",
        "address": "甘肃省兰州市城关区天水南路222号 科技成果转化办公室",
        "office": "科技成果转化办公室",
        "objection_office": "",
    },
    {
        "code": "LDU",
        "name": "陇东学院",
        "pack": "gansu",
        "email": "kjc@ldxy.example.cn",
        "phone": "0934-8632000",
        "address": "甘肃省庆阳市西峰区兰州路45号 科技处",
        "office": "科技处",
        "objection_office": "纪委办公室",
    },
]

PEOPLE = {
    Role.APPLICANT: ("applicant", "王", "𠮷祥"),
    Role.TTO_OFFICER: ("tto", "李", "堃"),
    Role.ASSESSOR: ("assessor", "张", "评"),
    Role.EXPERT: ("expert", "赵", "论证"),
    Role.DECISION_SECRETARY: ("secretary", "刘", "秘书"),
    Role.INSTITUTION_ADMIN: ("admin", "陈", "管理"),
    Role.TTO_HEAD: ("head", "吴", "主任"),
}

TITLES = [
    "一种耐旱马铃薯种薯快速繁育方法",
    "基于深度学习的黄土滑坡监测预警系统",
    "一种低温等离子体废水处理装置",
    "苹果采后保鲜涂膜剂及其制备方法",
    "一种光伏板自清洁机器人",
    "镁合金表面微弧氧化涂层及工艺",
    "中药材当归有效成分提取工艺",
    "一种小型无人机植保喷洒装置",
    "石油钻井泥浆固液分离方法",
    "玉米秸秆生物炭制备技术",
    "一种高寒地区混凝土抗冻外加剂",
    "牛羊布病快速检测试纸条",
    "基于北斗的农机作业计量终端",
    "一种荞麦面条加工方法",
]

#: the stage each demo case is walked to (the first is filed long ago, so publicity could end)
TARGETS = [
    Stage.IMPLEMENTATION,  # paid in instalments: one reward notice over and paid, one in publicity
    Stage.IMPLEMENTATION,  # a licence paid by royalties: the first royalty's split awaits approval
    Stage.TERMINATED,
    Stage.PUBLICITY,
    Stage.OBJECTION_REVIEW,
    Stage.DECISION,
    Stage.DEMONSTRATION,
    Stage.ASSESSMENT,
    Stage.PRELIMINARY_REVIEW,
    Stage.RETURNED,
    Stage.REJECTED,
    Stage.WITHDRAWN,
    Stage.DRAFT,
    Stage.COMPLETED,  # paid at once, its reward published and paid, the case closed
    Stage.IMPLEMENTATION,  # an investment: the achievement's value as shares of a company
]
#: the demo case paid in instalments, the one paid by royalties, and the one transferred by investment (作价投资)
INSTALMENT_INDEX, ROYALTY_INDEX, EQUITY_INDEX = 0, 1, len(TARGETS) - 1


def demo_pdf(title: str) -> SimpleUploadedFile:
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(f"{title}.pdf", body, content_type="application/pdf")


def patent_number(year: int, kind_digit: int, serial: int) -> str:
    """A well-formed application number: the check character is the one the validator accepts."""
    digits = f"{year}{kind_digit}{serial:07d}"
    for check in "0123456789X":
        try:
            return validate_patent_number(f"ZL{digits}.{check}")
        except Exception:  # noqa: S112 - try the next check character
            continue
    raise RuntimeError(digits)


class Command(BaseCommand):
    help = "Create demo institutions, users for every role and cases in every stage (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--logins-only", action="store_true", help="only print the demo logins")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:  # production: demo accounts share one published password
            raise CommandError("seed_demo refuses to run under production settings (DEMO_DATA_ALLOWED is False): "
                               "its accounts all share the password printed in README.md.")
        if options["logins_only"]:
            self._print_logins()
            return
        User = get_user_model()
        walks: list[tuple[Institution, dict[str, Any]]] = []
        with transaction.atomic():
            if not User.objects.filter(username="admin").exists():
                User.objects.create_superuser("admin", "admin@example.cn", DEMO_PASSWORD)
            for spec in INSTITUTIONS:
                pack = RulePack.objects.filter(code=spec["pack"]).order_by("-version").first()
                assert pack is not None, "rule packs come from migrations"
                institution, _ = Institution.objects.get_or_create(
                    code=spec["code"],
                    defaults={
                        "name": spec["name"],
                        "rule_pack": pack,
                        "contact_email": spec["email"],
                        "contact_phone": spec["phone"],
                        "address": spec["address"],
                        "office_name": spec["office"],
                        "objection_office": spec["objection_office"],
                    },
                )
                users: dict[str, Any] = {}
                for role, (suffix, last, first) in PEOPLE.items():
                    username = f"{spec['code'].lower()}_{suffix}"
                    user, _ = User.objects.get_or_create(
                        username=username,
                        defaults={"last_name": last, "first_name": first, "email": f"{username}@example.cn"},
                    )
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                    Membership.objects.get_or_create(user=user, institution=institution, role=role)
                    users[role] = user
                users["more_experts"] = [
                    self._person(institution, f"{spec['code'].lower()}_{suffix}", last, first, Role.EXPERT,
                                 external=bool(affiliation), affiliation=affiliation)
                    for suffix, last, first, affiliation in MORE_EXPERTS
                ]
                if not TransferCase.objects.filter(institution=institution).exists():
                    walks.append((institution, users))
        # each step commits on its own, as a real one does: a notice is rendered after its approval commits
        for institution, users in walks:
            self._walk_cases(institution, users)
        self._check_printed_address()
        self._print_logins()

    @staticmethod
    def _person(institution: Institution, username: str, last: str, first: str, role: str, **membership: Any) -> Any:
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"last_name": last, "first_name": first, "email": f"{username}@example.cn"}
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.get_or_create(user=user, institution=institution, role=role, defaults=membership)
        return user

    def _check_printed_address(self) -> None:
        """Demo notices print the address the demo is served at; say so if an older run printed another."""
        printed = Notice.objects.exclude(printed_base_url=public_base_url()).values_list("printed_base_url", flat=True)
        others = set(printed)
        if others:
            self.stdout.write(self.style.WARNING(
                f"Demo notices in this database print {', '.join(sorted(others))}, not {public_base_url()}: "
                "their QR codes lead elsewhere. `make run PORT=N` keeps one database per port (var/db-N.sqlite3)."
            ))

    def _print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        self.stdout.write("  admin                superuser, /admin/")
        for spec in INSTITUTIONS:
            for role, (suffix, _last, _first) in PEOPLE.items():
                self.stdout.write(f"  {spec['code'].lower() + '_' + suffix:<20} {role.label} · {spec['name']}")
            for suffix, _last, _first, affiliation in MORE_EXPERTS:
                label = f"{Role.EXPERT.label}（{affiliation}）" if affiliation else Role.EXPERT.label
                self.stdout.write(f"  {spec['code'].lower() + '_' + suffix:<20} {label} · {spec['name']}")

    def _walk_cases(self, institution: Institution, users: dict[str, Any]) -> None:
        start = timezone.now() - datetime.timedelta(days=60)
        for index, target in enumerate(TARGETS):
            moment = start + datetime.timedelta(days=index)
            if target in (Stage.PUBLICITY, Stage.OBJECTION_REVIEW):
                moment = timezone.now() - datetime.timedelta(days=8)  # publicity still running today
            if target == Stage.COMPLETED:
                moment = start  # early enough for its reward notice to be over and paid
            with clock.travel_to(moment):
                case = self._file(institution, users, index)
            # a case completes once its money is done (``TransferCase.completion_gaps``): walked to 实施 first
            self._walk(case, Stage.IMPLEMENTATION if target == Stage.COMPLETED else target, users, moment)
            if target == Stage.PUBLICITY:
                with clock.travel_to(moment + datetime.timedelta(days=6)):
                    self._correct(case, users[Role.TTO_OFFICER])
            tto, head = users[Role.TTO_OFFICER], users[Role.TTO_HEAD]
            if index == INSTALMENT_INDEX:
                self._instalments_paid(case, tto, head)
            elif index == ROYALTY_INDEX:
                self._first_royalty(case, tto)
            elif index == EQUITY_INDEX:
                self._equity_granted(case, tto)
            elif target == Stage.COMPLETED:
                self._paid_at_once(case, tto, head)
        self._imported(institution, users)

    def _imported(self, institution: Institution, users: dict[str, Any]) -> None:
        """A transfer approved and publicised in 2024, before the system: imported, its contract registered
        and its first payment received (its split not yet proposed)."""
        tto = users[Role.TTO_OFFICER]
        achievement = self._achievement(institution, len(TARGETS), 3, users[Role.APPLICANT])
        case = case_file(institution=institution, by=tto, existing=[], new=[achievement], attachments=[],
                         fields={"title": "荞麦深加工技术转让（2024年已公示）", "mode": "assignment",
                                 "counterparty_name": "甘肃陇原食品有限公司", "pricing_method": "negotiated",
                                 "price_kind": "lump_sum", "price_amount": Decimal("6"), "price_terms": ""})
        number = f"{institution.name[:2]}科转〔2024〕7号"
        case = case_import(case=case, by=tto, minutes=demo_pdf("校长办公会会议纪要（2024年）"),
                           notice_file=demo_pdf("科技成果转化公示（2024年）"),
                           comment="系统上线前已审批并公示，补录以便登记收入和奖励。",
                           data=ImportData(decision_body="校长办公会", decided_on=datetime.date(2024, 4, 8),
                                           notice_number=number, publicity_started_on=datetime.date(2024, 4, 10),
                                           publicity_ended_on=datetime.date(2024, 4, 25)))
        signed = datetime.date(2024, 5, 6)
        contract_record(case=case, by=tto, document=demo_pdf("技术转让合同（2024年）"), data=ContractData(
            counterparty_name="甘肃陇原食品有限公司", signed_on=signed, term_starts_on=signed,
            term_ends_on=signed + datetime.timedelta(days=365 * 3), payment_kind=PaymentKind.INSTALMENTS,
            amount=Decimal("6"), instalments=[(datetime.date(2024, 6, 1), Decimal("3")),
                                              (datetime.date(2025, 6, 1), Decimal("3"))]))
        contract_register(case=case, by=tto, number="6201010000240042", registered_on=datetime.date(2024, 5, 20),
                          registry="甘肃省技术市场管理办公室", certificate=demo_pdf("技术合同认定登记证明（2024年）"))
        receipt_record(case=case, by=tto, voucher=demo_pdf("银行收款回单"), data=ReceiptData(
            kind=ReceiptKind.PAYMENT, received_on=datetime.date(2024, 6, 3), amount=Decimal("3"),
            payer="甘肃陇原食品有限公司", deductions=[DeductionData("taxes", Decimal("0.18"))]))

    @staticmethod
    def _on(day: datetime.date, hour: int = 10) -> Any:
        """Act on ``day`` (at ``hour`` in China), never later than a minute ago."""
        moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=clock.CHINA)
        return clock.travel_to(min(moment, timezone.now() - datetime.timedelta(minutes=1)))

    @staticmethod
    def _signed(case: TransferCase, days: int) -> datetime.date:
        """The contract's date: ``days`` after publicity ended, never after today."""
        case = TransferCase.objects.get(pk=case.pk)
        assert case.publicity_ends_at is not None
        return min(clock.in_china(case.publicity_ends_at).date() + datetime.timedelta(days=days), clock.china_today())

    @staticmethod
    def _approve(distribution: Any, head: Any) -> Any:
        """The TTO head approves from the task in their queue; the reward notice is published."""
        task = Task.objects.get(flow_task=RewardFlow.approve_distribution, process__seed_object_id=distribution.pk,
                                status=STATUS.NEW)
        task_execute(task=task, user=head, run=partial(distribution_decide, distribution=distribution, by=head,
                                                        approve=True, comment="同意按此方案分配。"))
        return current_reward_notice(distribution)

    @classmethod
    def _received_and_paid(cls, receipt: Any, tto: Any, head: Any, ratios: Ratios) -> datetime.date:
        """A receipt distributed the day after it came in, its reward notice published, and everyone paid
        the working day after the notice's period ended (all in the past)."""
        with cls._on(receipt.received_on + datetime.timedelta(days=1)):
            distribution = distribution_propose(receipt=receipt, by=tto, ratios=ratios)
            notice = cls._approve(distribution, head)
        assert notice is not None
        payday = clock.in_china(notice.ends_at).date() + datetime.timedelta(days=1)
        with cls._on(payday):
            rewards_pay(distribution=distribution, by=tto, positions=[s.position for s in distribution.shares.all()],
                        paid_on=clock.china_today())
            reward_notices_close_due()
        return payday

    @classmethod
    def _instalments_paid(cls, case: TransferCase, tto: Any, head: Any) -> None:
        """An assignment paid in two instalments, registered, both received and distributed: the first
        reward notice is over and its people paid; the second split, adjusted by the officer, approved and
        in publicity now."""
        signed = cls._signed(case, 2)

        def day(n: int) -> datetime.date:  # n days after signing, never after today
            return min(signed + datetime.timedelta(days=n), clock.china_today())

        with cls._on(signed):
            contract_record(case=case, by=tto, document=demo_pdf("技术转让合同"), data=ContractData(
            counterparty_name=case.counterparty_name, signed_on=signed, term_starts_on=signed,
            term_ends_on=signed + datetime.timedelta(days=365 * 5), payment_kind=PaymentKind.INSTALMENTS,
                amount=Decimal("4"), instalments=[(signed + datetime.timedelta(days=10), Decimal("2.5")),
                                                  (signed + datetime.timedelta(days=30), Decimal("1.5"))]))
        with cls._on(day(5)):
            contract_register(case=case, by=tto, number="6201010000260017", registered_on=day(5),
                              registry="甘肃省技术市场管理办公室", certificate=demo_pdf("技术合同认定登记证明"))
        ratios = Ratios(Decimal("70"), Decimal("20"), Decimal("10"), "地质科学与矿产资源学院")
        with cls._on(day(10)):
            first = receipt_record(case=case, by=tto, voucher=demo_pdf("银行收款回单"), data=ReceiptData(
                kind=ReceiptKind.PAYMENT, received_on=day(10), amount=Decimal("2.5"), payer=case.counterparty_name,
                deductions=[DeductionData("valuation_fee", Decimal("0.3"), "资产评估报告"),
                            DeductionData("taxes", Decimal("0.15"))]))
        cls._received_and_paid(first, tto, head, ratios)
        with cls._on(day(30)):
            second = receipt_record(case=case, by=tto, voucher=demo_pdf("银行收款回单"), data=ReceiptData(
                kind=ReceiptKind.PAYMENT, received_on=day(30), amount=Decimal("1.5"), payer=case.counterparty_name,
                deductions=[DeductionData("patent_fees", Decimal("0.0950"), "发明专利第3年年费"),
                            DeductionData("taxes", Decimal("0.09"))]))
            distribution = distribution_propose(receipt=second, by=tto, ratios=ratios)
            shares = list(distribution.shares.all())
            changes = [ShareChange(s.position, s.amount, "教授" if s.is_main_contributor else "副教授", "专利发明人")
                       for s in shares]
            distribution_adjust(distribution=distribution, by=tto, changes=changes, reason="补充获奖人员职称和角色。")
        cls._approve(distribution, head)  # today: its notice is in publicity

    @classmethod
    def _paid_at_once(cls, case: TransferCase, tto: Any, head: Any) -> None:
        """A licence paid at once: registered, received, its reward published and paid, the case closed."""
        signed = cls._signed(case, 1)
        received = min(signed + datetime.timedelta(days=2), clock.china_today())
        amount = case.price_amount or Decimal("10")
        with cls._on(signed):
            contract_record(case=case, by=tto, document=demo_pdf("技术许可合同"), data=ContractData(
                counterparty_name=case.counterparty_name, signed_on=signed, term_starts_on=signed,
                term_ends_on=signed + datetime.timedelta(days=365 * 3), payment_kind=PaymentKind.INSTALMENTS,
                amount=amount, instalments=[(signed + datetime.timedelta(days=2), amount)]))
            contract_register(case=case, by=tto, number="6201010000260031", registered_on=signed,
                              registry="甘肃省技术市场管理办公室", certificate=demo_pdf("技术合同认定登记证明"))
        with cls._on(received):
            receipt = receipt_record(case=case, by=tto, voucher=demo_pdf("银行收款回单"), data=ReceiptData(
                kind=ReceiptKind.PAYMENT, received_on=received, amount=amount, payer=case.counterparty_name,
                deductions=[DeductionData("taxes", Decimal("0.3"))]))
        payday = cls._received_and_paid(receipt, tto, head, Ratios(Decimal("70"), Decimal("30")))
        case = TransferCase.objects.get(pk=case.pk)
        with cls._on(payday, hour=15):
            case_act(case=case, user=tto, run=lambda: svc.case_complete(
                case=case, by=tto, comment="合同已登记，收入已分配，奖励已公示并发放。"))

    @classmethod
    def _equity_granted(cls, case: TransferCase, tto: Any) -> None:
        """An investment: the company's shares granted for the achievement, 70% of them proposed for the team."""
        signed = cls._signed(case, 3)
        granted = min(signed + datetime.timedelta(days=7), clock.china_today())
        with cls._on(signed):
            contract_record(case=case, by=tto, document=demo_pdf("技术作价投资协议"), data=ContractData(
                counterparty_name="甘肃陇原新材料科技有限公司", signed_on=signed, term_starts_on=signed,
                payment_kind=PaymentKind.EQUITY, equity_company="甘肃陇原新材料科技有限公司",
                equity_shares=Decimal("120"), equity_valuation=Decimal("120")))
        with cls._on(granted):
            grant = receipt_record(case=case, by=tto, voucher=demo_pdf("工商变更登记通知书"), data=ReceiptData(
                kind=ReceiptKind.EQUITY, received_on=granted, amount=Decimal("120"), shares=Decimal("120"),
                payer="甘肃陇原新材料科技有限公司"))
            distribution_propose(receipt=grant, by=tto, ratios=Ratios(Decimal("70"), Decimal("30")))

    @classmethod
    def _first_royalty(cls, case: TransferCase, tto: Any) -> None:
        """A licence paid by royalties: the contract, and its first royalty with a proposed split."""
        signed = cls._signed(case, 1)
        received = min(signed + datetime.timedelta(days=20), clock.china_today())
        with cls._on(signed):
            contract_record(case=case, by=tto, document=demo_pdf("技术许可合同"), data=ContractData(
                counterparty_name=case.counterparty_name, signed_on=signed, term_starts_on=signed,
                term_ends_on=signed + datetime.timedelta(days=365 * 5), payment_kind=PaymentKind.ROYALTY,
                royalty_base="产品销售净利润", royalty_rate_pct=Decimal("30")))
        with cls._on(received):
            royalty = receipt_record(case=case, by=tto, voucher=demo_pdf("银行收款回单"), data=ReceiptData(
                kind=ReceiptKind.ROYALTY, received_on=received, amount=Decimal("1.8653"), payer=case.counterparty_name,
                deductions=[DeductionData("taxes", Decimal("0.1119"), "增值税及附加")]))
            distribution_propose(receipt=royalty, by=tto, ratios=Ratios(Decimal("60"), Decimal("40")))

    def _correct(self, case: TransferCase, tto: Any) -> None:
        """A correction, as happens: the transferee's credit code was missing from the notice."""
        case = TransferCase.objects.get(pk=case.pk)
        fields = {name: getattr(case, name) for name in CORRECTABLE_FIELDS}
        fields["counterparty_credit_code"] = "91620100MA73XK7J40"
        case_correct_notice(case=case, by=tto, fields=fields, reason="补充受让方统一社会信用代码。")

    def _achievement(self, institution: Institution, index: int, offset: int, applicant: Any,
                     kind: str = "invention_patent") -> AchievementData:
        """A patent (granted, or still an application for the case in publicity), or know-how."""
        title = TITLES[(index + offset * 5) % len(TITLES)]
        year = 2021 + offset
        field = "农业与环境" if offset % 2 == 0 else "信息技术"
        inventors = [
            InventorData("王𠮷祥", Decimal("60"), True, applicant.pk),
            InventorData("马堃", Decimal("40"), False),
        ]
        if kind == "know_how":
            return AchievementData(kind=kind, number="", title=title, field=field, inventors=inventors,
                                   abstract=f"{title}：配套工艺参数与操作规程。")
        number = patent_number(year, 1, 234560 + index * 10 + offset + institution.pk * 1000)
        if kind == "invention_application":
            return AchievementData(kind=kind, number=number.removeprefix("ZL"), title=title, field=field,
                                   inventors=inventors, application_date=datetime.date(year, 3, 2),
                                   abstract=f"{title}：发明专利申请已进入实质审查。")
        return AchievementData(kind=kind, number=number, title=title, field=field, inventors=inventors,
                               application_date=datetime.date(year, 3, 2), granted_on=datetime.date(year + 1, 6, 14),
                               abstract=f"{title}：本成果已获授权，具备产业化条件。")

    def _file(self, institution: Institution, users: dict[str, Any], index: int) -> TransferCase:
        applicant = users[Role.APPLICANT]
        if index == 0:  # a package, as real transfers often are: a patent, an application and know-how
            achievements = [
                self._achievement(institution, index, 0, applicant),
                self._achievement(institution, index, 1, applicant, "invention_application"),
                self._achievement(institution, index, 2, applicant, "know_how"),
            ]
            title = "黄土滑坡监测预警系统"
        else:
            kind = "invention_application" if TARGETS[index] == Stage.PUBLICITY else "invention_patent"
            achievements = [self._achievement(institution, index, 0, applicant, kind)]
            title = achievements[0].title + "转让"
        royalty = index % 3 == 2 or index == ROYALTY_INDEX
        equity = index == EQUITY_INDEX
        mode = "equity_investment" if equity else ["assignment", "ordinary_licence", "exclusive_licence"][index % 3]
        if royalty:
            price_kind, amount, terms = "royalty", None, "产品销售净利润的30%，期限5年"
        elif equity:
            price_kind, amount, terms = "equity", Decimal("120"), "以成果作价入股，折合120万元出资额"
        else:
            price_kind, amount, terms = "lump_sum", Decimal("4") * (index + 1), "合同生效后30日内一次性支付"
        return case_file(
            institution=institution,
            by=applicant,
            fields={
                "title": title,
                "mode": mode,
                "counterparty_name": "甘肃陇原科技发展有限公司",
                "counterparty_credit_code": "",
                "counterparty_contact": "周经理 0931-5550123",
                "related_party": index == 4,
                "related_party_statement": "完成人马堃持有受让方5%股权，已回避表决。" if index == 4 else "",
                "pricing_method": "negotiated",
                "price_kind": price_kind,
                "price_amount": amount,
                "price_terms": terms,
            },
            existing=[],
            new=achievements,
            attachments=[("disclosure_form", demo_pdf("职务科技成果披露表"))],
        )

    @staticmethod
    def _object(case: TransferCase) -> TransferCase:
        """A member of the public objects on the notice page (the case goes to objection review)."""
        objection_file(
            notice=Notice.objects.get(case=case),
            name="李明",
            organisation="兰州某农业技术研究所",
            phone="13919876543",
            email="liming@example.cn",
            relation="同领域研究人员",
            reasons="拟交易价格明显低于近三年同类品种权的市场成交价格，建议重新评估后再行转让。",
        )
        return TransferCase.objects.get(pk=case.pk)

    def _walk(
        self, case: TransferCase, target: str, users: dict[str, Any], moment: datetime.datetime
    ) -> None:
        tto, assessor = users[Role.TTO_OFFICER], users[Role.ASSESSOR]
        experts = [users[Role.EXPERT], *users["more_experts"]]
        secretary, applicant = users[Role.DECISION_SECRETARY], users[Role.APPLICANT]
        steps: list[tuple[str, Any]] = []

        def step(stage: str, fn: Any) -> None:
            steps.append((stage, fn))

        step(Stage.PRELIMINARY_REVIEW, lambda c: svc.case_submit(case=c, by=applicant))
        if target == Stage.DRAFT:
            steps.clear()
        if target in (Stage.RETURNED, Stage.WITHDRAWN):
            step(
                Stage.RETURNED,
                lambda c: case_act(
                    case=c,
                    user=tto,
                    run=lambda: svc.case_return(
                        case=c, by=tto, comment="请补充成果的产业化前景分析，并核对完成人份额。"
                    ),
                ),
            )
            if target == Stage.WITHDRAWN:
                step(
                    Stage.WITHDRAWN,
                    lambda c: case_act(
                        case=c,
                        user=applicant,
                        run=lambda: svc.case_withdraw(
                            case=c, by=applicant, reason="受让方暂缓合作，先行撤回。"
                        ),
                    ),
                )
        elif target != Stage.DRAFT:
            step(
                Stage.ASSESSMENT,
                lambda c: case_act(
                    case=c,
                    user=tto,
                    run=lambda: svc.case_pass_preliminary_review(
                        case=c, by=tto, comment="材料齐全，同意进入评估。"
                    ),
                ),
            )
            step(
                Stage.DEMONSTRATION,
                lambda c: case_act(
                    case=c,
                    user=assessor,
                    run=lambda: svc.case_complete_assessment(
                        case=c,
                        by=assessor,
                        method="agency",
                        agency_name="甘肃衡信资产评估有限公司",
                        amount=Decimal("38.5000"),
                        report=demo_pdf("资产评估报告"),
                        note="经第三方评估机构评估。",
                    ),
                ),
            )
            if target == Stage.DEMONSTRATION:  # the panel mid-way: one opinion in, two still open
                step("panel", lambda c: panel_walk(case=c, officer=tto, experts=experts,
                                                   opinions=[OPINIONS[0], None, None], conclude=False))
            step(
                Stage.DECISION,
                lambda c: panel_walk(case=c, officer=tto, experts=experts, opinions=OPINIONS),
            )
            outcome = "reject" if target == Stage.REJECTED else "approve"
            step(
                Stage.PUBLICITY,
                lambda c: case_act(
                    case=c,
                    user=secretary,
                    run=lambda: svc.case_decide(
                        case=c,
                        by=secretary,
                        outcome=outcome,
                        body="校长办公会",
                        decided_on=clock.china_today(),
                        minutes=demo_pdf("校长办公会会议纪要"),
                        comment="会议审议通过。" if outcome == "approve" else "价格偏低，不同意。",
                    ),
                ),
            )
            if target == Stage.OBJECTION_REVIEW:
                step(Stage.OBJECTION_REVIEW, self._object)
            if target == Stage.TERMINATED:
                step(
                    Stage.TERMINATED,
                    lambda c: case_act(
                        case=c,
                        user=tto,
                        run=lambda: svc.case_terminate(case=c, by=tto, reason="受让方放弃受让。"),
                    ),
                )
            if target in (Stage.IMPLEMENTATION, Stage.COMPLETED):
                step(
                    "after_publicity",
                    lambda c: case_act(
                        case=c,
                        user=tto,
                        run=lambda: svc.case_finish_publicity(case=c, by=tto, comment="公示期满，无异议。"),
                    ),
                )
        for number, (stage, fn) in enumerate(steps):
            if case.stage == target and stage != "panel":
                break
            when = moment + datetime.timedelta(days=number + 1)
            if stage == "after_publicity":
                when = (case.publicity_ends_at or when) + datetime.timedelta(hours=1)
            with clock.travel_to(when):
                case = fn(TransferCase.objects.get(pk=case.pk))
        assert case.stage == target, (case.reference, case.stage, target)
