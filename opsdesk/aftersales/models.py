"""After-sales cases, their history and sends, the admin-editable texts and routing, and stock-out tasks.

Cases and their events are never deleted (sales records are kept five years); a case only moves forward
through its type's states (see `machine.py`)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opsdesk.lib.money import MoneyColumn
from opsdesk.orders.models import Channel, Courier, Listing, Order, Unit


class CaseType(models.TextChoices):
    RETURN_REFUND = "return_refund", _("退货退款")
    LOST_PARCEL = "lost_parcel", _("丢件")
    DAMAGED = "damaged", _("破损")
    REISSUE = "reissue", _("补发")
    OMIT_PACKING_LIST = "omit_packing_list", _("不放清单")
    INVOICE = "invoice", _("发票")
    COMPLAINT = "complaint", _("投诉")


class CaseState(models.TextChoices):
    REQUESTED = "requested", _("已申请")
    APPROVED = "approved", _("平台已同意")
    INTERCEPT_REPORTED = "intercept_reported", _("已报备拦截")
    RETURNED = "returned", _("已退回仓库")
    REFUNDED = "refunded", _("已退款")
    OPENED = "opened", _("已登记")
    REPORTED = "reported", _("已报备快递群")
    CLAIMED = "claimed", _("已发理赔邮件")
    SETTLED = "settled", _("已结案")
    ERP_NOTED = "erp_noted", _("已在电商管理系统备注")
    SHIPPED = "shipped", _("已发出")
    SENT = "sent", _("已通知仓库")
    ISSUED = "issued", _("已开票")
    CANCELLED = "cancelled", _("已取消")


class Case(models.Model):
    type = models.CharField(_("类型"), max_length=20, choices=CaseType.choices)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="cases", verbose_name=_("订单"))
    state = models.CharField(_("状态"), max_length=20, choices=CaseState.choices)
    amount = MoneyColumn(_("金额"), max_digits=12, decimal_places=2, null=True, blank=True)
    qty = models.PositiveIntegerField(_("数量"), null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=2, choices=Unit.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    invoice_title = models.CharField(_("发票抬头"), max_length=200, blank=True)
    tax_id = models.CharField(_("税号"), max_length=18, blank=True)
    invoice_email = models.EmailField(_("发票邮箱"), blank=True)
    deadline = models.DateTimeField(
        _("处理期限"), null=True, blank=True, help_text=_("投诉: 须在此前处理完 (平台的投诉处理时限)"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    source = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups",
        verbose_name=_("来源售后单"), help_text=_("例如 丢件安排的补发"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["type", "state"], name="case_type_state")]
        permissions = [
            ("work_service_case", _("处理客服售后 (退货退款/丢件/破损/发票/投诉)")),
            ("work_operator_case", _("处理运营售后 (补发/不放清单)")),
        ]
        verbose_name = _("售后单")
        verbose_name_plural = _("售后单")

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_type_display()} {self.order.order_no}"


class CaseEvent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events", verbose_name=_("售后单"))
    at = models.DateTimeField(_("时间"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("操作人")
    )
    action = models.CharField(_("动作"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=20, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("售后记录")
        verbose_name_plural = _("售后记录")

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.from_state}→{self.to_state}"


class CaseFile(models.Model):
    """A screenshot attached to a case; the bytes live under DATA_DIR/cases, named by their sha256."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="files", verbose_name=_("售后单"))
    name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("大小"))
    path = models.CharField(_("存储路径"), max_length=300)

    class Meta:
        ordering = ["id"]
        verbose_name = _("截图")
        verbose_name_plural = _("截图")

    def __str__(self) -> str:
        return self.name


class TemplateKind(models.TextChoices):
    BUYER_REPLY = "buyer_reply", _("买家回复")
    COURIER_REPORT = "courier_report", _("快递群报备")
    ERP_NOTE = "erp_note", _("补发备注")
    WAREHOUSE_NOTE = "warehouse_note", _("仓库群")
    RETURN_TIP = "return_tip", _("退货提示")
    INVOICE_REQUEST = "invoice_request", _("开票信息")
    EMAIL_SUBJECT = "email_subject", _("邮件主题")
    EMAIL_BODY = "email_body", _("邮件正文")


