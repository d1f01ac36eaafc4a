"""Corrections of notices restart or continue the clock per rule pack; the clock's other values get
the clauses they come from."""

from django.db import migrations, models

CLOCK_CLAUSES = {
    "publicity_start_day_counts": (
        "《中华人民共和国民法典》第二百零一条：按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。"
    ),
    "publicity_closing_time": (
        "公示期最后一日的截止时刻为单位办公时间结束（北京时间17:00），由单位确定；"
        "《民法典》第二百零三条：期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。"
    ),
    "objection_restarts_clock": (
        "国发〔2016〕16号：单位应当明确并公开异议处理程序和办法。本规则包：异议不成立的，公示恢复，"
        "继续计算暂停时剩余的期间。"
    ),
    "correction_restarts_clock": (
        "国发〔2016〕16号：公示时间不少于15日。更正后的公示内容应完整公示不少于15日，故更正后公示期重新计算。"
    ),
    "publish_objection_replies": "国发〔2016〕16号：单位应当明确并公开异议处理程序和办法（异议处理结果随公示公开，异议人信息不公开）。",
}


def add_clauses(apps, schema_editor):
    RulePack = apps.get_model("transfers", "RulePack")
    for pack in RulePack.objects.filter(code__in=["national", "gansu"], version=1):
        clauses = dict(pack.clauses)
        for field, text in CLOCK_CLAUSES.items():
            clauses.setdefault(field, text)
        RulePack.objects.filter(pk=pack.pk).update(clauses=clauses)


class Migration(migrations.Migration):
    dependencies = [("transfers", "0004_licence_labels")]

    operations = [
        migrations.AddField(
            model_name="rulepack",
            name="correction_restarts_clock",
            field=models.BooleanField(default=True, verbose_name="更正公示后公示期重新计算"),
        ),
        migrations.RunPython(add_clauses, migrations.RunPython.noop),
    ]
