"""The scheduled task `opsdesk.hupun.tasks.erp_pull`, run by Django's immediate backend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.test import override_settings

from opsdesk.hupun.contract import ContractServer
from opsdesk.hupun.models import PullCursor
from opsdesk.hupun.tasks import erp_pull
from opsdesk.imports.models import ImportRecord
from opsdesk.lib.dates import now
from opsdesk.orders.models import ErpOrder
from tests.hupun.helpers import APP_KEY, SECRET, trade

pytestmark = [pytest.mark.django_db]

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def gateway(server: ContractServer) -> override_settings:
    return override_settings(TASKS=IMMEDIATE, HUPUN_ENABLED=True, HUPUN_URL=server.url, HUPUN_APP_KEY=APP_KEY,
                             HUPUN_SECRET=SECRET, HUPUN_TIMEOUT=2)


def recent(minutes: int) -> str:
    return f"{now() - timedelta(minutes=minutes):%Y-%m-%d %H:%M:%S}"


def test_it_pulls_from_the_cursor_to_now(server: ContractServer) -> None:
    PullCursor.objects.create(endpoint="trades", at=now() - timedelta(minutes=10))
    server.set_trades([trade(1, modified=recent(12)), trade(2, modified=recent(3)), trade(3, modified=recent(30))])
    with gateway(server):
        result = erp_pull.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    payload = result.return_value
    assert (payload["status"], payload["trades"], payload["created"]) == ("pulled", 2, 2)  # 12 min: the overlap
    assert set(ErpOrder.objects.values_list("erp_order_no", flat=True)) == {"XD000000000001", "XD000000000002"}
    assert set(ImportRecord.objects.values_list("via", flat=True)) == {"opsdesk.hupun.tasks.erp_pull"}


def test_a_failed_pull_raises_so_the_worker_retries(server: ContractServer) -> None:
    server.fail("code")
    with gateway(server):
        result = erp_pull.enqueue()
    assert result.status == TaskResultStatus.FAILED
    assert "系统繁忙" in result.errors[0].traceback
    assert not PullCursor.objects.exists()
