"""The demo day, built in-process: real export files through the real importer, then the rules and the COD sheet."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from opsdesk.demo.day import demo_moment
from opsdesk.demo.services import demo_cases_open, demo_day_build, demo_users_make
from opsdesk.lib import dates
from opsdesk.orders.models import Order, Product
from opsdesk.reports.cod import cod_report
from opsdesk.rules.selectors import rule_counts

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

DAY = date(2026, 11, 20)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    demo_day_build(day=DAY, out_dir=tmp_path / "exports")
    return tmp_path


def test_each_rule_flags_a_handful_at_the_demo_moment(built: Path) -> None:
    counts = rule_counts(at=demo_moment(DAY))
    assert all(1 <= count <= 40 for count in counts.values()), counts


@pytest.mark.parametrize("clock", ["00:20", "08:00", "16:30", "23:50"])
def test_every_rule_has_work_whatever_the_time_of_day(clock: str, tmp_path: Path) -> None:
    moment = dates.at_time(DAY, time.fromisoformat(clock))
    demo_day_build(day=DAY, out_dir=tmp_path, moment=moment)
    counts = rule_counts(at=moment)
    assert all(count >= 1 for count in counts.values()), counts
    assert cod_report(day=DAY, out_dir=tmp_path).orders >= 3


def test_the_cod_sheet_has_orders_and_warnings(built: Path) -> None:
    report = cod_report(day=DAY, out_dir=built)
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
    assert len(opened) == 6 and all(line.startswith("售后 #") for line in opened), opened


def test_a_date_other_than_today_is_built_around_three_in_the_afternoon() -> None:
    assert demo_moment(DAY).isoformat() == "2026-11-20T15:00:00+08:00"
