"""Stock-out tasks: take every listing down, put back what was taken down, sign tasks off, and the tasks a
stock import creates through `stock_changed`."""

from __future__ import annotations

import contextlib
import threading
from typing import Any
from unittest import mock

import pytest
from django.test import TransactionTestCase

from opsdesk.aftersales.models import StockoutTask
from opsdesk.aftersales.selectors import stockout_board, stockout_task_json
from opsdesk.aftersales.services import stockout_mark, stockout_task_done
from opsdesk.core.roles import system_user
from opsdesk.imports.signals import stock_changed
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import Listing
from opsdesk.test import BaseTestCase, user_make
from tests.concurrency import at_once
from tests.factories import ListingFactory, ProductFactory

pytestmark = pytest.mark.postgres


class StockoutTestCase(BaseTestCase):
    def setUp(self) -> None:
        ProductFactory(sku="P-OUT", name="连花清瘟胶囊")
        for code in ("pdd", "suning", "yaofangwang"):
            ListingFactory(channel_code=code, sku="P-OUT")
        ListingFactory(channel_code="pingan", sku="P-OUT", active=False)
        ListingFactory(channel_code="pdd", sku="P-OTHER")

    def test_a_stockout_lists_every_active_listing_to_take_down(self) -> None:
        tasks = stockout_mark(sku="P-OUT", user=self.operator)
        self.assertEqual(sorted(t.listing.channel.code for t in tasks), ["pdd", "suning", "yaofangwang"])
        self.assertEqual({t.action for t in tasks}, {"take_down"})
        self.assertEqual([t.id for t in stockout_mark(user=self.operator, sku="P-OUT")], [t.id for t in tasks])  # reused, not doubled
        self.assertEqual(len(stockout_board()), 3)

    def test_signing_off_takes_the_listing_down_and_restore_puts_it_back(self) -> None:
        task = next(t for t in stockout_mark(user=self.operator, sku="P-OUT") if t.listing.channel.code == "pdd")
        done = stockout_task_done(task_id=task.pk, user=self.operator, note="已下架")
        self.assertEqual((done.done_by, done.note), (self.operator, "已下架"))
        self.assertFalse(Listing.objects.get(pk=task.listing_id).active)
        with self.assertRaisesMessage(Refused, "已完成"):
            stockout_task_done(task_id=task.pk, user=self.operator)
        back = stockout_mark(user=self.operator, sku="P-OUT", restore=True)
        # the listing taken down and the one already off (pingan) go back up; the others' tasks are void
        self.assertEqual(sorted(t.listing.channel.code for t in back), ["pdd", "pingan"])
        self.assertEqual(StockoutTask.objects.filter(action="take_down", superseded_at__isnull=False).count(), 2)
        up = next(t for t in back if t.listing_id == task.listing_id)
        stockout_task_done(task_id=up.pk, user=self.operator)
        self.assertTrue(Listing.objects.get(pk=task.listing_id).active)
        void = StockoutTask.objects.filter(superseded_at__isnull=False).first()
        assert void is not None
        with self.assertRaisesMessage(Refused, "已作废"):
            stockout_task_done(task_id=void.pk, user=self.operator)

    def test_it_refuses_unknown_skus_missing_tasks_and_other_roles(self) -> None:
        with self.assertRaisesMessage(Refused, "未知商品编码 NOPE"):
            stockout_mark(user=self.operator, sku="NOPE")
        task = stockout_mark(user=self.operator, sku="P-OUT")[0]
        with self.assertRaisesMessage(Refused, "没有完成上下架任务的权限"):
            stockout_task_done(task_id=task.pk, user=self.pharmacist)
        with self.assertRaisesMessage(Refused, "没有上下架任务 #424242"):
            stockout_task_done(task_id=424242, user=self.operator)
        self.assertTrue(Listing.objects.get(pk=task.listing_id).active)

    def test_a_stock_import_creates_the_tasks(self) -> None:
        stock_changed.send(sender=None, restocked=[], depleted=["P-OUT", "NOT-LISTED"], user=self.operator)
        self.assertEqual(StockoutTask.objects.filter(action="take_down", sku="P-OUT").count(), 3)
        self.assertEqual(StockoutTask.objects.get(listing__channel__code="pdd", sku="P-OUT").created_by, self.operator)
        stock_changed.send(sender=None, restocked=["P-OUT"], depleted=[], user=system_user())
        self.assertEqual(StockoutTask.objects.filter(action="put_up").count(), 1)  # pingan, taken down earlier
        self.assertEqual([row["action"] for row in stockout_board()], ["put_up"])


