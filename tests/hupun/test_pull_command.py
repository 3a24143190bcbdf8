"""`opsdesk pull erp`: JSON, exit codes, refusals (the local contract server as the gateway)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from opsdesk.hupun.contract import ContractServer
from opsdesk.hupun.models import PullCursor
from opsdesk.orders.models import ErpOrder
from tests.console import opsdesk_run
from tests.hupun.helpers import APP_KEY, SECRET, trades

pytestmark = [pytest.mark.django_db]


def gateway(server: ContractServer, secret: str = SECRET) -> override_settings:
    return override_settings(HUPUN_ENABLED=True, HUPUN_URL=server.url, HUPUN_APP_KEY=APP_KEY, HUPUN_SECRET=secret,
                             HUPUN_TIMEOUT=2)


def test_it_pulls_a_window_and_says_so_in_json(server: ContractServer) -> None:
    server.set_trades(trades(3))
    out, err = StringIO(), StringIO()
    with gateway(server):
        call_command("pull", "erp", "--since", "2026-12-01T09:00", "--until", "2026-12-01T09:10", "--json",
                     stdout=out, stderr=err)
    payload = json.loads(out.getvalue())
    assert payload == {"source": "erp", "status": "pulled", "since": "2026-12-01T09:00:00+08:00",
                       "until": "2026-12-01T09:10:00+08:00", "pages": 2, "trades": 3, "returns": 0, "created": 3,
                       "updated": 0, "errors": [], "warnings": []}
    assert "已拉取" in err.getvalue() and ErpOrder.objects.count() == 3


def test_it_refuses_when_the_integration_is_off() -> None:
    with override_settings(HUPUN_ENABLED=False), pytest.raises(CommandError, match="OPSDESK_HUPUN_APP_KEY") as caught:
        call_command("pull", "erp")
    assert caught.value.returncode == 1


def test_it_refuses_a_since_after_until(server: ContractServer) -> None:
    with gateway(server), pytest.raises(CommandError, match="应早于"):
        call_command("pull", "erp", "--since", "2026-12-01T10:00", "--until", "2026-12-01T09:00")
    assert server.requests == []


def test_a_failure_exits_1_with_the_json_and_the_cursor_unchanged(server: ContractServer) -> None:
    server.fail("http500")
    out = StringIO()
    with gateway(server), pytest.raises(SystemExit) as caught:
        call_command("pull", "erp", "--since", "2026-12-01T09:00", "--until", "2026-12-01T09:10", "--json",
                     stdout=out, stderr=StringIO())
    assert caught.value.code == 1
    payload = json.loads(out.getvalue())
    assert payload["status"] == "failed" and "HTTP 500" in payload["errors"][0]["message"]
    assert not PullCursor.objects.exists()



@pytest.mark.usefixtures("initialised_tmp_path")
def test_an_auth_refusal_exits_1_with_the_message(tmp_path: Path, server: ContractServer) -> None:
    result = opsdesk_run("pull", "erp", "--json", data_dir=tmp_path, OPSDESK_HUPUN_URL=server.url,
                 OPSDESK_HUPUN_APP_KEY=APP_KEY, OPSDESK_HUPUN_SECRET="not-the-secret")
    assert result.returncode == 1
    assert "签名错误" in result.stderr and "Traceback" not in result.stderr
    assert json.loads(result.stdout)["status"] == "failed"
    assert len(server.requests) == 1  # not retried
    off = opsdesk_run("pull", "erp", data_dir=tmp_path)
    assert off.returncode == 1 and "未配置" in off.stderr


def test_records_left_out_are_the_json_s_warnings(server: ContractServer) -> None:
    server.set_trades(trades(2))
    server.fail("junk")
    out, err = StringIO(), StringIO()
    with gateway(server):
        call_command("pull", "erp", "--since", "2026-12-01T09:00", "--until", "2026-12-01T09:10", "--json",
                     stdout=out, stderr=err)
    payload = json.loads(out.getvalue())
    assert (payload["status"], payload["trades"]) == ("pulled", 2)
    assert [w["message"] for w in payload["warnings"]] == [
        '第 1 页第 3 条记录: 不是对象: "oops" (未写入)', "第 1 页第 4 条记录: 不是对象: null (未写入)",
        '第 1 页第 1 条记录: 不是对象: "oops" (未写入)', "第 1 页第 2 条记录: 不是对象: null (未写入)"]
    assert payload["warnings"][0]["file"] == "万里牛 OPEN API 2026-12-01 09:00–09:10"
    assert "警告 万里牛 OPEN API 售后 2026-12-01 09:00–09:10 第 1 页第 1 条记录" in err.getvalue()
