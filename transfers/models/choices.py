"""Choices: the stages, modes, kinds and roles every part of the domain names."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# --------------------------------------------------------------------------------------------
# Choices


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    TTO_OFFICER = "tto_officer", _("技术转移办公室专员")
    ASSESSOR = "assessor", _("评估人员")
    EXPERT = "expert", _("论证专家")
    DECISION_SECRETARY = "decision_secretary", _("决策秘书")
    INSTITUTION_ADMIN = "institution_admin", _("单位管理员")
    TTO_HEAD = "tto_head", _("技术转移办公室负责人")


class Jurisdiction(models.TextChoices):
    """Whose rules a pack carries: the floors of the law, or a province's higher ones
    (``services.rules.PROVINCIAL_FLOORS``)."""

    NATIONAL = "national", _("国家")
    GANSU = "gansu", _("甘肃省")
    ZHEJIANG = "zhejiang", _("浙江省")
    SHANDONG = "shandong", _("山东省")
    HENAN = "henan", _("河南省")


class AchievementKind(models.TextChoices):
    """A granted patent and an application are different rights: a notice never calls an
    application a patent (《专利法》第三十九、四十条: the right exists from the grant announcement)."""

    INVENTION_PATENT = "invention_patent", _("发明专利")
    UTILITY_MODEL = "utility_model", _("实用新型专利")
    DESIGN_PATENT = "design_patent", _("外观设计专利")
    INVENTION_APPLICATION = "invention_application", _("发明专利申请")
    UTILITY_MODEL_APPLICATION = "utility_model_application", _("实用新型专利申请")
    DESIGN_APPLICATION = "design_application", _("外观设计专利申请")
    PCT_APPLICATION = "pct_application", _("PCT国际专利申请")
    SOFTWARE_COPYRIGHT = "software_copyright", _("计算机软件著作权")
    IC_LAYOUT = "ic_layout", _("集成电路布图设计")
    PLANT_VARIETY = "plant_variety", _("植物新品种")
    KNOW_HOW = "know_how", _("技术秘密")
    OTHER = "other", _("其他")


class TransferMode(models.TextChoices):
    RD_COOPERATION = "rd_cooperation", _("研发合作")
    ASSIGNMENT = "assignment", _("转让")
    ORDINARY_LICENCE = "ordinary_licence", _("普通许可")
    SOLE_LICENCE = "sole_licence", _("排他许可")  # the licensor may still use it; nobody else
    EXCLUSIVE_LICENCE = "exclusive_licence", _("独占许可")  # not even the licensor may use it
    EQUITY_INVESTMENT = "equity_investment", _("作价投资")
    SPIN_OFF = "spin_off", _("创办公司")


class PricingMethod(models.TextChoices):
    NEGOTIATED = "negotiated", _("协议定价")
    LISTED = "listed", _("技术交易市场挂牌交易")
    AUCTION = "auction", _("拍卖")


class PriceKind(models.TextChoices):
    LUMP_SUM = "lump_sum", _("一次性支付")
    INSTALMENTS = "instalments", _("分期支付")
    ROYALTY = "royalty", _("提成支付")
    EQUITY = "equity", _("股权")
    MIXED = "mixed", _("混合方式")


class Stage(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PRELIMINARY_REVIEW = "preliminary_review", _("初审")
    ASSESSMENT = "assessment", _("评估")
    DEMONSTRATION = "demonstration", _("论证")
    DECISION = "decision", _("决策")
    PUBLICITY = "publicity", _("公示")
    IMPLEMENTATION = "implementation", _("实施")
    COMPLETED = "completed", _("已完成")
    RETURNED = "returned", _("退回修改")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    OBJECTION_REVIEW = "objection_review", _("异议处理")
    TERMINATED = "terminated", _("已终止")


#: stages a reviewer can return a case from (seed 003 三.2: 初审、评估、论证、决策)
RETURNABLE_STAGES = [Stage.PRELIMINARY_REVIEW, Stage.ASSESSMENT, Stage.DEMONSTRATION, Stage.DECISION]
#: a case may be withdrawn at any stage before publicity
WITHDRAWABLE_STAGES = [Stage.DRAFT, Stage.RETURNED, *RETURNABLE_STAGES]
TERMINABLE_STAGES = [Stage.PUBLICITY, Stage.OBJECTION_REVIEW, Stage.IMPLEMENTATION]
FINAL_STAGES = [Stage.COMPLETED, Stage.REJECTED, Stage.WITHDRAWN, Stage.TERMINATED]


class AttachmentKind(models.TextChoices):
    DISCLOSURE_FORM = "disclosure_form", _("成果披露表")
    VALUATION_REPORT = "valuation_report", _("评估报告")
    EXPERT_OPINION = "expert_opinion", _("专家论证意见")
    DECISION_MINUTES = "decision_minutes", _("决策会议纪要")
    CONTRACT = "contract", _("合同")
    REGISTRATION_CERTIFICATE = "registration_certificate", _("技术合同认定登记证明")
    VOUCHER = "voucher", _("收款凭证")
    IMPORTED_NOTICE = "imported_notice", _("原公示文件（系统上线前）")
    OTHER = "other", _("其他")


class NoticeKind(models.TextChoices):
    TRANSFER = "transfer", _("科技成果转化公示")
    REWARD = "reward", _("奖励与收益分配公示")


#: the letters of each kind in a notice number, e.g. LZU-GS-2026-003
NOTICE_KIND_CODES = {NoticeKind.TRANSFER: "GS", NoticeKind.REWARD: "JL"}


class NoticeStatus(models.TextChoices):
    #: numbered, its PDF not yet rendered: never public (a failed rendering is retried)
    PENDING = "pending", _("待发布")
    IN_PUBLICITY = "in_publicity", _("公示中")
    SUSPENDED = "suspended", _("因异议暂停")
    ENDED = "ended", _("公示结束")
    SUPERSEDED = "superseded", _("已被更正版本取代")
    WITHDRAWN = "withdrawn", _("已撤销")