class StockoutPagesTestCase(BaseTestCase):
    """Every channel that lists the product gets its task, sold there or not, each linked to the channel's page."""

    def test_each_task_links_to_the_channels_product_page_where_it_is_known(self) -> None:
        ProductFactory(sku="P-PAGE", name="板蓝根颗粒")
        ListingFactory(channel_code="pdd", sku="P-PAGE", channel_item_id="400000012")
        ListingFactory(channel_code="suning", sku="P-PAGE", url="https://product.suning.example.com/12.html")
        ListingFactory(channel_code="xywy", sku="P-PAGE")  # entered in the admin, never sold: still taken down
        rows = {row["channel"]: row for row in (stockout_task_json(t) for t in stockout_mark(sku="P-PAGE", user=system_user()))}
        self.assertEqual(set(rows), {"pdd", "suning", "xywy"})
        self.assertEqual(rows["pdd"]["url"], "https://mobile.yangkeduo.com/goods.html?goods_id=400000012")
        self.assertEqual(rows["suning"]["url"], "https://product.suning.example.com/12.html")
        self.assertEqual(rows["xywy"]["url"], "")

    def test_the_board_shows_the_link(self) -> None:
        ProductFactory(sku="P-PAGE", name="板蓝根颗粒")
        ListingFactory(channel_code="pdd", sku="P-PAGE", title="板蓝根颗粒 20袋", channel_item_id="400000012")
        stockout_mark(sku="P-PAGE", user=self.operator)
        self.client.force_login(self.operator)
        self.assertContains(self.client.get("/stockouts/"), '<a href="https://mobile.yangkeduo.com/goods.html?'
                                                             'goods_id=400000012" target="_blank" '
                                                             'rel="noopener noreferrer">板蓝根颗粒 20袋</a>')


class RacingMarksTestCase(TransactionTestCase):
    """Two marks of one SKU at once, each on its own connection: the second waits for the first's tasks and reuses
    them. Without the wait both would find none open and make their own (PostgreSQL); the database holds one open
    task per listing either way."""

    serialized_rollback = True

    def setUp(self) -> None:
        ProductFactory(sku="P-RACE")
        for code in ("pdd", "suning", "yaofangwang"):
            ListingFactory(channel_code=code, sku="P-RACE")
        self.operators = [user_make(role="operator", username=f"sun{n}") for n in range(2)]

    def test_two_marks_at_once_make_one_task_per_listing(self) -> None:
        from opsdesk.aftersales import services

        both_looked = threading.Barrier(2, timeout=3)  # each waits for the other's look, unless it cannot come
        looked = services._tasks_open

        def slow_look(sku: str, action: str) -> Any:
            found = looked(sku, action)
            if action == StockoutTask.Action.TAKE_DOWN:
                list(found)
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_looked.wait()
            return found

        def mark(n: int) -> list[int]:
            return sorted(task.pk for task in stockout_mark(sku="P-RACE", user=self.operators[n]))

        with mock.patch.object(services, "_tasks_open", slow_look):
            results = at_once(mark)
        self.assertEqual(results[0], results[1], results)
        self.assertEqual(StockoutTask.objects.filter(done_at=None, superseded_at=None).count(), 3)
