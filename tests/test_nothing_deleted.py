"""Nothing about an order is hard-deleted: the admin offers no delete for orders, lines, the lines imports replaced
or events (not even to a superuser), no role holds a delete permission of a kept record, and `opsdesk flush` /
`sqlflush` / a `migrate` back refuse a data dir that holds orders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory

from opsdesk.core.roles import ROLES
from opsdesk.imports.models import ImportRecord
from opsdesk.orders.models import (
    ChannelAftersale,
    ErpAftersale,
    ErpOrder,
    Listing,
    Order,
    OrderEvent,
    OrderLineHistory,
    Product,
    WmsRecord,
)
from opsdesk.test import BaseTestCase
from tests.console import console_env, opsdesk_run
from tests.factories import OrderFactory, OrderLineFactory, ProductFactory

pytestmark = pytest.mark.postgres


class AdminKeepsOrdersTestCase(BaseTestCase):
    def test_a_superuser_cannot_delete_an_order_its_lines_or_its_events(self) -> None:
        order = OrderFactory(order_no="GW600")
        OrderLineFactory(order=order, line_no=1)
        OrderLineHistory.objects.create(order=order, line_no=1, sku="SKU-WAS", qty=3, replaced_at=order.placed_at)
        event = OrderEvent.objects.create(order=order, at=order.placed_at, kind="phone_revealed", text="查看")
        self.client.force_login(User.objects.create_superuser("root", password="long-enough-9"))
        self.assertEqual(self.client.get(f"/admin/orders/order/{order.pk}/delete/").status_code, 403)
        self.assertEqual(self.client.get(f"/admin/orders/orderevent/{event.pk}/delete/").status_code, 403)
        listing = self.client.get("/admin/orders/order/")
        self.assertNotContains(listing, "delete_selected")
        change = self.client.get(f"/admin/orders/order/{order.pk}/change/")
        self.assertContains(change, "SKU-WAS")  # the replaced lines are shown, read-only
        self.assertNotContains(change, "-DELETE")
        self.assertNotContains(change, 'name="lines-0-sku"')  # what the import wrote: shown, not editable
        self.assertNotContains(change, 'name="line_history-0-sku"')
        self.assertTrue(Order.objects.filter(pk=order.pk).exists())
        self.assertEqual(OrderLineHistory.objects.count(), 1)

    def test_a_superuser_cannot_change_an_order_s_rx_flags_or_lines(self) -> None:
        order = OrderFactory(order_no="GW602", has_rx=True)
        OrderLineFactory(order=order, line_no=1, rx=True, sku="RX-A", qty=1)
        self.client.force_login(User.objects.create_superuser("root", password="long-enough-9"))
        change = self.client.post(f"/admin/orders/order/{order.pk}/change/", {
            "order_no": "GW602", "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "1", "lines-0-id": "1",
            "lines-0-sku": "OTC-B", "lines-0-qty": "9"})
        self.assertEqual(change.status_code, 403)
        order.refresh_from_db()
        self.assertTrue(order.has_rx)
        self.assertEqual(list(order.lines.values_list("sku", "qty", "rx")), [("RX-A", 1, True)])
        product = self.client.get(f"/admin/orders/product/{ProductFactory(rx=True).pk}/change/")
        self.assertNotContains(product, 'name="rx"')

    def test_a_superuser_cannot_delete_what_imports_wrote(self) -> None:
        request = RequestFactory().get("/admin/")
        request.user = User.objects.create_superuser("root", password="long-enough-9")
        for model in (ErpOrder, ErpAftersale, WmsRecord, ChannelAftersale, Product, Listing, ImportRecord):
            self.assertFalse(admin.site.get_model_admin(model).has_delete_permission(request), model.__name__)
        for model in (ErpOrder, ErpAftersale, WmsRecord, ChannelAftersale, ImportRecord):
            self.assertFalse(admin.site.get_model_admin(model).has_change_permission(request), model.__name__)

    def test_no_role_holds_a_delete_permission_of_kept_records(self) -> None:
        kept = {"delete_order", "delete_orderline", "delete_orderlinehistory", "delete_orderevent",
                "delete_rxreview", "delete_usedprescription", "delete_acknowledgement", "delete_tcmcheck",
                "delete_case", "delete_caseevent", "delete_casefile", "delete_sendrecord", "delete_checklistrun",
                "delete_signoff"}
        for role in ROLES:
            held = set(getattr(self, role).groups.get().permissions.values_list("codename", flat=True))
            self.assertEqual(held & kept, set(), role)
        held = set(self.admin.groups.get().permissions.values_list("codename", flat=True))
        self.assertIn("delete_messagetemplate", held)  # configuration stays the admin role's to edit


def order_make(data_dir: Path) -> None:
    script = "from tests.factories import OrderFactory; OrderFactory(order_no='GW601')"
    env = console_env(data_dir, DJANGO_SETTINGS_MODULE="opsdesk.settings")
    subprocess.run([sys.executable, "-c", f"import django; django.setup(); {script}"], check=True, env=env, timeout=120)


@pytest.mark.usefixtures("initialised_tmp_path")
def test_flush_and_sqlflush_refuse_a_data_dir_with_orders(tmp_path: Path) -> None:
    order_make(tmp_path)
    for command in ("flush", "sqlflush"):
        result = opsdesk_run(command, "--no-input", data_dir=tmp_path) if command == "flush" else opsdesk_run(command, data_dir=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "拒绝执行" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.usefixtures("initialised_tmp_path")
def test_a_migrate_back_refuses_a_data_dir_with_orders(tmp_path: Path) -> None:
    """`migrate orders zero` would drop the orders' tables: refused before anything is un-applied."""
    order_make(tmp_path)
    for target in (["orders", "zero"], ["rules", "0001"]):
        result = opsdesk_run("migrate", *target, "--no-input", data_dir=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "拒绝执行 migrate" in result.stderr and "Traceback" not in result.stderr
    plan = opsdesk_run("showmigrations", "orders", data_dir=tmp_path).stdout
    assert "[ ]" not in plan  # nothing was un-applied
