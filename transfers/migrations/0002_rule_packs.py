"""The two rule packs every installation starts with; each value carries the clause it comes from."""

import datetime
from decimal import Decimal

from django.db import migrations

LAW_18 = "《中华人民共和国促进科技成果转化法》第十八条：通过协议定价的，应当在本单位公示科技成果名称和拟交易价格。"
STATE_COUNCIL_PUBLICITY = (
    "《实施〈中华人民共和国促进科技成果转化法〉若干规定》（国发〔2016〕16号）：通过协议定价的，应当在本单位公示科技成果"
    "名称和拟交易价格，公示时间不少于15日。单位应当明确并公开异议处理程序和办法。"
)
LAW_45_1 = (
    "《中华人民共和国促进科技成果转化法》第四十五条第一款第（一）项：将该项职务科技成果转让、许可给他人实施的，"
    "从该项科技成果转让净收入或者许可净收入中提取不低于百分之五十的比例。"
)
LAW_45_2 = (
    "《中华人民共和国促进科技成果转化法》第四十五条第一款第（二）项：利用该项职务科技成果作价投资的，"
    "从该项科技成果形成的股份或者出资比例中提取不低于百分之五十的比例。"
)
STATE_COUNCIL_MAIN = (
    "国发〔2016〕16号：对研发和成果转化作出主要贡献的人员，获得奖励的份额不低于奖励总额的50%。"
)
SEED_003_PROCESS = (
    "《庆阳市创建省级科技成果转移转化示范区实施方案》三、2：建立包括发起、初审、评估、论证、决策、公示和实施等"
    "完善的科技成果转移转化流程。"
)
SEED_003_REWARD = (
    "《庆阳市创建省级科技成果转移转化示范区实施方案》三、8：对以技术转让或者许可方式转化职务科技成果的，从技术转让或者"
    "许可所取得的净收入中提取不低于50%的比例用于奖励；对以科技成果作价投资实施转化的，从作价投资取得的股份或者出资比例中"
    "提取不低于50%的比例用于奖励。"
)
SEED_003_MAIN = (
    "《庆阳市创建省级科技成果转移转化示范区实施方案》三、8：对在研究开发和科技成果转化中作出主要贡献的人员，"
    "获得奖励的份额不低于奖励总额的50%。"
)
DUE = {"preliminary_review": 5, "assessment": 20, "demonstration": 15, "decision": 20, "implementation": 180}
DUE_CLAUSE = "各环节办理时限为单位内部管理要求（可由单位管理员调整），非法定期限。"

PACKS = [
    {
        "code": "national",
        "name": "国家规定（默认）",
        "publicity_days": 15,
        "publicity_working_days": False,
        "clauses": {
            "publicity_days": STATE_COUNCIL_PUBLICITY,
            "publicity_working_days": STATE_COUNCIL_PUBLICITY + "（按自然日计算）",
            "publicity_content": LAW_18,
            "stage_due_days": DUE_CLAUSE,
            "reward_floor_transfer_pct": LAW_45_1,
            "reward_floor_equity_pct": LAW_45_2,
            "main_contributor_floor_pct": STATE_COUNCIL_MAIN,
        },
    },
    {
        "code": "gansu",
        "name": "甘肃省（庆阳示范区方案）",
        "publicity_days": 15,
        "publicity_working_days": True,
        "clauses": {
            "publicity_days": STATE_COUNCIL_PUBLICITY,
            "publicity_working_days": "本规则包按15个工作日公示，长于国家规定的不少于15日（单位选择，不低于国家下限）。",
            "publicity_content": LAW_18,
            "process": SEED_003_PROCESS,
            "stage_due_days": DUE_CLAUSE,
            "reward_floor_transfer_pct": SEED_003_REWARD,
            "reward_floor_equity_pct": SEED_003_REWARD,
            "main_contributor_floor_pct": SEED_003_MAIN,
        },
    },
]


def create_packs(apps, schema_editor):
    RulePack = apps.get_model("transfers", "RulePack")
    for spec in PACKS:
        RulePack.objects.get_or_create(
            code=spec["code"],
            version=1,
            defaults={
                "name": spec["name"],
                "publicity_days": spec["publicity_days"],
                "publicity_working_days": spec["publicity_working_days"],
                "publicity_start_day_counts": False,
                "publicity_closing_time": datetime.time(17, 0),
                "stage_due_days": DUE,
                "expert_quorum": 3,
                "reward_floor_transfer_pct": Decimal("50"),
                "reward_floor_equity_pct": Decimal("50"),
                "main_contributor_floor_pct": Decimal("50"),
                "clauses": spec["clauses"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("transfers", "0001_initial")]
    operations = [migrations.RunPython(create_packs, migrations.RunPython.noop)]
