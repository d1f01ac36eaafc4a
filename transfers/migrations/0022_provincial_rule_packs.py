"""Three provincial rule packs whose regulations bind government-established universities to more than
the law (70% of the net income and of the shares; Shandong and Henan 10% of the operating profit; Zhejiang
70% for the main contributors and 15 days for the reward notice), each number with its clause quoted from
the regulation's text (docs/rule-packs.md names the sources); a pack's jurisdiction, and the packs that
print each achievement's abstract (内容摘要) in the notice as Zhejiang's and Henan's regulations ask."""

import datetime
from decimal import Decimal

from django.db import migrations, models

STATE_COUNCIL_PUBLICITY = (
    "《实施〈中华人民共和国促进科技成果转化法〉若干规定》（国发〔2016〕16号）：通过协议定价的，应当在本单位公示科技成果"
    "名称和拟交易价格，公示时间不少于15日。单位应当明确并公开异议处理程序和办法。"
)
STATE_COUNCIL_MAIN = "国发〔2016〕16号：对研发和成果转化作出主要贡献的人员，获得奖励的份额不低于奖励总额的50%。"
DUE = {"preliminary_review": 5, "assessment": 20, "demonstration": 15, "decision": 20, "implementation": 180}
DUE_CLAUSE = "各环节办理时限为单位内部管理要求（可由单位管理员调整），非法定期限。"
REWARD_PUBLICITY_INSTITUTION = "奖励公示期为单位内部规定（由单位管理员在规则包中设定）。"

ZJ = "《浙江省促进科技成果转化条例》（2017年3月30日修订，2021年9月29日修正）"
SD = "《山东省促进科技成果转化条例》（2017年12月1日修订，2018年1月1日起施行）"
HN = "《河南省促进科技成果转化条例》（2019年9月27日通过，2020年1月1日起施行）"

ZHEJIANG = {
    "publicity_days": ZJ + "第十七条第二款：政府设立的研究开发机构、高等院校通过协议方式确定科技成果价格的，应当在本单位和技术交易市场"
    "公示，公示内容包括科技成果名称、内容摘要、转化方式、拟交易价格，公示时间不得少于十五日。受让方是职务科技成果完成人或者其"
    "利害关系人的，应当予以标明。",
    "publicity_working_days": ZJ + "第十七条第二款：公示时间不得少于十五日（按自然日计算）。",
    "publicity_includes_abstract": ZJ + "第十七条第二款：公示内容包括科技成果名称、内容摘要、转化方式、拟交易价格。",
    "publicity_content": ZJ + "第十七条第二款：公示内容包括科技成果名称、内容摘要、转化方式、拟交易价格……受让方是职务科技成果"
    "完成人或者其利害关系人的，应当予以标明。",
    "stage_due_days": DUE_CLAUSE,
    "reward_floor_transfer_pct": ZJ + "第三十七条第一款第（一）项：以技术转让或者许可方式转化职务科技成果的，应当从技术转让或者许可"
    "所取得的净收入中提取不低于百分之七十的比例用于奖励。",
    "reward_floor_equity_pct": ZJ + "第三十七条第一款第（二）项：以职务科技成果作价投资实施转化的，应当从作价投资取得的股份或者出资"
    "比例中提取不低于百分之七十的比例用于奖励。",
    "reward_floor_profit_pct": ZJ + "第三十七条第一款第（三）项：自行实施或者与他人合作实施职务科技成果的，在实施转化成功投产后五年"
    "内，可以每年从实施该项科技成果的营业利润中提取不低于百分之十的比例用于奖励。（本项为“可以”，法定下限仍为"
    "《中华人民共和国促进科技成果转化法》第四十五条的百分之五。）",
    "main_contributor_floor_pct": ZJ + "第三十七条第二款：政府设立的研究开发机构、高等院校对完成、转化职务科技成果的主要贡献人员获得"
    "奖励的份额不低于奖励总额的百分之七十，承担科技成果转化的技术转移机构工作人员和管理人员获得奖励的份额不低于奖励总额的"
    "百分之五。",
    "reward_publicity_days": ZJ + "第三十九条：奖励情况应当在所在单位公示，公示时间不少于十五日。",
    "reward_publicity_working_days": ZJ + "第三十九条：公示时间不少于十五日（按自然日计算）。",
}
SHANDONG = {
    "publicity_days": SD + "第十四条：通过协议定价的，应当在本单位公示科技成果名称和拟交易价格等相关信息，公开异议处理程序和"
    "处理结果，公示时间不得少于十五日。",
    "publicity_working_days": SD + "第十四条：公示时间不得少于十五日（按自然日计算）。",
    "publicity_content": SD + "第十四条：应当在本单位公示科技成果名称和拟交易价格等相关信息，公开异议处理程序和处理结果。",
    "publish_objection_replies": SD + "第十四条：公开异议处理程序和处理结果。",
    "stage_due_days": DUE_CLAUSE,
    "reward_floor_transfer_pct": SD + "第三十四条第（一）项：将职务科技成果转让、许可给他人实施的，从该项科技成果转让净收入或者许可"
    "净收入中提取不低于百分之七十的比例。",
    "reward_floor_equity_pct": SD + "第三十四条第（二）项：将职务科技成果作价投资的，从该项科技成果形成的股份或者出资比例中提取不低于"
    "百分之七十的比例。",
    "reward_floor_profit_pct": SD + "第三十四条第（三）项：将职务科技成果自行实施或者与他人合作实施的，应当在实施转化成功投产后连续"
    "三至五年，每年从实施该项科技成果的营业利润中提取不低于百分之十的比例。",
    "main_contributor_floor_pct": STATE_COUNCIL_MAIN,
    "reward_publicity_days": REWARD_PUBLICITY_INSTITUTION,
    "reward_publicity_working_days": REWARD_PUBLICITY_INSTITUTION,
}
HENAN = {
    "publicity_days": STATE_COUNCIL_PUBLICITY,
    "publicity_working_days": STATE_COUNCIL_PUBLICITY + "（按自然日计算）",
    "publicity_includes_abstract": HN + "第二十条第二款：通过协议方式确定科技成果价格的，应当在本单位公示科技成果名称、内容摘要、"
    "转化方式、拟交易价格等信息，明确并公开异议处理程序和办法。",
    "publicity_content": HN + "第二十条第二款：应当在本单位公示科技成果名称、内容摘要、转化方式、拟交易价格等信息，明确并公开"
    "异议处理程序和办法。",
    "stage_due_days": DUE_CLAUSE,
    "reward_floor_transfer_pct": HN + "第四十条第一款第（一）项：将该项职务科技成果转让、许可给他人实施的，从该项科技成果转让净收入"
    "或者许可净收入中提取不低于百分之七十的比例；第二款：国家设立的研究开发机构、高等院校规定或者与科技人员约定奖励和报酬的方式"
    "和数额应当符合前款第一项至第三项规定的标准。",
    "reward_floor_equity_pct": HN + "第四十条第一款第（二）项：利用该项职务科技成果作价投资的，从该项科技成果形成的股份或者出资比例"
    "中提取不低于百分之七十的比例。",
    "reward_floor_profit_pct": HN + "第四十条第一款第（三）项：将该项职务科技成果自行实施或者与他人合作实施的，应当在实施转化成功"
    "投产后连续三至五年，每年从实施该项科技成果的营业利润中提取不低于百分之十的比例。",
    "main_contributor_floor_pct": STATE_COUNCIL_MAIN,
    "reward_publicity_days": REWARD_PUBLICITY_INSTITUTION,
    "reward_publicity_working_days": REWARD_PUBLICITY_INSTITUTION,
}

