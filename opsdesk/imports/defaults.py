"""The shipped import profiles of the twelve sources (seeded by a data migration, then edited in the admin).

Field names are the importer's vocabulary (see `opsdesk.imports.fields`); an empty field name marks a column that
is known and ignored."""

from __future__ import annotations

from typing import Any

CHANNEL_HEADERS: dict[str, str] = {
    "订单号": "order_no", "订单编号": "order_no",
    "下单时间": "placed_at", "创建时间": "placed_at",
    "付款时间": "paid_at", "支付时间": "paid_at",
    "承诺发货时间": "ship_by", "最晚发货时间": "ship_by",
    "发货时间": "shipped_at", "确认收货时间": "delivered_at", "签收时间": "delivered_at",
    "订单状态": "status",
    "收货人": "receiver_name", "收货人姓名": "receiver_name",
    "手机": "receiver_phone", "手机号": "receiver_phone", "收货人手机": "receiver_phone", "联系电话": "receiver_phone",
    "省": "province", "省份": "province", "市": "city", "城市": "city", "区": "district", "区县": "district",
    "地址": "address", "详细地址": "address", "收货地址": "address",
    "商品编码": "sku", "商家编码": "sku",
    "商品名称": "name", "规格": "spec", "商品规格": "spec",
    "数量": "qty", "商品数量": "qty", "单价": "price",
    "订单金额": "total_amount", "实付金额": "total_amount", "应付金额": "total_amount",
    "买家留言": "buyer_message", "卖家备注": "seller_note", "商家备注": "seller_note", "客户备注": "seller_note",
    "快递公司": "courier", "物流公司": "courier", "快递单号": "tracking_no", "运单号": "tracking_no",
    "物流单号": "tracking_no",
    "售后状态": "aftersales",
}

CHANNEL_STATUS: dict[str, str] = {
    "待付款": "unpaid", "未付款": "unpaid", "等待付款": "unpaid", "代付款": "unpaid",
    "待发货": "awaiting_shipment", "已付款": "awaiting_shipment", "待审核": "awaiting_shipment",
    "等待发货": "awaiting_shipment", "待配货": "awaiting_shipment",
    "配货中": "allocating",
    "已发货": "shipped", "待收货": "shipped", "已发货,待收货": "shipped", "已发货,待签收": "shipped",
    "已签收": "delivered", "已完成": "delivered", "交易成功": "delivered", "已收货": "delivered",
    "已取消": "cancelled", "交易关闭": "cancelled", "已关闭": "cancelled", "未发货,退款成功": "cancelled",
}

AFTERSALES: dict[str, str] = {
    "无售后": "", "无售后或售后取消": "", "售后取消": "",
    "售后处理中": "pending", "待处理": "pending", "退款申请中": "pending",
    "退款中": "refunding", "退款成功": "refunded", "已退款": "refunded", "售后关闭": "closed", "已关闭": "closed",
}

PAYMENT: dict[str, str] = {
    "货到付款": "cod", "平台收款": "platform_paid", "在线支付": "platform_paid", "微信支付": "wechat",
    "微信": "wechat", "支付宝": "alipay",
}


def _channel(source: str, name: str, extra: dict[str, str], **options: Any) -> dict[str, Any]:
    return {
        "source": source, "name": name, "kind": "channel", "channel_code": source,
        "headers": {**CHANNEL_HEADERS, **extra}, "required": ["order_no"], "status_map": CHANNEL_STATUS,
        "payment_map": PAYMENT, "aftersales_map": AFTERSALES, "default_payment": "platform_paid", **options,
    }


PDD_HEADERS = {
    "商品": "name", "商品id": "channel_item_id", "样式ID": "", "商家编码-规格维度": "sku", "商家编码-SKU维度": "sku",
    "商家编码-商品维度": "sku", "商品数量(件)": "qty", "商品总价(元)": "line_amount", "邮费(元)": "",
    "店铺优惠折扣(元)": "", "平台优惠折扣(元)": "", "多多支付立减金额(元)": "", "用户实付金额(元)": "total_amount",
    "商家实收金额(元)": "", "订单成交时间": "placed_at", "订单创建时间": "placed_at", "拼单成功时间": "",
    "街道": "address", "是否分期": "", "分期期数": "", "手续费承担方": "", "分期方式": "",
}

