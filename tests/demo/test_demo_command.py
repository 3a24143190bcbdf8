"""`opsdesk demo --no-serve` as operators run it: a subprocess on its own fresh data directory."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from opsdesk.demo.management.commands.demo import clock_start, demo_when
from opsdesk.lib import dates
from opsdesk.rules.registry import CODES
from tests.console import opsdesk_run

DAY = "2026-11-20"
MOMENT = "2026-11-20T09:20:00"
DEMO_TIMEOUT = 300  # a whole demo day: its exports made and imported
CHANNELS = {"official", "pdd", "pingan", "yaofangwang", "suning", "jiage315", "xywy"}


def as_json(done: subprocess.CompletedProcess[str]) -> Any:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    target = tmp_path_factory.mktemp("demo") / "var-demo"
    done = opsdesk_run("demo", "--no-serve", "--data-dir", str(target), "--date", DAY, "--json", timeout=DEMO_TIMEOUT)
    return target, as_json(done)


def test_it_creates_one_user_per_role_with_a_password(demo_dir: tuple[Path, dict[str, Any]]) -> None:
    _target, payload = demo_dir
    assert {user["role"] for user in payload["users"]} == {"operator", "service", "pharmacist", "admin"}
    assert all(len(user["password"]) >= 8 for user in payload["users"])
    assert payload["at"] == "2026-11-20T09:20:00+08:00"


def test_it_imports_every_export_and_keeps_them_for_upload(demo_dir: tuple[Path, dict[str, Any]]) -> None:
    target, payload = demo_dir
    assert {item["status"] for item in payload["imports"]} == {"imported"}
    assert {item["source"] for item in payload["imports"]} == CHANNELS | {"erp", "erp_aftersales", "wms", "stock",
                                                                          "pdd_aftersales"}
    exports = sorted((target / "demo" / "exports").iterdir())
    assert {path.suffix for path in exports} == {".xlsx", ".csv"} and len(exports) == 12
    assert (target / "opsdesk.sqlite3").is_file()


def test_the_orders_are_on_all_seven_channels(demo_dir: tuple[Path, dict[str, Any]]) -> None:
    target, _payload = demo_dir
    orders = as_json(opsdesk_run("orders", "--json", data_dir=target))
    assert {order["channel"] for order in orders} == CHANNELS
    assert 250 <= len(orders) <= 500


def test_every_rule_flags_some_orders_at_the_demo_moment(demo_dir: tuple[Path, dict[str, Any]]) -> None:
    target, _payload = demo_dir
    flags = as_json(opsdesk_run("exceptions", "--json", "--at", MOMENT, data_dir=target))
    counts = {code: sum(1 for flag in flags if flag["rule"] == code) for code in CODES}
    assert all(count >= 1 for count in counts.values()), counts


def test_the_cod_sheet_has_orders_and_warnings(demo_dir: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    target, _payload = demo_dir
    report = as_json(opsdesk_run("report", "cod", "--date", DAY, "--out", str(tmp_path), "--json", data_dir=target))
    assert Path(report["path"]).is_file()
    assert report["orders"] >= 3
    assert any("中通" in warning for warning in report["warnings"])


def test_the_checklist_has_live_counts(demo_dir: tuple[Path, dict[str, Any]]) -> None:
    target, _payload = demo_dir
    checklist = as_json(opsdesk_run("checklist", "--json", "--date", DAY, "--at", MOMENT, data_dir=target))
    assert sum(item["count"] or 0 for item in checklist["items"]) > 20


def test_it_opens_one_case_of_each_type(demo_dir: tuple[Path, dict[str, Any]]) -> None:
    target, _payload = demo_dir
    cases = as_json(opsdesk_run("case", "list", "--json", data_dir=target))
    assert {case["type"] for case in cases} == {
        "return_refund", "lost_parcel", "damaged", "reissue", "omit_packing_list", "invoice", "complaint"}


def test_the_routine_steps_of_issue_13_have_counts_on_the_demo_morning(demo_dir: tuple[Path, dict[str, Any]]) -> None:
    target, payload = demo_dir
    checklist = as_json(opsdesk_run("checklist", "--json", "--date", DAY, "--at", MOMENT, data_dir=target))
    counts = {item["code"]: item["count"] for item in checklist["items"]}
    for code in ("official-pharmacist-wechat", "official-cod-online", "market-complaints", "pdd-aftersale-expiring"):
        assert counts[code] and counts[code] >= 1, code
    assert payload["settings"] == {"OPSDESK_PHARMACIST_WECHAT": "syt-yaoshi-demo", "OPSDESK_COD_OWNER": "王芳 025-00000000"}


def test_running_again_starts_from_a_fresh_directory(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    first = opsdesk_run("demo", "--no-serve", "--data-dir", str(target), "--date", DAY, timeout=DEMO_TIMEOUT)
    assert first.returncode == 0, first.stderr
    (target / "left-over.txt").write_text("from the last demo", encoding="utf-8")
    again = opsdesk_run("demo", "--no-serve", "--data-dir", str(target), "--date", DAY, timeout=DEMO_TIMEOUT)
    assert again.returncode == 0, again.stderr
    assert not (target / "left-over.txt").exists()
    table = again.stdout.splitlines()
    for role in ("operator", "service", "pharmacist", "admin"):
        assert any(line.split()[:2] == [role, role] for line in table if line.strip()), again.stdout
    orders = as_json(opsdesk_run("orders", "--json", data_dir=target))
    assert 250 <= len(orders) <= 500  # not twice as many


def test_it_refuses_to_wipe_a_directory_it_did_not_make(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    done = opsdesk_run("demo", "--no-serve", "--data-dir", str(precious), timeout=DEMO_TIMEOUT)
    assert done.returncode == 1
    assert "不是演示数据目录" in done.stderr and "Traceback" not in done.stderr
    assert sorted(path.name for path in precious.iterdir()) == ["notes.txt"]
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_it_says_that_it_leaves_a_postgresql_database_alone(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    done = opsdesk_run("demo", "--no-serve", "--data-dir", str(precious), timeout=DEMO_TIMEOUT,
                       OPSDESK_DATABASE_URL="postgres://opsdesk@127.0.0.1:9/nowhere")
    assert "不用 OPSDESK_DATABASE_URL, 那个数据库不会被改动" in done.stderr, done.stderr
    assert done.returncode == 1 and "不是演示数据目录" in done.stderr


def test_at_chooses_the_demo_moment_and_its_day(tmp_path: Path) -> None:
    payload = as_json(opsdesk_run("demo", "--no-serve", "--data-dir", str(tmp_path / "d"), "--at", "2026-11-18T16:30",
                          "--json", timeout=DEMO_TIMEOUT))
    assert (payload["date"], payload["at"]) == ("2026-11-18", "2026-11-18T16:30:00+08:00")
    checklist = as_json(opsdesk_run("checklist", "--json", "--date", "2026-11-18", "--at", "2026-11-18T16:30",
                            data_dir=tmp_path / "d"))
    assert {item["overdue"] for item in checklist["items"] if item["due"] == "09:30"} == {True}


def test_the_demo_clock_runs_on_from_the_demo_moment(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """The desk and worker `opsdesk demo` starts inherit OPSDESK_CLOCK_OFFSET: their now is the demo's morning."""
    monkeypatch.setenv("OPSDESK_CLOCK_OFFSET", "0")  # restored after the test, whatever clock_start sets
    settings.CLOCK_OFFSET = 0  # likewise
    moment = dates.at_time(date(2026, 11, 20), time(9, 20))
    clock_start(moment)
    assert abs((dates.now() - moment).total_seconds()) < 5
    assert int(os.environ["OPSDESK_CLOCK_OFFSET"]) == settings.CLOCK_OFFSET < 0
    settings.CLOCK_OFFSET = 0
    assert dates.now() > moment + timedelta(days=1)
    assert datetime.now(dates.SHANGHAI) > moment + timedelta(days=1)


def test_without_a_date_the_demo_is_the_latest_0920_that_has_passed() -> None:
    day, moment = demo_when(date_text=None, at_text=None)
    assert moment <= datetime.now(dates.SHANGHAI) < moment + timedelta(days=1)
    assert (dates.local(moment).time(), dates.local(moment).date()) == (time(9, 20), day)
    assert demo_when(date_text="2026-11-20", at_text=None)[1].isoformat() == "2026-11-20T09:20:00+08:00"