PACKS = [
    {"code": "zhejiang", "name": "浙江省（政府设立的高等院校、研究开发机构）", "clauses": ZHEJIANG,
     "transfer": "70", "equity": "70", "profit": "10", "main": "70", "reward_days": 15, "reward_working": False,
     "abstract": True},
    {"code": "shandong", "name": "山东省（政府设立的高等学校、科学技术研究开发机构）", "clauses": SHANDONG,
     "transfer": "70", "equity": "70", "profit": "10", "main": "50", "reward_days": 5, "reward_working": True,
     "abstract": False},
    {"code": "henan", "name": "河南省（国家设立的高等院校、研究开发机构）", "clauses": HENAN,
     "transfer": "70", "equity": "70", "profit": "10", "main": "50", "reward_days": 5, "reward_working": True,
     "abstract": True},
]


def provincial_packs(apps, schema_editor):
    RulePack = apps.get_model("transfers", "RulePack")
    # the Gansu pack and the institutions' own packs made from it (its reward clause is 庆阳's)
    for pack in RulePack.objects.all():
        if pack.code == "gansu" or "庆阳" in str(pack.clauses.get("reward_floor_transfer_pct", "")):
            RulePack.objects.filter(pk=pack.pk).update(jurisdiction="gansu")
    for spec in PACKS:
        RulePack.objects.get_or_create(
            code=spec["code"],
            version=1,
            defaults={
                "name": spec["name"],
                "jurisdiction": spec["code"],
                "publicity_days": 15,
                "publicity_working_days": False,
                "publicity_start_day_counts": False,
                "publicity_closing_time": datetime.time(17, 0),
                "publicity_includes_abstract": spec["abstract"],
                "stage_due_days": DUE,
                "expert_quorum": 3,
                "reward_floor_transfer_pct": Decimal(spec["transfer"]),
                "reward_floor_equity_pct": Decimal(spec["equity"]),
                "reward_floor_profit_pct": Decimal(spec["profit"]),
                "main_contributor_floor_pct": Decimal(spec["main"]),
                "reward_publicity_days": spec["reward_days"],
                "reward_publicity_working_days": spec["reward_working"],
                "clauses": spec["clauses"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("transfers", "0021_public_notice_indexes")]

    operations = [
        migrations.AddField(
            model_name="rulepack",
            name="jurisdiction",
            field=models.CharField(
                choices=[("national", "国家"), ("gansu", "甘肃省"), ("zhejiang", "浙江省"), ("shandong", "山东省"),
                         ("henan", "河南省")],
                default="national",
                max_length=20,
                verbose_name="适用地区",
            ),
        ),
        migrations.AddField(
            model_name="rulepack",
            name="publicity_includes_abstract",
            field=models.BooleanField(default=False, verbose_name="公示成果内容摘要"),
        ),
        migrations.RunPython(provincial_packs, migrations.RunPython.noop),
    ]
