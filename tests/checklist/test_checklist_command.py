"""`opsdesk checklist [--date D] [--at DATETIME] [--json]` and `opsdesk checklist sign ITEM --user U ...`."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opsdesk.checklist.models import SignOff
from opsdesk.test import BaseTestCase
from tests.console import opsdesk_run
from tests.factories import OrderFactory

pytestmark = pytest.mark.postgres


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("checklist", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_json(*args: str) -> Any:
    return json.loads(run(*args, "--json"))


class ChecklistCommandTestCase(BaseTestCase):
    def test_the_plain_form_lists_the_day_as_json(self) -> None:
        OrderFactory(channel_code="pdd", erp_abnormal=True)
        payload = run_json("--date", "2026-11-23", "--at", "2026-11-23T10:30")
        self.assertEqual(payload["date"], "2026-11-23")
        items = {item["code"]: item for item in payload["items"]}
        self.assertEqual(items["erp-abnormal"]["count"], 1)
        self.assertTrue(items["erp-abnormal"]["overdue"])
        self.assertFalse(items["cod-sheet"]["overdue"])

    def test_the_human_form_groups_by_deadline_with_counts_and_overdue_marks(self) -> None:
        OrderFactory(channel_code="pdd", erp_abnormal=True)
        text = run("--date", "2026-11-23", "--at", "2026-11-23T10:30")
        headings = [line for line in text.splitlines() if line and not line.startswith(" ")]
        self.assertEqual(headings[1:5], ["09:30 前", "10:00 前", "全天", "17:00 前"])
        abnormal = next(line for line in text.splitlines() if "erp-abnormal" in line)
        self.assertIn("(1 单)", abnormal)
        self.assertIn("逾期", abnormal)
        cod = next(line for line in text.splitlines() if "cod-sheet" in line)
        self.assertNotIn("逾期", cod)

    def test_sign_records_the_signoff_and_the_list_shows_it(self) -> None:
        result = run_json("sign", "erp-tcm-spec", "--user", "operator", "--date", "2026-11-23", "--note", "已核对")
        self.assertEqual((result["ok"], result["code"], result["by"], result["note"]), (True, "erp-tcm-spec", "operator", "已核对"))
        payload = run_json("--date", "2026-11-23", "--at", "2026-11-23T10:30")
        item = next(item for item in payload["items"] if item["code"] == "erp-tcm-spec")
        self.assertEqual(item["signed_off"]["by"], "operator")
        self.assertEqual(item["signed_off"]["note"], "已核对")
        self.assertFalse(item["overdue"])

    def test_sign_takes_no_moment_of_its_own(self) -> None:
        """A sign-off is made when it is made: --at would backdate it (signed 3 days before the day)."""
        with self.assertRaisesMessage(CommandError, "unrecognized arguments: --at"):
            run_json("sign", "erp-tcm-spec", "--user", "operator", "--date", "2026-11-23", "--at", "2026-11-20T09:00")
        self.assertFalse(SignOff.objects.exists())

    def test_sign_refuses_unknown_items_and_users_with_exit_1(self) -> None:
        for args in (["sign", "nope", "--user", "operator"], ["sign", "erp-tcm-spec", "--user", "ghost"]):
            with self.assertRaises(CommandError) as caught:
                run(*args)
            self.assertEqual(caught.exception.returncode, 1)
        self.assertFalse(SignOff.objects.exists())


@pytest.mark.usefixtures("initialised_tmp_path")
def test_the_real_cli_takes_both_the_bare_form_and_sign(tmp_path: Path) -> None:
    added = opsdesk_run("user", "add", "zhang", "--role", "operator", data_dir=tmp_path, stdin="long-enough-9\n")
    assert added.returncode == 0, added.stderr
    bare = opsdesk_run("checklist", "--date", "2026-11-23", data_dir=tmp_path)
    assert bare.returncode == 0, bare.stderr
    assert "09:30 前" in bare.stdout
    signed = opsdesk_run("checklist", "sign", "cod-sheet", "--user", "zhang", "--date", "2026-11-23", "--json", data_dir=tmp_path)
    assert signed.returncode == 0, signed.stderr
    assert json.loads(signed.stdout)["ok"] is True
    listed = json.loads(opsdesk_run("checklist", "--date", "2026-11-23", "--json", data_dir=tmp_path).stdout)
    assert next(item for item in listed["items"] if item["code"] == "cod-sheet")["signed_off"]["by"] == "zhang"
    refused = opsdesk_run("checklist", "sign", "nope", "--user", "zhang", data_dir=tmp_path)
    assert refused.returncode == 1
    assert "erp-abnormal" in refused.stderr and "Traceback" not in refused.stderr
    assert opsdesk_run("checklist", "frobnicate", data_dir=tmp_path).returncode == 2
