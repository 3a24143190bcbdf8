"""`opsdesk import` as operators run it: exit codes 0/1/2, the --json shape, clean stdout."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.console import console_env
from tests.imports.helpers import export, official_row, pdd_row

KEYS = {"file", "source", "status", "rows", "created", "updated", "errors", "warnings"}


def opsdesk(*args: str, data_dir: Path, before: str = "") -> subprocess.CompletedProcess[str]:
    """The console script in a process of its own; `before`: Python run in that process first."""
    code = f"import runpy, sys\n{before}\nsys.argv = ['opsdesk', *sys.argv[1:]]\nrunpy.run_module('opsdesk.cli', run_name='__main__')"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=console_env(data_dir),
                          timeout=120, check=False)


@pytest.fixture
def data_dir(tmp_path: Path, initialised_template: Path) -> Path:
    """A copy of one `opsdesk init` (tests/conftest.py), apart from the export files the test writes."""
    return Path(shutil.copytree(initialised_template, tmp_path / "data"))


def test_it_imports_several_files_and_prints_one_json_object_each(tmp_path: Path, data_dir: Path) -> None:
    official = export(tmp_path, "官网.xlsx", "official", [official_row("GW1"), official_row("GW2")], title="导出")
    pdd = export(tmp_path, "pdd.csv", "pdd", [pdd_row()], encoding="gb18030")
    done = opsdesk("import", str(official), str(pdd), "--json", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert [set(result) for result in results] == [KEYS, KEYS]
    assert [(r["source"], r["status"], r["created"]) for r in results] == [("official", "imported", 2),
                                                                            ("pdd", "imported", 1)]
    again = json.loads(opsdesk("import", str(official), "--json", data_dir=data_dir).stdout)
    assert again[0]["status"] == "unchanged"


def test_a_rejected_file_exits_1_naming_row_and_column(tmp_path: Path, data_dir: Path) -> None:
    bad = export(tmp_path, "坏.xlsx", "official", [official_row("GW1", 订单金额="abc")])
    done = opsdesk("import", str(bad), "--json", data_dir=data_dir)
    assert done.returncode == 1
    result = json.loads(done.stdout)[0]
    assert result["status"] == "rejected"
    assert result["errors"][0]["row"] == 2 and result["errors"][0]["column"] == "订单金额"
    human = opsdesk("import", str(bad), data_dir=data_dir)
    assert human.returncode == 1
    assert "第 2 行 [订单金额]" in human.stdout and "Traceback" not in human.stderr


def test_a_non_spreadsheet_exits_1_without_a_traceback(tmp_path: Path, data_dir: Path) -> None:
    junk = tmp_path / "orders.xlsx"
    junk.write_bytes(b"PK\x03\x04 truncated")
    done = opsdesk("import", str(junk), data_dir=data_dir)
    assert done.returncode == 1
    assert "orders.xlsx" in done.stdout and "Traceback" not in done.stderr + done.stdout


def test_usage_errors_exit_2(tmp_path: Path, data_dir: Path) -> None:
    assert opsdesk("import", data_dir=data_dir).returncode == 2
    wrong = opsdesk("import", str(tmp_path / "x.csv"), "--source", "taobao", data_dir=data_dir)
    assert wrong.returncode == 2


# Modules an import never uses, which start-up once loaded: the rules (a model's choices needed their codes), the
# after-sales machine behind them, and Arrow's query engine (a group_by in the row agreement check).
NOT_LOADED = ("opsdesk.rules.registry", "opsdesk.aftersales.machine", "pyarrow.acero", "pyarrow.dataset", "PIL")


def test_an_import_loads_no_module_it_does_not_use(tmp_path: Path, data_dir: Path) -> None:
    path = export(tmp_path, "官网.xlsx", "official", [official_row("GW1"), official_row("GW1", 商品编码="SKU-B")])
    report = "import atexit\natexit.register(lambda: print(' '.join(sys.modules), file=sys.stderr))"
    done = opsdesk("import", str(path), "--json", data_dir=data_dir, before=report)
    assert json.loads(done.stdout)[0]["created"] == 1, done.stderr
    loaded = set(done.stderr.split())
    assert "pyarrow.compute" in loaded  # the file was read through Arrow: the check below is the one that matters
    assert not loaded & set(NOT_LOADED)


# The read ahead of the first file never ends: the process must end without it, its output and exit code whole.
NEVER_READ = "import threading\nimport opsdesk.imports.readers as r\nr._arrow_arrays = lambda path: threading.Event().wait()"


def test_an_unneeded_read_ahead_does_not_hold_the_process_or_its_exit_code(tmp_path: Path, data_dir: Path) -> None:
    official = export(tmp_path, "官网.xlsx", "official", [official_row("GW1")])
    assert opsdesk("import", str(official), data_dir=data_dir).returncode == 0
    done = opsdesk("import", str(official), "--json", data_dir=data_dir, before=NEVER_READ)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["status"] == "unchanged"
    bad = export(tmp_path, "坏.csv", "official", [official_row("GW2", 订单金额="abc")])
    done = opsdesk("import", str(official), str(bad), "--json", data_dir=data_dir, before=NEVER_READ)
    assert done.returncode == 1, done.stderr
    assert [result["status"] for result in json.loads(done.stdout)] == ["unchanged", "rejected"]


def test_the_import_collects_garbage_as_usual_after_a_frozen_start_up(tmp_path: Path, data_dir: Path) -> None:
    official = export(tmp_path, "官网.xlsx", "official", [official_row("GW1")])
    report = ("import atexit, gc\n"
              "atexit.register(lambda: print(gc.isenabled(), gc.get_freeze_count(), file=sys.stderr))")
    done = opsdesk("import", str(official), data_dir=data_dir, before=report)
    assert done.returncode == 0, done.stderr
    enabled, frozen = done.stderr.split()[-2:]
    assert enabled == "True"
    assert int(frozen) > 10_000  # Django's models, apps and settings, never scanned again
