"""Orders from every channel, their lines, products and the ERP / WMS facts that join onto them.

Records are never deleted (sales records are kept five years): later imports supersede values, and
`OrderEvent` keeps the history of what people did."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opsdesk.lib.money import MoneyColumn
from opsdesk.lib.queries import Holds


class OrderStatus(models.TextChoices):
    UNPAID = "unpaid", _("待付款")
    AWAITING_SHIPMENT = "awaiting_shipment", _("待发货")
    ALLOCATING = "allocating", _("配货中")
    SHIPPED = "shipped", _("已发货")
    DELIVERED = "delivered", _("已签收")
    CANCELLED = "cancelled", _("已取消")
    UNKNOWN = "unknown", _("未知")


# 万里牛's mark of a return back in the warehouse, in a 售后单's note or an order's 卖家备注 (read by orders/returns.py).
RETURN_PREFIX = "新建售后单【"
# Where the parcel goes (the COD sheet joins them into one cell) and who receives it: personal data, which the
# rules never read (rules/selectors.py leaves it out of every evaluation).
ADDRESS_FIELDS = ("province", "city", "district", "address")
RECEIVER_FIELDS = ("receiver_name", "receiver_phone", *ADDRESS_FIELDS)
# Statuses in which the order still has to leave the warehouse.
OPEN_STATUSES = (OrderStatus.AWAITING_SHIPMENT, OrderStatus.ALLOCATING)
# The way an order moves forward; an import never moves it back along this line (cancelled may come from any state).
STATUS_PROGRESSION = (OrderStatus.UNPAID, OrderStatus.AWAITING_SHIPMENT, OrderStatus.ALLOCATING, OrderStatus.SHIPPED,
                      OrderStatus.DELIVERED)


class Payment(models.TextChoices):
    PLATFORM_PAID = "platform_paid", _("平台收款")
    COD = "cod", _("货到付款")
    WECHAT = "wechat", _("微信支付")
    ALIPAY = "alipay", _("支付宝")
    UNKNOWN = "unknown", _("未知")
    NONE = "", _("—")


class Allocation(models.TextChoices):
    COMPLETE = "complete", _("分配完成")
    PARTIAL = "partial", _("部分分配")
    NONE = "none", _("未分配")
    SHORT = "short", _("缺货")
    UNKNOWN = "unknown", _("未知")
    NOT_SENT = "", _("未推送")


class AfterSales(models.TextChoices):
    NONE = "", _("无售后")
    PENDING = "pending", _("售后处理中")
    REFUNDING = "refunding", _("退款中")
    REFUNDED = "refunded", _("退款成功")
    CLOSED = "closed", _("售后关闭")
    UNKNOWN = "unknown", _("未知")


class Courier(models.TextChoices):
    ZTO = "zto", _("中通快递")
    STO = "sto", _("申通快递")
    OTHER = "other", _("其他快递")
    NONE = "", _("—")


class Unit(models.TextChoices):
    """How a product is counted in the courier texts (商品破损2盒)."""

    BOX = "盒", _("盒")
    PIECE = "件", _("件")


def courier_text(courier: str, courier_raw: str) -> str:
    """The courier as the export wrote it, else our name for it ('' when none is known)."""
    return courier_raw or (str(Courier(courier).label) if courier else "")


class Channel(models.Model):
    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    login_url = models.URLField(_("后台链接"), blank=True)
    notes = models.TextField(_("备注"), blank=True)
    ship_promise_hours = models.PositiveIntegerField(
        _("默认发货时限(小时)"), null=True, blank=True,
        help_text=_("导出没有承诺发货时间时, 付款(或成交)时间加这么多小时即为承诺发货时间"),
    )
    cutoff_time = models.TimeField(_("截单时间"), null=True, blank=True, help_text=_("例如 药房网 17:00"))
    cutoff_ship_time = models.TimeField(
        _("次日发货截止"), null=True, blank=True, help_text=_("截单前付款的订单须在次日此时间前发出, 例如 16:00")
    )
    product_url = models.CharField(
        _("商品页链接模板"), max_length=300, blank=True,
        help_text=_("平台商品页的链接, {item_id} 处填平台商品ID; 例如 https://mobile.yangkeduo.com/goods.html?goods_id={item_id}"),
    )
    manual_push = models.BooleanField(
        _("手动推单"), default=False,
        help_text=_("运营在平台后台筛选待发货订单并推到待发货/配货中 (官网); 待推送的订单计入待发货平台收款、货到付款待推配货"),
    )
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("平台")
        verbose_name_plural = _("平台")

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    sku = models.CharField(_("商品编码"), max_length=64, unique=True)
    name = models.CharField(_("商品名称"), max_length=200, blank=True)
    spec = models.CharField(_("规格"), max_length=100, blank=True)
    stock = models.IntegerField(_("可用库存"), null=True, blank=True)
    rx = models.BooleanField(_("处方药"), default=False)
    tcm = models.BooleanField(_("中药"), default=False)
    reissue_sku = models.CharField(_("补发商品编码"), max_length=64, blank=True)
    # db_default: the stock import inserts products by raw SQL without this column.
    unit = models.CharField(_("单位"), max_length=2, choices=Unit.choices, default=Unit.BOX, db_default=Unit.BOX)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["sku"]
        verbose_name = _("商品")
        verbose_name_plural = _("商品")

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class Listing(models.Model):
    """A product listed on a channel: what a stock-out takes down and a restock puts back up."""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="listings", verbose_name=_("平台"))
    sku = models.CharField(_("商品编码"), max_length=64, db_index=True)
    title = models.CharField(_("商品标题"), max_length=200, blank=True)
    channel_item_id = models.CharField(_("平台商品ID"), max_length=64, blank=True)
    # db_default: the importer inserts listings with its own SQL and leaves the link out; default: the bulk
    # generator (demo/bulk.py) fills the columns it does not name with each field's default.
    url = models.URLField(_("商品页链接"), max_length=300, blank=True, default="", db_default="",
                          help_text=_("留空 = 按平台的商品页链接模板"))
    active = models.BooleanField(_("在架"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "sku"], name="listing_channel_sku")]
        verbose_name = _("平台商品")
        verbose_name_plural = _("平台商品")

    def __str__(self) -> str:
        return f"{self.channel.name} {self.sku}"

    @property
    def page_url(self) -> str:
        """The channel's page of this product: its own link, else the channel's pattern with its item id ('')."""
        pattern = self.channel.product_url
        if self.url or not (pattern and self.channel_item_id):
            return self.url
        return pattern.replace("{item_id}", quote(self.channel_item_id, safe=""))


class Order(models.Model):
    # No index of its own: the unique (channel, order_no) and order_channel_paid both lead with it.
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="orders", verbose_name=_("平台"), db_index=False
    )
    order_no = models.CharField(_("订单编号"), max_length=64)
    erp_order_no = models.CharField(_("万里牛单号"), max_length=32, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.UNKNOWN)
    status_raw = models.CharField(_("原始状态"), max_length=60, blank=True)
    payment = models.CharField(_("支付方式"), max_length=20, choices=Payment.choices, blank=True)
    payment_raw = models.CharField(_("原始支付方式"), max_length=40, blank=True)
    placed_at = models.DateTimeField(_("下单时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("付款时间"), null=True, blank=True)
    ship_by = models.DateTimeField(_("承诺发货时间"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("发货时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    receiver_name = models.CharField(_("收货人"), max_length=60, blank=True)
    receiver_phone = models.CharField(_("手机"), max_length=40, blank=True)
    province = models.CharField(_("省份"), max_length=40, blank=True)
    city = models.CharField(_("城市"), max_length=40, blank=True)
    district = models.CharField(_("区县"), max_length=40, blank=True)
    address = models.CharField(_("详细地址"), max_length=300, blank=True)
    total_amount = MoneyColumn(_("订单金额"), max_digits=12, decimal_places=2, null=True, blank=True)
    buyer_message = models.TextField(_("买家留言"), blank=True)
    seller_note = models.TextField(_("客户备注"), blank=True)
    courier = models.CharField(_("快递"), max_length=10, choices=Courier.choices, blank=True)
    courier_raw = models.CharField(_("快递公司"), max_length=40, blank=True)
    tracking_no = models.CharField(_("快递单号"), max_length=40, blank=True)
    allocation = models.CharField(_("WMS分配"), max_length=10, choices=Allocation.choices, blank=True)
    allocation_raw = models.CharField(_("原始分配状态"), max_length=20, blank=True)
    warehouse = models.CharField(_("仓库"), max_length=40, blank=True)
    aftersales = models.CharField(_("售后状态"), max_length=10, choices=AfterSales.choices, blank=True)
    aftersales_raw = models.CharField(_("原始售后状态"), max_length=40, blank=True)
    erp_status_raw = models.CharField(_("万里牛处理状态"), max_length=40, blank=True)
    erp_order_type = models.CharField(_("万里牛订单类型"), max_length=20, blank=True)
    erp_abnormal = models.BooleanField(_("万里牛异常"), default=False)
    erp_abnormal_reason = models.CharField(_("异常原因"), max_length=200, blank=True)
    erp_note = models.TextField(_("万里牛备注"), blank=True)
    has_rx = models.BooleanField(_("含处方药"), default=False)
    has_tcm = models.BooleanField(_("含中药"), default=False)
    # Hash of the imported facts: a re-import that changes nothing writes nothing.
    content_hash = models.CharField(max_length=32, blank=True)
    # When the channel export these facts came from was made (its title line or file name), if it said: an older
    # export imported later leaves the order as it is.
    exported_at = models.DateTimeField(_("导出时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["channel", "order_no"], name="order_channel_order_no")]
        indexes = [
            # Declared here, not as db_index=True: PostgreSQL would add a varchar_pattern_ops twin to each, which
            # no query uses (the search is icontains) and a first load rebuilds (~0.1 s).
            models.Index(fields=["order_no"], name="order_order_no"),
            models.Index(fields=["erp_order_no"], name="order_erp_order_no"),
            models.Index(fields=["receiver_phone"], name="order_receiver_phone"),
            models.Index(fields=["tracking_no"], name="order_tracking_no"),
            models.Index(fields=["placed_at"], name="order_placed_at"),
            # The exception rules (opsdesk.rules.registry): each queue/count reads one narrow index. Each ends
            # with channel so that the per-channel counts of the day's checklist read the index alone, as the
            # plain counts do (rules.selectors.rule_counts_by_channel).
            models.Index(fields=["status", "ship_by", "channel"], name="order_status_ship_by"),
            # The flag queues hold the few orders flagged, not every order under a false flag: a first load builds
            # each in a fifth of the time, and an order never flagged costs their upkeep nothing. The flag stays
            # a column: SQLite reads a partial index alone only when it holds every column the query names
            # (rx_wechat sorts its unpaid and unreviewed Rx orders by placed_at: 15,000 of them 126 → 68 ms).
            *(models.Index(fields=[flag, *rest], name=name, condition=models.Q((flag, True)))
              for flag, rest, name in (("has_rx", ["status", "paid_at", "channel", "placed_at"], "order_rx_status"),
                                       ("has_tcm", ["status", "paid_at", "channel"], "order_tcm_status"),
                                       ("erp_abnormal", ["status", "channel"], "order_erp_abnormal"))),
            models.Index(fields=["aftersales", "updated_at", "channel"], name="order_aftersales"),
            models.Index(
                fields=["payment", "status", "courier", "placed_at", "channel"], name="order_payment_courier"
            ),
            models.Index(
                fields=["status", "allocation", "erp_order_no", "paid_at", "channel"], name="order_allocation"
            ),
            models.Index(fields=["channel", "paid_at", "status"], name="order_channel_paid"),
            models.Index(
                fields=["paid_at", "status", "channel"], name="order_with_note",
                condition=~models.Q(buyer_message="") | ~models.Q(seller_note=""),
            ),
            # returned_unrefunded: the few orders whose 卖家备注 carries the return mark, found without reading every
            # order's note (orders/returns.py writes the same test into its queries).
            models.Index(fields=["id"], name="order_erp_note_return", condition=models.Q(Holds("erp_note", RETURN_PREFIX))),
            # logistics_stale: the shipped, undelivered orders with what it tests of them, without the order rows.
            # Led by status so that SQLite, which keeps no statistics here, prefers it to the other status indexes.
            models.Index(
                fields=["status", "shipped_at", "order_no", "channel"], name="order_shipped_undelivered",
                condition=models.Q(status=OrderStatus.SHIPPED, delivered_at__isnull=True),
            ),
        ]
        permissions = [
            ("reveal_phone", _("可以查看收货人完整手机号 (记录在订单历史)")),
            ("export_cod_sheet", _("可以生成货到付款表 (含完整手机号)")),
        ]
        verbose_name = _("订单")
        verbose_name_plural = _("订单")

    def __str__(self) -> str:
        return f"{self.channel_id}:{self.order_no}"


class LineFields(models.Model):
    """What an order line says: the order's current lines and the lines an import replaced share these columns."""

    line_no = models.PositiveIntegerField(_("行号"))
    # No index of its own: OrderLine's (sku, qty, order) index serves lookups by SKU, and a former line is looked up
    # only by its order.
    sku = models.CharField(_("商品编码"), max_length=64, blank=True)
    name = models.CharField(_("商品名称"), max_length=200, blank=True)
    spec = models.CharField(_("规格"), max_length=100, blank=True)
    qty = models.PositiveIntegerField(_("数量"), default=1)
    price = models.DecimalField(_("单价"), max_digits=12, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2, null=True, blank=True)
    rx = models.BooleanField(_("处方药"), default=False)
    tcm = models.BooleanField(_("中药"), default=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.sku} × {self.qty}"


