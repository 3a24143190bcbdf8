"""`opsdesk sources`: the twelve sources, each with its last import or pull, last error and staleness."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from opsdesk.imports.models import ImportRecord
from opsdesk.lib.dates import SHANGHAI
from opsdesk.live.models import Schedule, SourcePolicy
from opsdesk.live.selectors import source_stale
from tests.imports.helpers import import_rows, official_row

KEYS = {"source", "label", "last_at", "last_file", "rows", "last_error", "stale", "age_minutes"}
TWELVE = ["erp", "erp_aftersales", "wms", "stock", "official", "pdd", "pingan", "yaofangwang", "suning", "jiage315",
          "xywy", "pdd_aftersales"]


def sources(*args: str) -> list[dict]:
    out = StringIO()
    call_command("sources", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def at(hhmm: str, day: str = "2026-11-23") -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=SHANGHAI)


def stamp(record: ImportRecord, moment: datetime) -> None:
    ImportRecord.objects.filter(pk=record.pk).update(at=moment)


@pytest.mark.django_db
def test_it_lists_all_twelve_never_imported() -> None:
    listed = sources()
    assert [row["source"] for row in listed] == TWELVE
    assert all(set(row) >= KEYS for row in listed)
    assert all(row["last_at"] is None and row["stale"] and row["age_minutes"] is None for row in listed)


@pytest.mark.django_db
def test_it_shows_the_last_import_with_its_file_rows_and_age(tmp_path: Path) -> None:
    import_rows(tmp_path, "官网.xlsx", "official", [official_row("GW1"), official_row("GW2")])
    stamp(ImportRecord.objects.get(), at("09:00"))
    official = next(row for row in sources("--at", "2026-11-23T09:25") if row["source"] == "official")
    assert official["last_file"].endswith("官网.xlsx") and official["rows"] == 2
    assert official["age_minutes"] == 25 and official["stale"] is False and official["last_error"] is None


@pytest.mark.django_db
def test_a_failure_after_the_last_success_is_the_last_error(tmp_path: Path) -> None:
    import_rows(tmp_path, "官网.xlsx", "official", [official_row("GW1")])
    import_rows(tmp_path, "坏.xlsx", "official", [official_row("GW2", 订单金额="abc")])
    good, bad = ImportRecord.objects.order_by("id")
    stamp(good, at("09:00"))
    stamp(bad, at("09:10"))
    official = next(row for row in sources("--at", "2026-11-23T09:20") if row["source"] == "official")
    assert "坏.xlsx" in official["last_error"] and "订单金额" not in official["last_file"]
    # A later success mends it.
    stamp(bad, at("08:50"))
    assert next(row for row in sources("--at", "2026-11-23T09:20") if row["source"] == "official")["last_error"] is None


@pytest.mark.django_db
def test_a_failed_scheduled_pull_shows_on_its_source() -> None:
    Schedule.objects.filter(code="erp-pull").update(last_status="failed", last_error="签名错误",
                                                    last_finished_at=at("09:10"))
    erp = next(row for row in sources("--at", "2026-11-23T09:20") if row["source"] == "erp")
    assert "签名错误" in erp["last_error"]


@pytest.mark.django_db
def test_staleness_follows_the_day_and_the_maximum_age() -> None:
    policy = SourcePolicy.objects.get(source="erp")
    assert policy.max_age_minutes == 60
    assert SourcePolicy.objects.get(source="official").max_age_minutes == 120
    assert SourcePolicy.objects.get(source="stock").max_age_minutes == 24 * 60
    yesterday = at("19:50") - timedelta(days=1)
    assert source_stale(last_at=yesterday, max_age_minutes=60, at=at("07:00"))  # not since the day began
    assert not source_stale(last_at=at("07:00"), max_age_minutes=60, at=at("07:59"))
    assert source_stale(last_at=at("08:00"), max_age_minutes=60, at=at("09:01"))  # working hours: too old
    assert not source_stale(last_at=at("19:30"), max_age_minutes=60, at=at("21:00"))  # after hours
    assert source_stale(last_at=None, max_age_minutes=60, at=at("12:00"))


@pytest.mark.django_db
def test_the_demo_dates_its_imports_as_a_morning_would_with_one_stale_channel(tmp_path: Path) -> None:
    from opsdesk.demo.services import demo_freshness_stamp

    import_rows(tmp_path, "官网.xlsx", "official", [official_row("GW1")])
    import_rows(tmp_path, "xywy.xlsx", "xywy", [{"订单号": "XY1", "下单时间": "2026-11-23 08:00:00", "商品名称": "维C",
                                                "数量": "1"}], detect=False)
    demo_freshness_stamp(moment=at("09:20"))
    listed = {row["source"]: row for row in sources("--at", "2026-11-23T09:20")}
    assert listed["official"]["age_minutes"] == 35 and not listed["official"]["stale"]
    assert listed["xywy"]["stale"] is True
