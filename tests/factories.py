"""factory_boy factories for the order models. Shared by every app's tests: add factories, don't rewrite others'.
Made-up data only (example phones, example.com mail)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from opsdesk.lib.dates import SHANGHAI
from opsdesk.orders.models import (
    Channel,
    ErpAftersale,
    Listing,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    Product,
)


class OrderFactory(DjangoModelFactory):
    """`OrderFactory(channel_code="pdd", status=..., lines=2)`: an order on a seeded channel."""

    class Meta:
        model = Order

    class Params:
        channel_code = "official"

    channel = factory.LazyAttribute(lambda o: Channel.objects.get(code=o.channel_code))
    order_no = factory.Sequence(lambda n: f"GW{2611230000000 + n}")
    status = OrderStatus.AWAITING_SHIPMENT
    status_raw = "待发货"
    payment = Payment.PLATFORM_PAID
    placed_at = factory.LazyFunction(lambda: datetime(2026, 11, 23, 8, 0, tzinfo=SHANGHAI))
    paid_at = factory.LazyAttribute(lambda o: o.placed_at)
    receiver_name = "张三"
    receiver_phone = factory.Sequence(lambda n: f"1380000{n % 10000:04d}")
    province = "江苏省"
    city = "南京市"
    district = "江宁区"
    address = factory.Sequence(lambda n: f"示例路{n}号")
    total_amount = Decimal("100.00")


class OrderLineFactory(DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    line_no = factory.Sequence(lambda n: n + 1)
    sku = factory.Sequence(lambda n: f"SKU{n:05d}")
    name = "感冒灵颗粒"
    spec = "10g*9袋"
    qty = 1
    price = Decimal("100.00")
    amount = factory.LazyAttribute(lambda o: o.price * o.qty if o.price is not None else None)


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ("sku",)

    sku = factory.Sequence(lambda n: f"P{n:05d}")
    name = "板蓝根颗粒"
    spec = "10g*20袋"
    stock = 100


class ErpAftersaleFactory(DjangoModelFactory):
    class Meta:
        model = ErpAftersale

    aftersale_no = factory.Sequence(lambda n: f"SH{n:08d}")
    kind = ErpAftersale.Kind.RETURN
    kind_raw = "退货"


class ListingFactory(DjangoModelFactory):
    """`ListingFactory(channel_code="pdd", sku="P00001")`: a product listed on a channel."""

    class Meta:
        model = Listing

    class Params:
        channel_code = "pdd"

    channel = factory.LazyAttribute(lambda o: Channel.objects.get(code=o.channel_code))
    sku = factory.Sequence(lambda n: f"P{n:05d}")
    title = factory.LazyAttribute(lambda o: f"{o.sku} 商品")
    active = True


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48), colour: str = "red") -> bytes:
    """A real picture (Pillow reads it whole), e.g. a made-up prescription scan; colours make them differ."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()