class OrderLine(LineFields):
    # PROTECT: an order is never deleted, and its lines never go with it (an import keeps them in OrderLineHistory).
    # No index of its own: the unique (order, line_no) serves lookups by order (one index less to build on import).
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="lines", verbose_name=_("订单"),
                              db_index=False)

    class Meta:
        ordering = ["order", "line_no"]
        constraints = [models.UniqueConstraint(fields=["order", "line_no"], name="orderline_order_line_no")]
        # stock_short: a product's lines asking for more than its stock, with their orders, from the index alone.
        indexes = [models.Index(fields=["sku", "qty", "order"], name="orderline_sku_qty_order")]
        verbose_name = _("订单明细")
        verbose_name_plural = _("订单明细")


class OrderLineHistory(LineFields):
    """A line as it was before an import replaced the order's lines with different ones (kept, never deleted):
    the lines one import replaced share `replaced_at`, and the order's history has a `lines_changed` event then."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="line_history", verbose_name=_("订单"))
    replaced_at = models.DateTimeField(_("被替换时间"))

    class Meta:
        ordering = ["order", "-replaced_at", "line_no"]
        indexes = [models.Index(fields=["order", "replaced_at"], name="orderlinehistory_order_at")]
        verbose_name = _("订单明细历史")
        verbose_name_plural = _("订单明细历史")


class ErpOrder(models.Model):
    """A 万里牛 order (XD…). Kept on its own so that an ERP export imported before the channel's still joins."""

    erp_order_no = models.CharField(_("系统单号"), max_length=32, unique=True)
    online_order_no = models.CharField(_("线上订单号"), max_length=64, db_index=True, blank=True)
    shop = models.CharField(_("店铺"), max_length=60, blank=True)
    platform = models.CharField(_("平台"), max_length=40, blank=True)
    status_raw = models.CharField(_("处理状态"), max_length=40, blank=True)
    abnormal = models.BooleanField(_("是否异常"), default=False)
    abnormal_reason = models.CharField(_("异常原因"), max_length=200, blank=True)
    order_type = models.CharField(_("订单类型"), max_length=20, blank=True)
    paid_at = models.DateTimeField(_("付款时间"), null=True, blank=True)
    ship_by = models.DateTimeField(_("承诺发货时间"), null=True, blank=True)
    buyer_message = models.TextField(_("买家留言"), blank=True)
    seller_note = models.TextField(_("卖家备注"), blank=True)
    courier_raw = models.CharField(_("快递公司"), max_length=40, blank=True)
    tracking_no = models.CharField(_("快递单号"), max_length=40, blank=True)
    # The export time its file stated (or the pull's): an older export leaves the record as it is.
    exported_at = models.DateTimeField(_("导出时间"), null=True, blank=True)
    content_hash = models.CharField(max_length=32, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("万里牛订单")
        verbose_name_plural = _("万里牛订单")

    def __str__(self) -> str:
        return self.erp_order_no


class ErpAftersale(models.Model):
    class Kind(models.TextChoices):
        RETURN = "return", _("退货")
        REISSUE = "reissue", _("补发")
        EXCHANGE = "exchange", _("换货")
        REFUND_ONLY = "refund_only", _("仅退款")
        OTHER = "other", _("其他")

    aftersale_no = models.CharField(_("售后单号"), max_length=40, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    kind_raw = models.CharField(_("原始类型"), max_length=20, blank=True)
    status_raw = models.CharField(_("状态"), max_length=40, blank=True)
    erp_order_no = models.CharField(_("系统单号"), max_length=32, blank=True, db_index=True)
    online_order_no = models.CharField(_("线上订单号"), max_length=64, blank=True, db_index=True)
    note = models.TextField(_("备注"), blank=True)
    created_at_source = models.DateTimeField(_("创建时间"), null=True, blank=True)
    content_hash = models.CharField(max_length=32, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("万里牛售后单")
        verbose_name_plural = _("万里牛售后单")

    def __str__(self) -> str:
        return self.aftersale_no


class ChannelAftersale(models.Model):
    """A channel's own after-sales request (拼多多 商家后台 售后 export): what the buyer asked for, where it stands and
    by when the shop must act before the platform decides for the buyer (超时时间). Joined onto the order by the
    channel and its order number; kept like the ERP's records, superseded by later exports, never deleted."""

    class Kind(models.TextChoices):
        REFUND_ONLY = "refund_only", _("仅退款")
        RETURN_REFUND = "return_refund", _("退货退款")
        EXCHANGE = "exchange", _("换货")
        RESEND = "resend", _("补寄")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        SELLER = "seller", _("待商家处理")
        BUYER = "buyer", _("待买家处理")
        PLATFORM = "platform", _("平台处理中")
        CLOSED = "closed", _("已完结")
        UNKNOWN = "unknown", _("未知")

    aftersale_no = models.CharField(_("售后编号"), max_length=40, unique=True)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+", verbose_name=_("平台"))
    order_no = models.CharField(_("订单编号"), max_length=64, db_index=True)
    kind = models.CharField(_("售后类型"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    kind_raw = models.CharField(_("原始售后类型"), max_length=20, blank=True)
    status = models.CharField(_("售后状态"), max_length=10, choices=Status.choices, default=Status.UNKNOWN)
    status_raw = models.CharField(_("原始售后状态"), max_length=40, blank=True)
    applied_at = models.DateTimeField(_("申请时间"), null=True, blank=True)
    deadline = models.DateTimeField(_("超时时间"), null=True, blank=True)
    amount = MoneyColumn(_("退款金额"), max_digits=12, decimal_places=2, null=True, blank=True)
    reason = models.CharField(_("申请原因"), max_length=200, blank=True)
    content_hash = models.CharField(max_length=32, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        # aftersale_expiring reads the open ones by deadline.
        indexes = [models.Index(fields=["status", "deadline"], name="chanaftersale_status_deadline")]
        verbose_name = _("平台售后单")
        verbose_name_plural = _("平台售后单")

    def __str__(self) -> str:
        return self.aftersale_no


class WmsRecord(models.Model):
    """WMS allocation and logistics for one channel order number (joined onto Order by order_no)."""

    order_no = models.CharField(_("订单编号"), max_length=64, unique=True)
    erp_order_no = models.CharField(_("系统单号"), max_length=32, blank=True, db_index=True)
    warehouse = models.CharField(_("仓库"), max_length=40, blank=True)
    allocation = models.CharField(_("分配状态"), max_length=10, choices=Allocation.choices, blank=True)
    allocation_raw = models.CharField(_("原始分配状态"), max_length=20, blank=True)
    courier = models.CharField(_("快递"), max_length=10, choices=Courier.choices, blank=True)
    courier_raw = models.CharField(_("快递公司"), max_length=40, blank=True)
    tracking_no = models.CharField(_("快递单号"), max_length=40, blank=True)
    shipped_at = models.DateTimeField(_("发货时间"), null=True, blank=True)
    last_update = models.CharField(_("物流最后更新"), max_length=200, blank=True)
    exported_at = models.DateTimeField(_("导出时间"), null=True, blank=True)  # as ErpOrder's
    content_hash = models.CharField(max_length=32, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        # logistics_stale reads each shipped order's update time from this index alone (rules/registry.py).
        indexes = [models.Index(fields=["order_no", "last_update"], name="wms_order_last_update")]
        verbose_name = _("WMS记录")
        verbose_name_plural = _("WMS记录")

    def __str__(self) -> str:
        return self.order_no


class OrderEvent(models.Model):
    """Who did what to an order and when (acknowledged, reviewed, revealed the phone, opened a case…)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="events", verbose_name=_("订单"))
    at = models.DateTimeField(_("时间"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("操作人")
    )
    kind = models.CharField(_("类型"), max_length=30)
    text = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("订单记录")
        verbose_name_plural = _("订单记录")

    def __str__(self) -> str:
        return f"{self.order} {self.kind}"
