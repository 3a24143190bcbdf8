"""`opsdesk inbox --once`: finished downloads are imported and filed under done/ or rejected/ with a report."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.test import override_settings

from opsdesk.imports.models import ImportRecord
from opsdesk.lib.dates import now
from opsdesk.orders.models import Order
from opsdesk.test import command_json
from tests.imports.helpers import export, official_row


@pytest.fixture
def inbox(tmp_path: Path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    with override_settings(INBOX=folder, INBOX_SETTLE_SECONDS=5):
        yield folder


def settled(path: Path) -> Path:
    old = time.time() - 60
    os.utime(path, (old, old))
    return path


def partial(folder: Path, name: str) -> Path:
    """A download still being written: the browser's own suffix on a piece of an export."""
    done = export(folder, "piece.xlsx", "official", [official_row("GW9")])
    return settled(done.rename(folder / name))


def run_once() -> tuple[int, list[dict]]:
    return command_json("inbox", "--once")


@pytest.mark.django_db
def test_it_imports_a_finished_file_and_files_it_under_done(inbox: Path) -> None:
    settled(export(inbox, "官网.xlsx", "official", [official_row("GW1")]))
    code, results = run_once()
    assert code == 0
    assert results[0]["status"] == "imported" and results[0]["source"] == "official"
    target = inbox / "done" / now().date().isoformat() / "官网.xlsx"
    assert results[0]["moved_to"] == str(target) and target.is_file()
    assert not (inbox / "官网.xlsx").exists()
    assert Order.objects.filter(order_no="GW1").exists()
    assert ImportRecord.objects.get().via == "inbox"


@pytest.mark.django_db
def test_a_bad_file_goes_to_rejected_with_a_report_naming_row_and_column(inbox: Path) -> None:
    settled(export(inbox, "坏.xlsx", "official", [official_row("GW1", 订单金额="abc")]))
    code, results = run_once()
    assert code == 1 and results[0]["status"] == "rejected"
    folder = inbox / "rejected" / now().date().isoformat()
    report = (folder / "坏.xlsx.report.txt").read_text(encoding="utf-8")
    assert "第 2 行 [订单金额]" in report
    assert (folder / "坏.xlsx").is_file() and not Order.objects.exists()


@pytest.mark.django_db
def test_partial_downloads_and_files_still_changing_are_left_for_the_next_pass(inbox: Path) -> None:
    partial(inbox, "a.xlsx.crdownload")
    partial(inbox, "b.csv.part")
    fresh = export(inbox, "c.xlsx", "official", [official_row("GW3")])  # written just now
    code, results = run_once()
    assert (code, results) == (0, [])
    assert {path.name for path in inbox.iterdir() if path.is_file()} == {"a.xlsx.crdownload", "b.csv.part", "c.xlsx"}
    settled(fresh)
    assert [result["status"] for result in run_once()[1]] == ["imported"]


@pytest.mark.django_db
def test_a_firefox_placeholder_beside_its_part_file_waits(inbox: Path) -> None:
    settled(export(inbox, "d.xlsx", "official", [official_row("GW4")]))
    partial(inbox, "d.xlsx.part")
    assert run_once()[1] == []


@pytest.mark.django_db
def test_the_same_file_twice_is_unchanged_and_both_are_kept(inbox: Path) -> None:
    first = settled(export(inbox, "官网.xlsx", "official", [official_row("GW1")]))
    content = first.read_bytes()
    run_once()
    settled_again = inbox / "官网.xlsx"
    settled_again.write_bytes(content)
    settled(settled_again)
    code, results = run_once()
    assert code == 0 and results[0]["status"] == "unchanged"
    assert results[0]["moved_to"].endswith("官网-1.xlsx")


HOLD = "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDONLY); fcntl.flock(fd, fcntl.LOCK_EX); " \
       "print('held', flush=True); time.sleep(120)"


@pytest.mark.django_db
def test_a_file_a_killed_pass_left_taken_is_imported_by_the_next(inbox: Path) -> None:
    import signal
    import subprocess
    import sys

    taken = inbox / ".importing" / "x1"
    taken.mkdir(parents=True)
    path = settled(export(taken, "官网.xlsx", "official", [official_row("GW1")]))
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert run_once() == (0, []) and path.is_file()  # its pass is alive: left alone
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    code, results = run_once()
    assert (code, [r["status"] for r in results]) == (0, ["imported"])
    assert (inbox / "done" / now().date().isoformat() / "官网.xlsx").is_file()
    assert not list((inbox / ".importing").iterdir()) and Order.objects.filter(order_no="GW1").exists()


@pytest.mark.django_db
def test_a_file_of_the_same_name_downloaded_meanwhile_is_kept_apart(inbox: Path) -> None:
    taken = inbox / ".importing" / "x1"
    taken.mkdir(parents=True)
    settled(export(taken, "官网.xlsx", "official", [official_row("GW1")]))
    settled(export(inbox, "官网.xlsx", "official", [official_row("GW2")]))
    code, results = run_once()
    assert (code, sorted(r["status"] for r in results)) == (0, ["imported", "imported"])
    assert set(Order.objects.values_list("order_no", flat=True)) == {"GW1", "GW2"}


@pytest.mark.django_db
def test_a_link_or_a_broken_file_stops_neither_the_pass_nor_the_files_after_it(inbox: Path, tmp_path: Path) -> None:
    outside = settled(export(tmp_path, "官网-外.xlsx", "official", [official_row("GW7")]))
    (inbox / "a-link.xlsx").symlink_to(outside)
    stuck = inbox / ".importing" / "zz"
    stuck.mkdir(parents=True)
    (stuck / "dangling.xlsx").symlink_to(tmp_path / "gone.xlsx")
    settled(export(inbox, "b.xlsx", "official", [official_row("GW8")]))
    code, results = run_once()
    assert sorted(r["status"] for r in results) == ["imported", "imported"], results
    assert set(Order.objects.values_list("order_no", flat=True)) == {"GW7", "GW8"}


@pytest.mark.django_db
def test_a_file_whose_import_fails_waits_for_the_next_pass_and_the_rest_go_on(
    inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from opsdesk.live import inbox as module

    real = module.import_file

    def failing(**kwargs: object) -> object:
        if kwargs["name"] == "a.xlsx":
            raise ConnectionError("the database went away")
        return real(**kwargs)  # type: ignore[arg-type]

    settled(export(inbox, "a.xlsx", "official", [official_row("GW1")]))
    settled(export(inbox, "b.xlsx", "official", [official_row("GW2")]))
    monkeypatch.setattr(module, "import_file", failing)
    assert [r["file"] for r in run_once()[1]] == ["b.xlsx"]
    monkeypatch.setattr(module, "import_file", real)
    assert [r["file"] for r in run_once()[1]] == ["a.xlsx"]
    assert set(Order.objects.values_list("order_no", flat=True)) == {"GW1", "GW2"}
