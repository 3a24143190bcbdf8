"""Import profiles (how each source's export reads, held as data an admin can extend) and one record per file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opsdesk.lib import dates


class SourceKind(models.TextChoices):
    CHANNEL = "channel", _("平台订单")
    ERP = "erp", _("万里牛订单")
    ERP_AFTERSALES = "erp_aftersales", _("万里牛售后单")
    WMS = "wms", _("WMS")
    STOCK = "stock", _("库存")
    CHANNEL_AFTERSALES = "channel_aftersales", _("平台售后单")


class ImportProfile(models.Model):
    """One source's export format. `headers` maps every header text the source is known to use to a field name
    (an empty field name means: known, ignored); the *_map fields map the source's values to normalised ones."""

    source = models.CharField(_("来源代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    kind = models.CharField(_("类型"), max_length=20, choices=SourceKind.choices)
    channel_code = models.CharField(_("平台代码"), max_length=20, blank=True, help_text=_("平台订单类来源"))
    headers = models.JSONField(_("表头同义词"), default=dict, help_text=_('{"表头": "字段"}; 字段为空表示忽略该列'))
    required = models.JSONField(_("必填字段"), default=list)
    status_map = models.JSONField(_("状态映射"), default=dict, blank=True)
    payment_map = models.JSONField(_("支付方式映射"), default=dict, blank=True)
    allocation_map = models.JSONField(_("分配状态映射"), default=dict, blank=True)
    aftersales_map = models.JSONField(_("售后状态映射"), default=dict, blank=True)
    kind_map = models.JSONField(_("售后类型映射"), default=dict, blank=True)
    default_payment = models.CharField(
        _("默认支付方式"), max_length=20, blank=True, help_text=_("导出没有支付方式列时使用, 例如 platform_paid")
    )
    order_no_date_prefix = models.BooleanField(
        _("订单号含日期"), default=False, help_text=_("订单号以 YYMMDD 开头 (拼多多): 成交时间为空时取其日期")
    )
    one_row_per_order = models.BooleanField(
        _("每单一行"), default=False, help_text=_("导出每个订单只有一行 (拼多多): 同一订单号出现两次即为错误")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("导入格式")
        verbose_name_plural = _("导入格式")

    def __str__(self) -> str:
        return f"{self.name} ({self.source})"


class ImportStatus(models.TextChoices):
    IMPORTED = "imported", _("已导入")
    UNCHANGED = "unchanged", _("无变化")
    REJECTED = "rejected", _("已拒绝")


class ImportRecord(models.Model):
    file_name = models.CharField(_("文件"), max_length=255)
    sha256 = models.CharField(_("文件哈希"), max_length=64, db_index=True)
    source = models.CharField(_("来源"), max_length=20, blank=True)
    status = models.CharField(_("结果"), max_length=12, choices=ImportStatus.choices)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    warnings = models.JSONField(_("警告"), default=list, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("导入人")
    )
    via = models.CharField(_("途径"), max_length=40, blank=True, help_text=_("cli, web, inbox 或定时任务的名称"))
    # The desk's clock (lib.dates.now), which the demo runs from its morning: the sources strip compares with it.
    at = models.DateTimeField(_("时间"), default=dates.now, db_index=True)
    seconds = models.FloatField(_("耗时(秒)"), default=0)

    class Meta:
        ordering = ["-at", "-id"]
        # The sources strip on every desk page: each source's newest record, read backwards from its last.
        indexes = [models.Index(fields=["source", "at"], name="importrecord_source_at")]
        permissions = [("run_import", _("可以导入导出文件"))]
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")

    def __str__(self) -> str:
        return f"{self.file_name} {self.status}"
