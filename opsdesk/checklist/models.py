"""The daily checklist (运营日常) as data: items an admin edits, one run per day, sign-offs that are never deleted."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opsdesk.orders.models import Channel
from opsdesk.rules.codes import CODES as RULE_CODES

# Who signs an item without a permission of its own.
SIGN_PERMISSION = "checklist.add_signoff"


class Section(models.TextChoices):
    ERP = "erp", _("万里牛 ERP")
    YAOFANGWANG = "yaofangwang", _("药房网")
    OFFICIAL = "official", _("官网")
    MARKETPLACES = "marketplaces", _("平安好医生 · 苏宁 · 拼多多")
    COD = "cod", _("货到付款")


class ChecklistItem(models.Model):
    code = models.SlugField(
        _("代码"), max_length=40, unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9-]*$", _("只用小写字母、数字和 -"))],
        help_text=_("稳定不变: opsdesk checklist sign 用它"),
    )
    section = models.CharField(_("分组"), max_length=20, choices=Section.choices)
    title = models.CharField(_("事项"), max_length=200)
    due = models.TimeField(_("截止时间"), null=True, blank=True, help_text=_("留空 = 全天"))
    rule = models.CharField(
        _("规则"), max_length=30, blank=True, choices=[(code, code) for code in RULE_CODES],
        help_text=_("绑定规则后显示该规则当前标记的订单数"),
    )
    channels = models.ManyToManyField(
        Channel, blank=True, related_name="checklist_items", verbose_name=_("平台"),
        help_text=_("只统计这些平台的订单; 留空 = 全部平台"),
    )
    permission = models.CharField(
        _("签核权限"), max_length=100, blank=True,
        help_text=_("签核这一项所需的权限 (app.codename); 留空 = checklist.add_signoff (运营、客服)。"
                    "例如 处方单审核: rules.review_prescription (药师)"),
    )
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = _("检查事项")
        verbose_name_plural = _("检查事项")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def sign_permission(self) -> str:
        return self.permission.strip() or SIGN_PERMISSION


class BackEnd(models.Model):
    """A back-end a section's steps are done in, besides its channels' own (Channel.login_url): 万里牛, and the
    电商管理系统 of the official site and the COD sheet. The day page links each section to its back-ends."""

    section = models.CharField(_("分组"), max_length=20, choices=Section.choices)
    name = models.CharField(_("名称"), max_length=40)
    url = models.URLField(_("链接"))
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = _("后台链接")
        verbose_name_plural = _("后台链接")

    def __str__(self) -> str:
        return self.name


class ChecklistRun(models.Model):
    """One day's run of the checklist, created the first time anyone looks at that day."""

    day = models.DateField(_("日期"), unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("每日检查")
        verbose_name_plural = _("每日检查")

    def __str__(self) -> str:
        return self.day.isoformat()


class SignOff(models.Model):
    """Who signed an item off, when, and why. Never deleted: a later sign-off supersedes an earlier one."""

    run = models.ForeignKey(ChecklistRun, on_delete=models.PROTECT, related_name="signoffs", verbose_name=_("每日检查"))
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="signoffs", verbose_name=_("事项"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("签核人"))
    at = models.DateTimeField(_("签核时间"))
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["run", "item", "at"], name="signoff_run_item_at")]
        verbose_name = _("签核")
        verbose_name_plural = _("签核")

    def __str__(self) -> str:
        return f"{self.run} {self.item.code}"