class MessageTemplate(models.Model):
    """A Django template (plain text, no autoescape) rendered with `messages.context_build`."""

    case_type = models.CharField(_("售后类型"), max_length=20, choices=CaseType.choices)
    kind = models.CharField(_("用途"), max_length=20, choices=TemplateKind.choices)
    courier = models.CharField(
        _("快递"), max_length=10, choices=Courier.choices, blank=True, help_text=_("留空: 适用于所有快递")
    )
    text = models.TextField(_("模板"), help_text=_("Django 模板语法, 例如 {{ tracking_no }}"))

    class Meta:
        ordering = ["case_type", "kind", "courier"]
        constraints = [
            models.UniqueConstraint(fields=["case_type", "kind", "courier"], name="template_type_kind_courier")
        ]
        verbose_name = _("消息模板")
        verbose_name_plural = _("消息模板")

    def __str__(self) -> str:
        return f"{self.get_case_type_display()} {self.get_kind_display()} {self.courier}".strip()

    def clean(self) -> None:
        from opsdesk.aftersales.messages import template_check

        template_check(self.text)


class ChatGroup(models.Model):
    class App(models.TextChoices):
        DINGTALK = "dingtalk", _("钉钉")
        QQ = "qq", _("QQ")
        WECHAT = "wechat", _("微信")
        UM = "um", _("UM")

    class Purpose(models.TextChoices):
        COURIER = "courier", _("快递报备")
        WAREHOUSE = "warehouse", _("仓库")

    name = models.CharField(_("群名称"), max_length=60)
    app = models.CharField(_("软件"), max_length=10, choices=App.choices)
    purpose = models.CharField(_("用途"), max_length=10, choices=Purpose.choices, default=Purpose.COURIER)
    courier = models.CharField(_("快递"), max_length=10, choices=Courier.choices, blank=True)
    webhook_url = models.URLField(
        _("机器人 Webhook"), max_length=500, blank=True, help_text=_("钉钉自定义机器人地址 (含 access_token); 留空则只给出可复制文本")
    )
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["purpose", "courier", "name"]
        verbose_name = _("聊天群")
        verbose_name_plural = _("聊天群")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_app_display()})"

    def clean(self) -> None:
        if self.webhook_url and self.app != self.App.DINGTALK:
            raise ValidationError({"webhook_url": _("只有钉钉群可以配置机器人 Webhook")})
        if self.purpose == self.Purpose.COURIER and not self.courier:
            raise ValidationError({"courier": _("快递报备群需要选择快递")})

    @property
    def postable(self) -> bool:
        return self.app == self.App.DINGTALK and bool(self.webhook_url)


