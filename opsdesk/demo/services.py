"""`opsdesk demo`: a fresh demo data directory, the demo day imported through the real importer, one user per
role, and a few after-sales cases."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from opsdesk.core.roles import ROLES
from opsdesk.demo.day import (
    STALE_EXPORT_MINUTES,
    STALE_SCAN,
    DemoDay,
    DemoOrder,
    demo_moment,
    demo_orders_make,
)
from opsdesk.demo.exports import demo_exports_write
from opsdesk.demo.fake import GONE
from opsdesk.lib import dates
from opsdesk.lib.errors import Refused

MARKER = ".opsdesk-demo"
# What a data directory holds before anything is in it: settings writes the secret key and the log folder on
# start-up (both kept by the reset: the running process holds them).
KEPT = {"secret.key", "logs"}
HARMLESS = {*KEPT, MARKER}
Say = Callable[[str], None]


def demo_dir_check(*, path: Path) -> None:
    """Only a directory `opsdesk demo` made (or an empty one) may be wiped."""
    if not path.exists():
        return
    if not path.is_dir():
        raise Refused(f"{path} 不是目录")
    names = {child.name for child in path.iterdir()}
    if MARKER not in names and names - HARMLESS:
        shown = "、".join(sorted(names - HARMLESS)[:5])
        raise Refused(f"{path} 不是演示数据目录 (含有 {shown}), 不会清空它; 请用 --data-dir 指定一个新目录")


def demo_dir_reset(*, path: Path) -> None:
    """Empty the demo directory (the secret key and logs stay: the running process holds them) and mark it."""
    demo_dir_check(path=path)
    path.mkdir(parents=True, exist_ok=True)
    for child in path.iterdir():
        if child.name in KEPT:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    (path / "static").mkdir()  # STATIC_ROOT: WhiteNoise warns on every start without it
    (path / MARKER).write_text("opsdesk demo data directory: `opsdesk demo` wipes and rebuilds it\n",
                               encoding="utf-8")


@dataclass
class DemoResult:
    demo: DemoDay
    imports: list[dict[str, Any]] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)


def demo_day_build(*, day: date, out_dir: Path, seed: int = 1, moment: datetime | None = None,
                   say: Say | None = None) -> DemoResult:
    """Generate the demo day around `moment` (default: `demo_moment(day)`), write every export under `out_dir`
    and import them all; refuses on a rejected file."""
    from opsdesk.core.roles import system_user
    from opsdesk.imports.services import import_file

    demo = demo_orders_make(day=day, moment=moment or demo_moment(day), seed=seed)
    demo.files = demo_exports_write(demo=demo, out_dir=out_dir)
    result = DemoResult(demo=demo)
    for source, path in demo.files:
        imported = import_file(path=path, source=source, user=system_user())
        if not imported.ok:
            problems = "; ".join(f"行 {e['row']} 列 {e['column']}: {e['message']}" for e in imported.errors[:3])
            raise Refused(f"演示文件 {path.name} 导入失败: {problems}")
        result.imports.append(imported.as_json())
        if say:
            say(f"  导入 {path.name}: {imported.rows} 行, 新建 {imported.created}, 更新 {imported.updated}")
    demo_freshness_stamp(moment=demo.moment)
    demo_listings_make(demo=demo)
    return result


def demo_listings_make(*, demo: DemoDay) -> None:
    """Every channel lists every product, as an admin enters them (the imports only learn the listings of what
    sold): a stock-out takes each one down. 拼多多's carry the 商品id its export shows, so they link to the page."""
    from opsdesk.orders.models import Channel, Listing

    for channel in Channel.objects.all():
        for product in demo.products:
            item_id = f"{int(product.sku[3:]) + 400000000}" if channel.code == "pdd" else ""
            listing, _ = Listing.objects.get_or_create(channel=channel, sku=product.sku,
                                                       defaults={"title": product.name})
            if item_id and not listing.channel_item_id:
                Listing.objects.filter(pk=listing.pk).update(channel_item_id=item_id)


# How long before the demo moment each source was last refreshed: the ERP pull ran minutes ago, the channels'
# downloads came in during the morning, and 寻医问药's export is from last night, so the strip shows a stale one.
DEMO_AGES_MINUTES = {"erp": 4, "erp_aftersales": 4, "wms": 12, "stock": 95, **STALE_EXPORT_MINUTES}
DEMO_CHANNEL_AGE_MINUTES = 35


def demo_freshness_stamp(*, moment: datetime) -> None:
    """Date the demo's imports as a morning's would be, before both the demo moment and now (the desk's clock)."""
    from opsdesk.imports.models import ImportRecord

    base = min(moment, dates.now())
    for record in ImportRecord.objects.all():
        minutes = DEMO_AGES_MINUTES.get(record.source, DEMO_CHANNEL_AGE_MINUTES)
        ImportRecord.objects.filter(pk=record.pk).update(at=base - timedelta(minutes=minutes), via="demo")


# Made-up configuration, so that the demo's texts and sheets are complete without setting any: the pharmacist's
# WeChat ID (加药师微信) and the person answering for the COD sheet.
DEMO_SETTINGS = {"PHARMACIST_WECHAT": "syt-yaoshi-demo", "COD_OWNER": "王芳 025-00000000"}


