"""The demo day, built in-process: real export files through the real importer, then the rules and the COD sheet."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from opsdesk.aftersales.models import Case, CaseType
from opsdesk.core.roles import system_user
from opsdesk.demo.day import DemoDay, demo_moment, demo_orders_make
from opsdesk.demo.services import demo_cases_open, demo_day_build, demo_users_make
from opsdesk.lib import dates
from opsdesk.orders.models import Order, Product
from opsdesk.reports.cod import cod_report
from opsdesk.rules.selectors import rule_counts, rule_queryset

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

DAY = date(2026, 11, 20)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    demo_day_build(day=DAY, out_dir=tmp_path / "exports")
    return tmp_path


# Counted from the cases the demo opens after the day is built (test_it_opens_one_case_per_type), not from the day.
FROM_CASES = ("complaint_due",)


def day_counts(moment: datetime) -> dict[str, int]:
    return {code: count for code, count in rule_counts(at=moment).items() if code not in FROM_CASES}


def test_each_rule_flags_a_handful_at_the_demo_moment(built: Path) -> None:
    counts = day_counts(demo_moment(DAY))
    assert all(1 <= count <= 40 for count in counts.values()), counts


@pytest.mark.parametrize("clock", ["00:20", "08:00", "16:30", "23:50"])
def test_every_rule_has_work_whatever_the_time_of_day(clock: str, tmp_path: Path) -> None:
    moment = dates.at_time(DAY, time.fromisoformat(clock))
    demo_day_build(day=DAY, out_dir=tmp_path, moment=moment)
    counts = day_counts(moment)
    assert all(count >= 1 for count in counts.values()), counts
    assert cod_report(day=DAY, out_dir=tmp_path, user=system_user()).orders >= 3


def test_the_cod_sheet_has_orders_and_warnings(built: Path) -> None:
    report = cod_report(day=DAY, out_dir=built, user=system_user())
    assert report.orders >= 3 and report.total_amount > 0
    assert any("中通" in warning for warning in report.warnings)
    assert any("快递单号" in warning for warning in report.warnings)


def test_the_data_is_made_up(built: Path) -> None:
    phones = set(Order.objects.values_list("receiver_phone", flat=True))
    assert phones and all(phone.startswith("139000") and len(phone) == 11 for phone in phones)
    assert all("示例路" in address for address in Order.objects.values_list("address", flat=True))
    assert Product.objects.filter(stock=0).exists() and Product.objects.filter(rx=True).exists()
    assert Order.objects.filter(channel__code="official", order_no__startswith="GW").count() == 80
    assert Order.objects.exclude(erp_order_no="").filter(erp_order_no__startswith="XD").count() > 200


def test_it_opens_one_case_per_type(built: Path) -> None:
    demo = demo_day_build(day=DAY, out_dir=built / "again").demo
    demo_users_make()
    opened = demo_cases_open(demo=demo)
    assert all(line.startswith("售后 #") for line in opened), opened
    assert Counter(Case.objects.values_list("type", flat=True)) == {**dict.fromkeys(CaseType.values, 1), "complaint": 2}
    assert rule_counts(at=demo.moment)["complaint_due"] == 1  # one due in 2 hours, the other in 30


def test_the_demo_moment_is_twenty_past_nine_of_the_demo_day() -> None:
    assert demo_moment(DAY).isoformat() == "2026-11-20T09:20:00+08:00"


def made() -> DemoDay:
    return demo_orders_make(day=DAY, moment=demo_moment(DAY))


def test_orders_follow_a_days_rhythm_few_at_night() -> None:
    hours = Counter(dates.local(order.placed).hour for order in made().orders)
    night = sum(hours[h] for h in range(1, 6))
    day = sum(hours[h] for h in range(9, 14))
    assert night * 3 < day, hours


def test_parcels_ship_and_arrive_in_working_hours_before_the_demo_moment() -> None:
    demo = made()
    for order in demo.orders:
        for moment in (order.shipped, order.delivered):
            if moment is not None:
                assert time(9) <= dates.local(moment).time() <= time(18), (order.order_no, moment)
                assert order.placed < moment <= demo.moment, (order.order_no, moment)
        assert (order.shipped is not None) == (order.status in ("shipped", "delivered")), order.order_no


def test_the_yaofangwang_batch_at_09_25_is_every_order_paid_before_yesterday_17_00(built: Path) -> None:
    at = dates.at_time(DAY, time(9, 25))
    counts = rule_counts(at=at, channel="yaofangwang")
    cutoff = dates.at_time(DAY - timedelta(days=1), time(17))
    unshipped = Order.objects.filter(channel__code="yaofangwang", paid_at__lt=cutoff,
                                     status__in=("awaiting_shipment", "allocating")).count()
    assert counts["cutoff_unshipped"] == unshipped
    assert counts["cutoff_unshipped"] > counts["cutoff_missed"] >= 1
    assert counts["cutoff_due_today"] >= 1


def test_the_lost_parcel_case_says_what_its_dates_say(built: Path) -> None:
    demo = demo_day_build(day=DAY, out_dir=built / "again").demo
    demo_users_make()
    demo_cases_open(demo=demo)
    case = Case.objects.get(type="lost_parcel")
    stale = next(o for o in demo.orders if o.order_no == case.order.order_no)
    assert stale.logistics_at is not None
    days = (demo.moment - stale.logistics_at).days
    assert case.note == f"顾客已多次投诉 物流一直未更新 ({dates.local(stale.logistics_at):%m-%d} 揽收后 {days} 天无物流)"
    assert days >= 3
    # Registered as lost, the parcel has left the logistics_stale queue; another stale one is still waiting there.
    queue = set(rule_queryset(code="logistics_stale", at=demo.moment).values_list("pk", flat=True))
    assert case.order.pk not in queue and queue


def test_every_channel_lists_every_product_and_pdds_link_to_their_page(built: Path) -> None:
    from opsdesk.orders.models import Channel, Listing

    assert Listing.objects.count() == Channel.objects.count() * Product.objects.count()
    pdd = Listing.objects.select_related("channel").filter(channel__code="pdd").first()
    assert pdd is not None and pdd.page_url.startswith("https://mobile.yangkeduo.com/goods.html?goods_id=4000000")