class Recipient(models.Model):
    class Role(models.TextChoices):
        REQUIRED = "required", _("必须")
        WANLI = "wanli", _("万莉")
        AFTERSALES = "aftersales", _("上元堂售后")
        COURIER_SERVICE = "courier_service", _("快递客服")

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    courier = models.CharField(_("快递"), max_length=10, choices=Courier.choices, blank=True)
    email = models.EmailField(_("邮箱"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["role", "courier", "id"]
        verbose_name = _("理赔邮件收件人")
        verbose_name_plural = _("理赔邮件收件人")

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.email}"

    def clean(self) -> None:
        if (self.role == self.Role.COURIER_SERVICE) != bool(self.courier):
            raise ValidationError({"courier": _("快递客服需要选择快递; 其他收件人不选快递")})


class AftersalesConfig(models.Model):
    """One row of settings for texts that are not per-case: the default reissue SKU."""

    reissue_sku_default = models.CharField(
        _("默认补发商品编码"), max_length=64, blank=True, help_text=_("商品未设置补发编码时使用")
    )

    class Meta:
        verbose_name = _("售后设置")
        verbose_name_plural = _("售后设置")

    def __str__(self) -> str:
        return str(_("售后设置"))


class ReturnAddress(models.Model):
    """Where a channel's returns go, as the return tip writes it: address and receiver, the shop as the buyer
    knows it, the postcode; the handler's own phone follows (their profile)."""

    channel = models.OneToOneField(
        Channel, on_delete=models.PROTECT, null=True, blank=True, related_name="return_address",
        verbose_name=_("平台"), help_text=_("留空: 没有单独设置的平台都用这一条"),
    )
    address = models.CharField(_("地址及收件人"), max_length=200)
    shop = models.CharField(
        _("店铺"), max_length=60, blank=True, help_text=_("留空: 店铺名加平台名, 例如 上元堂拼多多")
    )
    postcode = models.CharField(_("邮编"), max_length=10, blank=True)

    class Meta:
        ordering = ["channel__sort", "id"]
        verbose_name = _("退货地址")
        verbose_name_plural = _("退货地址")

    def __str__(self) -> str:
        return f"{self.channel or _('其他平台')}: {self.address}"


class Profile(models.Model):
    """What a person adds to the texts they send: their own phone ends the return address buyers get."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="profile", verbose_name=_("用户")
    )
    phone = models.CharField(
        _("手机号码"), max_length=20, blank=True,
        validators=[RegexValidator(r"^[0-9][0-9-]{4,19}$", _("只能是数字和 -, 例如 13800000000 或 025-00000000"))],
    )

    class Meta:
        verbose_name = _("用户资料")
        verbose_name_plural = _("用户资料")

    def __str__(self) -> str:
        return str(self.user)


class SendRecord(models.Model):
    """The outbox: one row per part of a case that OpsDesk sends (the claim e-mail, each robot post).

    A send claims its row (insert, or a conditional update of a failed one) and commits before it talks to the
    other side, then records the outcome in a second short transaction; the unique constraint makes the
    database, not a read, decide who sends. A sent or unknown row is never sent again by a retry."""

    class Via(models.TextChoices):
        EMAIL = "email", _("邮件")
        DINGTALK = "dingtalk", _("钉钉")

    class State(models.TextChoices):
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        UNKNOWN = "unknown", _("结果未知, 待人工确认")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sends", verbose_name=_("售后单"))
    channel = models.CharField(_("渠道"), max_length=10, choices=Via.choices)
    target = models.CharField(_("目标"), max_length=200)
    detail = models.TextField(_("收件人/群"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.SENDING)
    error = models.TextField(_("原因"), blank=True)
    at = models.DateTimeField(_("时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("操作人")
    )
    message_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "channel", "target"], name="send_once")]
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")

    def __str__(self) -> str:
        return f"{self.case_id} {self.channel} {self.target} {self.state}"


class StockoutTask(models.Model):
    class Action(models.TextChoices):
        TAKE_DOWN = "take_down", _("下架")
        PUT_UP = "put_up", _("上架")

    sku = models.CharField(_("商品编码"), max_length=64, db_index=True)
    listing = models.ForeignKey(
        Listing, on_delete=models.PROTECT, related_name="stockout_tasks", verbose_name=_("平台商品")
    )
    action = models.CharField(_("动作"), max_length=10, choices=Action.choices)
    created_at = models.DateTimeField(_("创建时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("创建人"),
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("完成人"),
    )
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    superseded_at = models.DateTimeField(
        _("作废时间"), null=True, blank=True, help_text=_("完成前库存又变化, 此任务不再需要")
    )
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("sign_stockout", _("完成上下架任务"))]
        # One open task per listing: marking a SKU again reuses it, and a mark of the other way supersedes it.
        constraints = [models.UniqueConstraint(
            fields=["listing"], condition=models.Q(done_at__isnull=True, superseded_at__isnull=True),
            name="stockout_task_one_open")]
        verbose_name = _("上下架任务")
        verbose_name_plural = _("上下架任务")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.listing}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.superseded_at is None