# 拼多多 商家后台 → 售后 → 售后列表 → 导出: one row per request; 超时时间 (or 剩余处理时间) is when the platform
# decides for the buyer if the shop has not acted.
PDD_AFTERSALES: dict[str, Any] = {
    "source": "pdd_aftersales", "name": "拼多多售后单", "kind": "channel_aftersales", "channel_code": "pdd",
    "headers": {
        "售后编号": "aftersale_no", "售后单编号": "aftersale_no", "订单编号": "order_no", "订单号": "order_no",
        "售后类型": "kind", "售后状态": "status", "申请时间": "applied_at", "售后申请时间": "applied_at",
        "超时时间": "deadline", "处理截止时间": "deadline", "逾期时间": "deadline", "剩余处理时间": "remaining",
        "退款金额": "amount", "退款金额(元)": "amount", "申请退款金额(元)": "amount", "申请原因": "reason",
        "售后原因": "reason", "商品名称": "", "商品id": "", "商品规格": "", "商品数量": "", "订单金额(元)": "",
        "退货物流公司": "", "退货物流单号": "", "售后说明": "",
    },
    "required": ["aftersale_no", "order_no"],
    "status_map": {
        "待商家处理": "seller", "待商家同意": "seller", "待商家收货": "seller", "待商家确认收货": "seller",
        "待商家举证": "seller", "待买家退货": "buyer", "待买家处理": "buyer", "待买家修改": "buyer",
        "商家已拒绝": "buyer", "平台介入中": "platform", "平台处理中": "platform", "退款成功": "closed",
        "退款关闭": "closed", "售后关闭": "closed", "售后完成": "closed", "买家已撤销": "closed", "已撤销": "closed",
        "换货成功": "closed", "补寄成功": "closed",
    },
    "kind_map": {"仅退款": "refund_only", "退货退款": "return_refund", "换货": "exchange", "补寄": "resend",
                 "其他": "other"},
}

DEFAULT_PROFILES: list[dict[str, Any]] = [
    _channel(
        "official", "官网",
        {"订单处理状态": "process_status", "订单支付方式": "payment", "支付方式": "payment"},
        default_payment="",
    ),
    _channel("pdd", "拼多多", PDD_HEADERS, order_no_date_prefix=True, one_row_per_order=True),
    _channel("pingan", "平安好医生", {"处方单号": ""}),
    _channel("yaofangwang", "药房网", {"审方状态": ""}),
    _channel("suning", "苏宁", {"订单行号": ""}),
    _channel("jiage315", "315", {"会员账号": ""}),
    _channel("xywy", "寻医问药", {"问诊单号": ""}),
    {
        "source": "erp", "name": "万里牛订单", "kind": "erp",
        "headers": {
            "系统单号": "erp_order_no", "线上订单号": "online_order_no", "店铺": "shop", "平台": "platform",
            "处理状态": "erp_status", "是否异常": "abnormal", "异常原因": "abnormal_reason", "订单类型": "order_type",
            "付款时间": "paid_at", "承诺发货时间": "ship_by", "买家留言": "buyer_message", "卖家备注": "seller_note",
            "快递公司": "courier", "快递单号": "tracking_no", "商品编码": "sku", "商品名称": "name", "规格": "spec",
            "数量": "qty",
        },
        "required": ["erp_order_no", "online_order_no"],
    },
    {
        "source": "erp_aftersales", "name": "万里牛售后单", "kind": "erp_aftersales",
        "headers": {
            "售后单号": "aftersale_no", "类型": "kind", "售后类型": "kind", "状态": "status", "系统单号": "erp_order_no",
            "线上订单号": "online_order_no", "备注": "note", "创建时间": "created_at",
        },
        "required": ["aftersale_no", "kind"],
        "kind_map": {"退货": "return", "退货退款": "return", "补发": "reissue", "换货": "exchange",
                     "仅退款": "refund_only", "其他": "other"},
    },
    {
        "source": "wms", "name": "WMS", "kind": "wms",
        "headers": {
            "订单编号": "order_no", "订单号": "order_no", "系统单号": "erp_order_no", "仓库": "warehouse",
            "分配状态": "allocation", "快递公司": "courier", "快递单号": "tracking_no", "发货时间": "shipped_at",
            "物流最后更新": "last_update",
        },
        "required": ["order_no", "allocation"],
        "allocation_map": {"分配完成": "complete", "已分配": "complete", "部分分配": "partial", "未分配": "none",
                           "缺货": "short"},
    },
    {
        "source": "stock", "name": "库存", "kind": "stock",
        "headers": {"商品编码": "sku", "商品名称": "name", "规格": "spec", "可用库存": "stock", "库存": "stock",
                    "处方药": "rx", "中药": "tcm"},
        "required": ["sku", "stock"],
    },
    PDD_AFTERSALES,
]


def profiles_seed(profile_model: Any) -> None:
    """Create the shipped profiles that are missing; an admin's edits to existing ones are kept."""
    known = {field.name for field in profile_model._meta.get_fields()}
    for profile in DEFAULT_PROFILES:
        # The data migration seeds with the model as it was then: settings added later come with their own.
        values = {key: value for key, value in profile.items() if key in known}
        profile_model.objects.get_or_create(source=values.pop("source"), defaults=values)
