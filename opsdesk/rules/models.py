"""Rule settings an admin edits, and the actions that clear a flag (who and when).

Actions are never deleted (sales and prescription records are kept five years): a later record supersedes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opsdesk.orders.models import Order


class Severity(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class RuleConfig(models.Model):
    """One row per rule code; a missing row means the registry's defaults."""

    code = models.CharField(_("规则代码"), max_length=30, unique=True)
    enabled = models.BooleanField(_("启用"), default=True)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    warning_hours = models.PositiveIntegerField(
        _("预警时长(小时)"), default=6, help_text=_("承诺发货时间在这么多小时之内的待发货订单算即将超时")
    )
    stale_hours = models.PositiveIntegerField(
        _("物流未更新时长(小时)"), default=72,
        help_text=_("已发货未签收的订单, 物流最后更新(没有则发货时间)超过这么多小时算物流长时间未更新"),
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["code"]
        # `?at=` on the desk: see the queues and checklist as at another moment (the CLI's --at).
        permissions = [("view_at_moment", _("可以按指定时刻查看"))]
        verbose_name = _("异常规则")
        verbose_name_plural = _("异常规则")

    def __str__(self) -> str:
        return self.code


class Acknowledgement(models.Model):
    """Someone read the buyer message / seller note. `text_hash` identifies the text they read: when a later
    import changes it, the acknowledgement no longer matches and the flag comes back."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="acknowledgements", verbose_name=_("订单"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("确认人"))
    at = models.DateTimeField(_("确认时间"))
    text_hash = models.CharField(_("留言摘要"), max_length=64)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["order", "text_hash"], name="ack_order_hash"),
            models.Index(fields=["order", "at"], name="ack_order_at"),
        ]
        verbose_name = _("留言确认")
        verbose_name_plural = _("留言确认")

    def __str__(self) -> str:
        return f"{self.order} {self.user}"


class TcmCheck(models.Model):
    """Someone checked the TCM specs (e.g. 10g vs 500g) of the order's lines."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="tcm_checks", verbose_name=_("订单"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("核对人"))
    at = models.DateTimeField(_("核对时间"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("中药规格核对")
        verbose_name_plural = _("中药规格核对")

    def __str__(self) -> str:
        return f"{self.order} {self.user}"


class RxReviewQuerySet(models.QuerySet["RxReview"]):
    def in_force(self) -> RxReviewQuerySet:
        """The order's latest review (the others were superseded)."""
        return self.filter(superseded_by__isnull=True)

    def approved(self) -> RxReviewQuerySet:
        """An approval in force that no import has voided since: what lets an Rx order ship."""
        return self.in_force().filter(decision=RxReview.Decision.APPROVE, voided_at__isnull=True)


class RxReview(models.Model):
    """A pharmacist's prescription review (药品网络销售监督管理办法). The latest review of an order is the one in force."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("通过")
        REJECT = "reject", _("驳回")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="rx_reviews", verbose_name=_("订单"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("审核药师"))
    at = models.DateTimeField(_("审核时间"))
    decision = models.CharField(_("结论"), max_length=10, choices=Decision.choices)
    prescription = models.CharField(_("处方编号"), max_length=100, blank=True, db_index=True)
    image_sha256 = models.CharField(_("处方图片SHA256"), max_length=64, blank=True, db_index=True)
    image_path = models.CharField(_("处方图片文件"), max_length=300, blank=True)
    note = models.TextField(_("说明"), blank=True)
    # What an approval approved: the order's Rx lines as [{"sku", "qty"}]. An import that changes them voids it.
    lines = models.JSONField(_("审核的处方药明细"), default=list, blank=True)
    voided_at = models.DateTimeField(_("失效时间"), null=True, blank=True)
    void_reason = models.CharField(_("失效原因"), max_length=300, blank=True)
    # Set (never cleared) when a later review of the same order takes over; the row itself stays.
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("被后续审核取代")
    )

    objects = RxReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # rx_review asks "is there an approval in force" of this index alone.
        indexes = [models.Index(fields=["order", "decision", "superseded_by"], name="rxreview_in_force")]
        permissions = [("review_prescription", _("可以审核处方"))]
        verbose_name = _("处方审核")
        verbose_name_plural = _("处方审核")

    def __str__(self) -> str:
        return f"{self.order} {self.decision}"


class UsedPrescription(models.Model):
    """A prescription reference (normalised) or image (SHA-256) and the order it serves. Unique per kind and
    value: the database, not a read before the write, keeps one prescription to one order (see prescriptions.py)."""

    class Kind(models.TextChoices):
        REFERENCE = "reference", _("处方编号")
        IMAGE = "image", _("处方图片")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("规范化的编号或图片SHA256"), max_length=200)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+", verbose_name=_("订单"))
    review = models.ForeignKey(RxReview, on_delete=models.PROTECT, related_name="claims", verbose_name=_("首次审核"))
    at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="used_prescription_once"),
            models.CheckConstraint(condition=~models.Q(value=""), name="used_prescription_not_blank"),
        ]
        verbose_name = _("已使用的处方")
        verbose_name_plural = _("已使用的处方")

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"
