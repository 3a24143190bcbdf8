from __future__ import annotations

from django.contrib import admin

from opsdesk.core.keep import KeptForever, ReadOnly, ReadOnlyInline
from opsdesk.orders.models import (
    Channel,
    ChannelAftersale,
    ErpAftersale,
    ErpOrder,
    Listing,
    Order,
    OrderEvent,
    OrderLine,
    OrderLineHistory,
    Product,
    WmsRecord,
)


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "login_url", "manual_push", "ship_promise_hours", "cutoff_time", "cutoff_ship_time", "sort"]


@admin.register(Product)
class ProductAdmin(KeptForever, admin.ModelAdmin):
    """Whether a product is Rx or TCM comes from the stock import (its 处方药 column), never from a tick here: an
    unticked Rx flag would let the next import take the product's orders out of the pharmacist's queue."""

    list_display = ["sku", "name", "spec", "stock", "rx", "tcm", "reissue_sku", "unit"]
    list_filter = ["rx", "tcm"]
    search_fields = ["sku", "name"]
    readonly_fields = ["rx", "tcm"]


@admin.register(Listing)
class ListingAdmin(KeptForever, admin.ModelAdmin):
    list_display = ["channel", "sku", "title", "channel_item_id", "url", "active"]
    list_filter = ["channel", "active"]
    search_fields = ["sku", "title"]


class OrderLineInline(ReadOnlyInline):
    model = OrderLine


class OrderLineHistoryInline(ReadOnlyInline):
    """The lines imports replaced: what the order said then."""

    model = OrderLineHistory


@admin.register(Order)
class OrderAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["order_no", "channel", "status", "payment", "placed_at", "ship_by", "allocation", "courier"]
    list_filter = ["channel", "status", "payment", "allocation", "has_rx", "has_tcm"]
    search_fields = ["order_no", "erp_order_no", "tracking_no"]
    date_hierarchy = "placed_at"
    inlines = [OrderLineInline, OrderLineHistoryInline]
    list_select_related = ["channel"]


@admin.register(ErpOrder)
class ErpOrderAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["erp_order_no", "online_order_no", "platform", "status_raw", "abnormal", "order_type"]
    list_filter = ["abnormal", "order_type"]
    search_fields = ["erp_order_no", "online_order_no"]


@admin.register(ErpAftersale)
class ErpAftersaleAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["aftersale_no", "kind", "status_raw", "erp_order_no", "online_order_no"]
    list_filter = ["kind"]
    search_fields = ["aftersale_no", "erp_order_no", "online_order_no"]


@admin.register(ChannelAftersale)
class ChannelAftersaleAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["aftersale_no", "channel", "order_no", "kind_raw", "status_raw", "deadline", "amount"]
    list_filter = ["channel", "status", "kind"]
    search_fields = ["aftersale_no", "order_no"]
    list_select_related = ["channel"]


@admin.register(WmsRecord)
class WmsRecordAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["order_no", "erp_order_no", "warehouse", "allocation", "courier", "tracking_no", "shipped_at"]
    list_filter = ["allocation", "courier"]
    search_fields = ["order_no", "erp_order_no", "tracking_no"]


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["order", "at", "user", "kind"]
    list_filter = ["kind"]
