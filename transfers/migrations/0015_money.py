"""The money after publicity: contract and registration, receipts and deductions, reward distributions;
and the rule packs' floor for the yearly operating profit of own or cooperative implementation (law
第四十五条第一款第（三）项), with its clause in the packs every installation starts with."""

import django.core.validators
import django.db.models.deletion
import transfers.clock
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


LAW_45_3 = (
    "《中华人民共和国促进科技成果转化法》第四十五条第一款第（三）项：将该项职务科技成果自行实施或者与他人合作实施的，"
    "应当在实施转化成功投产后连续三至五年，每年从实施该项科技成果的营业利润中提取不低于百分之五的比例。"
)


def profit_clause(apps, schema_editor):
    """The clause of the new floor in the shipped packs (a pack's versions are otherwise never edited:
    this only names where a number that did not exist before comes from)."""
    RulePack = apps.get_model("transfers", "RulePack")
    for pack in RulePack.objects.all():
        if "reward_floor_profit_pct" not in pack.clauses:
            RulePack.objects.filter(pk=pack.pk).update(clauses={**pack.clauses, "reward_floor_profit_pct": LAW_45_3})


class Migration(migrations.Migration):

    dependencies = [
        ('transfers', '0014_case_search_trigram'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='rulepack',
            name='reward_floor_profit_pct',
            field=models.DecimalField(decimal_places=2, default=Decimal('5'), max_digits=5, verbose_name='自行实施营业利润奖励下限（%）'),
        ),
        migrations.AlterField(
            model_name='attachment',
            name='kind',
            field=models.CharField(choices=[('disclosure_form', '成果披露表'), ('valuation_report', '评估报告'), ('expert_opinion', '专家论证意见'), ('decision_minutes', '决策会议纪要'), ('contract', '合同'), ('registration_certificate', '技术合同认定登记证明'), ('voucher', '收款凭证'), ('other', '其他')], max_length=30, verbose_name='文件类型'),
        ),
        migrations.CreateModel(
            name='Contract',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('counterparty_name', models.CharField(max_length=60, verbose_name='合同相对方')),
                ('signed_on', models.DateField(verbose_name='签订日期')),
                ('term_starts_on', models.DateField(verbose_name='合同期限自')),
                ('term_ends_on', models.DateField(blank=True, null=True, verbose_name='合同期限至')),
                ('payment_kind', models.CharField(choices=[('instalments', '一次或分期付款'), ('royalty', '提成（按基数和比例）'), ('equity', '作价投资（股权）'), ('own_implementation', '自行或合作实施（营业利润）')], max_length=30, verbose_name='支付方式')),
                ('amount', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='合同金额（万元）')),
                ('royalty_base', models.CharField(blank=True, help_text='按合同原文填写，如“产品年销售净额”。', max_length=100, verbose_name='提成基数')),
                ('royalty_rate_pct', models.DecimalField(blank=True, decimal_places=4, max_digits=7, null=True, verbose_name='提成比例（%）')),
                ('equity_company', models.CharField(blank=True, max_length=60, verbose_name='被投资企业')),
                ('equity_shares', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='股份或出资额（万股/万元）')),
                ('equity_valuation', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='作价金额（万元）')),
                ('registration_number', models.CharField(blank=True, help_text='技术合同认定登记证明上的 16 位登记号。', max_length=16, validators=[django.core.validators.RegexValidator('^\\d{16}$', '技术合同登记号为 16 位数字。', code='registration_number')], verbose_name='技术合同登记号')),
                ('registered_on', models.DateField(blank=True, null=True, verbose_name='认定登记日期')),
                ('registry', models.CharField(blank=True, help_text='如“甘肃省技术市场管理办公室”。', max_length=60, verbose_name='登记机构')),
                ('imported', models.BooleanField(default=False, verbose_name='系统上线前已审批公示')),
                ('created_at', models.DateTimeField(default=transfers.clock.now)),
                ('case', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='contract', to='transfers.transfercase')),
                ('certificate', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='transfers.attachment', verbose_name='认定登记证明')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='transfers.attachment', verbose_name='合同文本')),
            ],
            options={
                'verbose_name': '合同',
                'verbose_name_plural': '合同',
            },
        ),
        migrations.CreateModel(
            name='Instalment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField()),
                ('due_on', models.DateField(verbose_name='应付日期')),
                ('amount', models.DecimalField(decimal_places=4, max_digits=16, verbose_name='应付金额（万元）')),
                ('contract', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='instalments', to='transfers.contract')),
            ],
            options={
                'ordering': ['position'],
            },
        ),
        migrations.CreateModel(
            name='Receipt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('payment', '转让/许可价款'), ('royalty', '提成'), ('equity', '作价投资股份'), ('profit', '年度营业利润')], max_length=20, verbose_name='收入类型')),
                ('received_on', models.DateField(verbose_name='到账日期')),
                ('amount', models.DecimalField(decimal_places=4, help_text='股权：作价金额；营业利润：该年度利润。', max_digits=16, verbose_name='金额（万元）')),
                ('shares', models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='股份或出资额（万股/万元）')),
                ('profit_year', models.PositiveIntegerField(blank=True, null=True, verbose_name='利润年度')),
                ('payer', models.CharField(max_length=60, verbose_name='付款方')),
                ('recorded_at', models.DateTimeField(default=transfers.clock.now)),
                ('contract', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='receipts', to='transfers.contract')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('voucher', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='transfers.attachment', verbose_name='收款凭证')),
            ],
            options={
                'verbose_name': '收入',
                'verbose_name_plural': '收入',
                'ordering': ['received_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Distribution',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('floor_pct', models.DecimalField(decimal_places=4, max_digits=7, verbose_name='团队比例下限（%）')),
                ('net', models.DecimalField(decimal_places=4, max_digits=16, verbose_name='可分配净收入（万元）')),
                ('team_pct', models.DecimalField(decimal_places=4, max_digits=7, verbose_name='成果完成团队比例（%）')),
                ('institution_pct', models.DecimalField(decimal_places=4, max_digits=7, verbose_name='学校比例（%）')),
                ('college_pct', models.DecimalField(decimal_places=4, max_digits=7, verbose_name='学院（中心）比例（%）')),
                ('college_name', models.CharField(blank=True, max_length=60, verbose_name='学院（中心）')),
                ('team_amount', models.DecimalField(decimal_places=4, max_digits=16, verbose_name='团队奖励（万元）')),
                ('institution_amount', models.DecimalField(decimal_places=4, max_digits=16, verbose_name='学校留存（万元）')),
                ('college_amount', models.DecimalField(decimal_places=4, max_digits=16, verbose_name='学院（中心）留存（万元）')),
                ('status', models.CharField(choices=[('proposed', '待审批'), ('approved', '已审批'), ('published', '公示中'), ('paid', '已发放')], default='proposed', max_length=20, verbose_name='状态')),
                ('adjustment_reason', models.CharField(blank=True, max_length=500, verbose_name='调整理由')),
                ('proposed_at', models.DateTimeField(default=transfers.clock.now)),
                ('proposed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('rule_pack', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='transfers.rulepack', verbose_name='适用规则版本')),
                ('receipt', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='distribution', to='transfers.receipt')),
            ],
            options={
                'verbose_name': '收益分配',
                'verbose_name_plural': '收益分配',
            },
        ),
        migrations.CreateModel(
            name='Deduction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('valuation_fee', '评估费'), ('patent_fees', '专利申请费和年费'), ('agency_fee', '代理/中介服务费'), ('taxes', '税费'), ('other', '其他')], max_length=20, verbose_name='扣除项目')),
                ('amount', models.DecimalField(decimal_places=4, max_digits=16, verbose_name='金额（万元）')),
                ('note', models.CharField(blank=True, max_length=100, verbose_name='说明')),
                ('receipt', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deductions', to='transfers.receipt')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='RewardShare',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField()),
                ('name', models.CharField(max_length=40, verbose_name='姓名')),
                ('title', models.CharField(blank=True, max_length=40, verbose_name='职称/职务')),
                ('role', models.CharField(blank=True, help_text='如“专利发明人”“技术负责人”。', max_length=40, verbose_name='角色')),
                ('is_main_contributor', models.BooleanField(default=False, verbose_name='主要贡献人员')),
                ('contribution_pct', models.DecimalField(decimal_places=4, max_digits=7, verbose_name='贡献份额（%）')),
                ('amount', models.DecimalField(decimal_places=4, max_digits=16, verbose_name='奖励金额（万元）')),
                ('paid_on', models.DateField(blank=True, null=True, verbose_name='发放日期')),
                ('paid_yuan', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='实发金额（元）')),
                ('distribution', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shares', to='transfers.distribution')),
                ('inventor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='transfers.inventor')),
            ],
            options={
                'ordering': ['position'],
            },
        ),
        migrations.AddConstraint(
            model_name='contract',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='contract_amount_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='contract',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('royalty_rate_pct__gt', 0), ('royalty_rate_pct__lte', 100)), ('royalty_rate_pct__isnull', True), _connector='OR'), name='contract_royalty_rate_range'),
        ),
        migrations.AddConstraint(
            model_name='instalment',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='instalment_amount_positive'),
        ),
        migrations.AddConstraint(
            model_name='receipt',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='receipt_amount_positive'),
        ),
        migrations.AddConstraint(
            model_name='distribution',
            constraint=models.CheckConstraint(condition=models.Q(('team_pct__gte', models.F('floor_pct'))), name='distribution_team_floor'),
        ),
        migrations.AddConstraint(
            model_name='distribution',
            constraint=models.CheckConstraint(condition=models.Q(('team_amount__gte', 0), ('institution_amount__gte', 0), ('college_amount__gte', 0)), name='distribution_amounts_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='deduction',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='deduction_amount_positive'),
        ),
        migrations.AddConstraint(
            model_name='rewardshare',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='reward_share_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='rewardshare',
            constraint=models.UniqueConstraint(fields=('distribution', 'position'), name='reward_share_position_unique'),
        ),
        migrations.RunPython(profit_clause, migrations.RunPython.noop),
    ]
