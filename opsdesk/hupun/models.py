"""Where each endpoint's pull has got to, and what the API's codes mean (data an admin extends)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Endpoint(models.TextChoices):
    TRADES = "trades", _("订单")
    RETURNS = "returns", _("售后单")


class PullCursor(models.Model):
    """Every record modified before `at` has been stored (each window is stored whole before the cursor moves)."""

    endpoint = models.CharField(_("接口"), max_length=20, choices=Endpoint.choices, unique=True)
    at = models.DateTimeField(_("已取到"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("万里牛拉取进度")
        verbose_name_plural = _("万里牛拉取进度")

    def __str__(self) -> str:
        return f"{self.endpoint} @ {self.at:%Y-%m-%d %H:%M}"


class CodeField(models.TextChoices):
    PROCESS_STATUS = "process_status", _("处理状态 (process_status)")
    STATUS = "status", _("订单状态 (status)")
    TRADE_TYPE = "trade_type", _("订单类型 (trade_type)")
    RETURN_TYPE = "return_type", _("售后类型 (type)")
    RETURN_STATUS = "return_status", _("售后状态 (status)")


class HupunCode(models.Model):
    """One API code and the 万里牛 text the ERP's own export shows for it (what the file import stores), so both
    sources write the same values. A code without a row is stored as the API sent it."""

    field = models.CharField(_("字段"), max_length=20, choices=CodeField.choices)
    code = models.CharField(_("代码"), max_length=20)
    label = models.CharField(_("导出中的文字"), max_length=40)

    class Meta:
        ordering = ["field", "code"]
        constraints = [models.UniqueConstraint(fields=["field", "code"], name="hupun_code_unique")]
        verbose_name = _("万里牛代码")
        verbose_name_plural = _("万里牛代码")

    def __str__(self) -> str:
        return f"{self.field} {self.code} → {self.label}"