def demo_settings_apply() -> dict[str, str]:
    """Configuration the demo fills in when nobody set it (this process and the desk and worker it starts)."""
    from django.conf import settings

    applied = {}
    for name, value in DEMO_SETTINGS.items():
        if not getattr(settings, name):
            setattr(settings, name, value)
            os.environ[f"OPSDESK_{name}"] = applied[f"OPSDESK_{name}"] = value
    return applied


def demo_users_make() -> list[dict[str, str]]:
    """One user per role, named after it, with a random password and a made-up phone (the return tip ends with it)."""
    from opsdesk.aftersales.models import Profile
    from opsdesk.core.services import user_add

    users = []
    for n, role in enumerate(ROLES):
        password = secrets.token_urlsafe(9)
        user = user_add(username=role, role=role, password=password)
        Profile.objects.create(user_id=user.pk, phone=f"1380000000{n}")
        users.append({"username": role, "role": role, "password": password})
    return users


def _pick(demo: DemoDay, test: Callable[[DemoOrder], bool], taken: set[str]) -> DemoOrder | None:
    found = next((o for o in demo.orders if o.order_no not in taken and test(o)), None)
    if found:
        taken.add(found.order_no)
    return found


def _shipped(order: DemoOrder) -> bool:
    return order.status in GONE and bool(order.tracking_no) and not order.returned and order.aftersales == ""


def _stale(order: DemoOrder) -> bool:
    """A parcel scanned at pick-up and never since (the demo's logistics_stale orders)."""
    return _shipped(order) and order.status == "shipped" and order.logistics == STALE_SCAN


def lost_parcel_note(order: DemoOrder, moment: datetime) -> str:
    """The lost-parcel case's description, as the notes' example starts, with the days this parcel has stood."""
    since = order.logistics_at or order.shipped or moment
    return f"顾客已多次投诉 物流一直未更新 ({dates.local(since):%m-%d} 揽收后 {(moment - since).days} 天无物流)"


def _complaint(demo: DemoDay, hours: float, note: str) -> dict[str, Any]:
    """A complaint the buyer made on the channel, due `hours` after the demo moment."""
    return {"note": note, "deadline": dates.iso(demo.moment + timedelta(hours=hours))}


def _case_plans(demo: DemoDay) -> list[tuple[str, str, DemoOrder | None, dict[str, Any]]]:
    """(type, role, order, details): one case of each type, on orders that fit it (two complaints: one due within
    the morning, one with time left)."""
    from opsdesk.aftersales.validators import uscc_check_char

    taken: set[str] = set()
    body = "91320115MA1Y2K3L4"
    lost = _pick(demo, _stale, taken)
    return [
        ("return_refund", "service", _pick(demo, lambda o: o.status in GONE and o.aftersales == "pending"
                                           and bool(o.tracking_no) and not o.returned, taken), {}),
        ("lost_parcel", "service", lost, {"note": lost_parcel_note(lost, demo.moment) if lost else ""}),
        ("damaged", "service", _pick(demo, lambda o: _shipped(o) and o.status == "delivered", taken),
         {"qty": 1, "note": "外盒压坏"}),
        ("reissue", "operator", _pick(demo, _shipped, taken), {"note": "丢件补发"}),
        ("omit_packing_list", "operator", _pick(demo, lambda o: o.channel == "official" and o.status == "allocating",
                                                taken), {}),
        ("invoice", "service", _pick(demo, lambda o: bool(o.erp_order_no) and o.status in GONE, taken),
         {"title": "示例科技有限公司", "tax_id": body + uscc_check_char(body), "email": "invoice@example.com"}),
        ("complaint", "service", _pick(demo, lambda o: _shipped(o) and o.channel == "pingan", taken),
         _complaint(demo, 2, "顾客在平台投诉: 物流太慢, 要求今天给答复")),
        ("complaint", "service", _pick(demo, lambda o: _shipped(o) and o.channel == "suning", taken),
         _complaint(demo, 30, "顾客投诉: 外包装有破损, 要求补偿")),
    ]


def demo_cases_open(*, demo: DemoDay) -> list[str]:
    """One after-sales case per type, opened by a user of the right role."""
    from opsdesk.aftersales.services import case_open
    from opsdesk.core.services import user_by_name
    from opsdesk.orders.models import Product

    Product.objects.filter(reissue_sku="").exclude(sku__endswith="-BF").update(reissue_sku=_reissue_sku())
    opened = []
    for case_type, role, order, details in _case_plans(demo):
        if order is None:
            opened.append(f"{case_type}: 没有合适的订单, 跳过")
            continue
        amount = {"amount": order.amount} if case_type in ("lost_parcel", "damaged") else {}
        case = case_open(type=case_type, order_no=order.order_no, channel=order.channel,
                         user=cast(Any, user_by_name(username=role)), **amount, **details)
        opened.append(f"售后 #{case.pk} {case.get_type_display()} {order.order_no}")
    return opened


def _reissue_sku() -> Any:
    """Each product's reissue SKU (补发商品编码) is its own SKU with -BF, as the warehouse keeps them."""
    from django.db.models import Value
    from django.db.models.functions import Concat

    return Concat("sku", Value("-BF"))
