"""The pull into a real store: windows, cursor, the join onto channel orders, failures (local contract server)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.test import override_settings

from opsdesk.hupun.client import HupunClient
from opsdesk.hupun.contract import ContractServer
from opsdesk.hupun.models import HupunCode, PullCursor
from opsdesk.hupun.services import erp_pull
from opsdesk.imports.models import ImportRecord
from opsdesk.lib.dates import SHANGHAI
from opsdesk.live.selectors import SourceState, source_states
from opsdesk.orders.models import ErpAftersale, ErpOrder, Order
from tests.hupun.helpers import return_order, trade, trades
from tests.imports.helpers import erp_row, import_rows, official_row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2026-12-01 {text}").replace(tzinfo=SHANGHAI)


def cursor(endpoint: str = "trades") -> datetime | None:
    found = PullCursor.objects.filter(endpoint=endpoint).first()
    return found.at if found else None


def test_it_joins_trades_onto_their_channel_orders(tmp_path: Path, server: ContractServer, client: HupunClient) -> None:
    import_rows(tmp_path, "官网.xlsx", "official", [official_row("GW0000000001")])
    server.set_trades([trade(1, is_exception_trade=True, seller_msg="地址待确认", buyer_msg="请用中通",
                             logistic_name="中通快递", express_code="75300000000001", process_status=3)])
    result = erp_pull(since=at("09:00"), until=at("09:10"), client=client)
    assert (result.status, result.pages, result.trades, result.created) == ("pulled", 2, 1, 1), result.errors
    order = Order.objects.get(order_no="GW0000000001")
    assert (order.erp_order_no, order.erp_abnormal, order.erp_note) == ("XD000000000001", True, "地址待确认")
    assert (order.courier, order.tracking_no, order.erp_status_raw) == ("zto", "75300000000001", "已发货")
    record = ImportRecord.objects.get(source="erp")
    assert (record.file_name, record.rows, record.created, record.status) == (
        "万里牛 OPEN API 2026-12-01 09:00–09:10", 1, 1, "imported")
    assert ImportRecord.objects.get(source="erp_aftersales").status == "unchanged"
    assert cursor() == at("09:10") and cursor("returns") == at("09:10")


def test_it_writes_what_the_erp_file_import_writes(tmp_path: Path, server: ContractServer, client: HupunClient) -> None:
    server.set_trades([trade(7, tp_tid="GW7", trade_type=1, seller_msg="售后处理:新建售后单【AS7】",
                             logistic_name="申通快递", express_code="77300000000007")])
    erp_pull(since=at("09:00"), until=at("09:10"), client=client)
    fields = ["online_order_no", "shop", "platform", "status_raw", "abnormal", "order_type", "paid_at",
              "buyer_message", "seller_note", "courier_raw", "tracking_no"]
    pulled = ErpOrder.objects.values(*fields).get()
    ErpOrder.objects.all().delete()
    row = erp_row("XD000000000007", "GW7", 订单类型="货到付款", 付款时间="2026-12-01 08:01:00", 卖家备注="售后处理:新建售后单【AS7】",
                  快递公司="申通快递", 快递单号="77300000000007")
    assert import_rows(tmp_path, "erp.csv", "erp", [row]).status == "imported"
    assert ErpOrder.objects.values(*fields).get() == pulled


def test_it_pages_across_three_pages(server: ContractServer, client: HupunClient) -> None:
    server.set_trades(trades(450))
    result = erp_pull(since=at("09:00"), until=at("09:10"), client=client)
    assert (result.pages, result.trades, result.created) == (4, 450, 450)  # 3 pages of trades, 1 of returns
    assert [r["page"] for r in server.requests if r["endpoint"].endswith("trades")] == ["1", "2", "3"]
    assert ErpOrder.objects.count() == 450


def test_a_window_with_no_change_is_a_no_op(tmp_path: Path, server: ContractServer, client: HupunClient) -> None:
    import_rows(tmp_path, "官网.xlsx", "official", [official_row("GW0000000001")])
    server.set_trades(trades(3))
    erp_pull(since=at("09:00"), until=at("09:10"), client=client)
    before = list(ErpOrder.objects.values_list("erp_order_no", "updated_at", "content_hash"))
    touched = Order.objects.get().updated_at
    again = erp_pull(since=at("09:00"), until=at("09:10"), client=client)
    assert (again.status, again.trades, again.created, again.updated) == ("pulled", 3, 0, 0)
    assert list(ErpOrder.objects.values_list("erp_order_no", "updated_at", "content_hash")) == before
    assert Order.objects.get().updated_at == touched
    assert ImportRecord.objects.filter(source="erp").latest("id").status == "unchanged"


def test_a_long_order_number_from_the_api_is_no_spreadsheet_float(server: ContractServer, client: HupunClient) -> None:
    """17 digits ending in 00 is how Excel rounds a number cell; an API's JSON text never went through Excel."""
    server.set_trades([trade(1, tp_tid="26112010000345200")])
    result = erp_pull(since=at("09:00"), until=at("09:10"), client=client)
    assert (result.status, result.created) == ("pulled", 1), result.errors
    assert ErpOrder.objects.get().online_order_no == "26112010000345200"


def test_an_api_error_leaves_cursor_and_store_as_they_were(server: ContractServer, client: HupunClient) -> None:
    PullCursor.objects.create(endpoint="trades", at=at("09:00"))
    server.set_trades(trades(3))
    server.fail("code")
    result = erp_pull(until=at("09:30"), client=client)
    assert result.status == "failed" and "系统繁忙" in result.errors[0]["message"]
    assert (cursor(), cursor("returns"), ErpOrder.objects.count()) == (at("09:00"), None, 0)
    record = ImportRecord.objects.get()
    assert (record.source, record.status, record.file_name) == ("erp", "rejected", "万里牛 OPEN API 2026-12-01 08:55–09:30")


def test_a_pull_interrupted_mid_window_and_rerun_stores_each_trade_once(
    server: ContractServer, client: HupunClient
) -> None:
    server.set_trades(trades(150, modified="2026-12-01 09:05") + trades(450, start=1000, modified="2026-12-01 10:05"))
    server.fail("drop", page=2)  # the first hour is one page; the second hour breaks after its first page
    first = erp_pull(since=at("09:00"), until=at("11:00"), client=client)
    assert first.status == "failed" and "无法访问" in first.errors[0]["message"]
    assert (first.created, ErpOrder.objects.count(), cursor()) == (150, 150, at("10:00"))
    server.recover()
    rerun = erp_pull(until=at("11:00"), client=client)
    assert (rerun.status, rerun.created, rerun.updated) == ("pulled", 450, 0)
    assert ErpOrder.objects.count() == 600 and cursor() == at("11:00")
    assert rerun.since == at("09:55")  # the cursor less the overlap


def test_a_backfill_behind_the_cursor_leaves_it_where_it_is(server: ContractServer, client: HupunClient) -> None:
    PullCursor.objects.create(endpoint="trades", at=at("12:00"))
    server.set_trades(trades(2))
    assert erp_pull(since=at("09:00"), until=at("09:10"), client=client).created == 2
    assert cursor() == at("12:00")


def test_codes_are_mapped_through_data_an_admin_extends(server: ContractServer, client: HupunClient) -> None:
    HupunCode.objects.create(field="process_status", code="7", label="已出库")
    server.set_trades([trade(1, process_status=7), trade(2, process_status=8), trade(3, tp_tid="")])
    result = erp_pull(since=at("09:00"), until=at("09:10"), client=client)
    assert dict(ErpOrder.objects.values_list("erp_order_no", "status_raw")) == {
        "XD000000000001": "已出库", "XD000000000002": "8"}
    assert result.trades == 2  # the manual order without a channel number joins nothing and is left out


def test_returns_become_erp_aftersales_linked_by_the_trade(server: ContractServer, client: HupunClient) -> None:
    server.set_trades([trade(1)])
    server.set_returns([return_order("AS1", trade_no="XD000000000001"), return_order("BF2", trade_no="XD9", type=3)])
    result = erp_pull(since=at("09:00"), until=at("09:10"), client=client)
    assert (result.returns, result.created) == (2, 3)
    first = ErpAftersale.objects.get(aftersale_no="AS1")
    assert (first.kind, first.kind_raw, first.online_order_no, first.status_raw) == ("return", "退货", "GW0000000001",
                                                                                      "已审核")
    assert ErpAftersale.objects.get(aftersale_no="BF2").kind == "reissue"
    assert ImportRecord.objects.get(source="erp_aftersales").file_name == "万里牛 OPEN API 售后 2026-12-01 09:00–09:10"


def test_a_refusal_stops_the_pull_with_its_message(server: ContractServer) -> None:
    wrong = HupunClient(base=server.url, app_key="3823532979", secret="wrong", attempts=3, backoff=0.01)
    result = erp_pull(since=at("09:00"), until=at("09:10"), client=wrong)
    assert result.status == "failed" and "签名错误" in result.errors[0]["message"]
    assert len(server.requests) == 1 and cursor() is None


def test_the_sources_strip_reads_each_pull(server: ContractServer, client: HupunClient) -> None:
    from opsdesk.lib.dates import now
    from opsdesk.live.selectors import source_states

    server.set_trades(trades(2))
    erp_pull(since=at("09:00"), until=at("09:10"), client=client, via="cli")
    server.fail("code")
    erp_pull(since=at("09:10"), until=at("09:20"), client=client)
    states = {state.source: state for state in source_states(at=now())}
    erp = states["erp"]
    assert (erp.last_file, erp.rows, erp.via) == ("万里牛 OPEN API 2026-12-01 09:00–09:10", 2, "cli")
    assert erp.last_error and "系统繁忙" in erp.last_error and "09:10–09:20" in erp.last_error
    assert states["erp_aftersales"].last_file == "万里牛 OPEN API 售后 2026-12-01 09:00–09:10"


def test_an_export_older_than_the_pull_leaves_the_pulled_trade(
    tmp_path: Path, server: ContractServer, client: HupunClient
) -> None:
    from opsdesk.lib.dates import now

    server.set_trades([trade(1, process_status=3)])
    erp_pull(since=at("09:00"), until=at("09:10"), client=client)
    hour_ago = (now() - timedelta(hours=1)).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    older = import_rows(tmp_path, "erp.xlsx", "erp", [erp_row("XD000000000001", "GW0000000001", 处理状态="待审核")],
                        title=f"订单导出 {hour_ago}")
    assert ErpOrder.objects.get().status_raw == "已发货"
    assert "导出时间早于" in older.warnings[0]["message"]


def test_a_bad_trade_is_left_out_named_and_the_pull_moves_on(server: ContractServer, client: HupunClient) -> None:
    """One bad record rejected its whole window, every pull again: the cursor never moved, returns were never asked."""
    server.set_trades([trade(1), trade(2, tp_tid="GW\u200b123"), trade(3, express_code="7" * 500),
                       trade(4, trade_no="XD" + "9" * 300), trade(5)])
    server.set_returns([return_order("AS1", trade_no="XD000000000001")])
    result = erp_pull(since=at("09:00"), until=at("09:10"), client=client)
    assert (result.status, result.trades, result.returns) == ("pulled", 2, 1), result.errors
    assert set(ErpOrder.objects.values_list("erp_order_no", flat=True)) == {"XD000000000001", "XD000000000005"}
    record = ImportRecord.objects.get(source="erp")
    assert (record.status, record.rows, record.errors) == ("imported", 2, [])
    assert [(w["row"], w["column"]) for w in record.warnings] == [(3, "线上订单号"), (4, "快递单号"), (5, "系统单号")]
    assert "不可见字符" in record.warnings[0]["message"] and "太长" in record.warnings[1]["message"]
    assert all("未写入" in w["message"] for w in record.warnings)
    assert result.warnings == [{"file": record.file_name, **w} for w in record.warnings]
    assert cursor() == at("09:10") and cursor("returns") == at("09:10")
    assert ErpAftersale.objects.get().aftersale_no == "AS1"


def test_a_malformed_record_is_left_out_named_never_a_traceback(server: ContractServer, client: HupunClient) -> None:
    """Records that are no object, `orders` that are no list of objects, a field of the wrong type, a time no date
    has: each is left out and named, the window's good records written, the cursor moved on."""
    server.set_trades([trade(1), trade(2, tp_tid="", orders=[None]), trade(3, orders="x"),
                       trade(4, pay_time=float("nan")), trade(5, pay_time=1e20), trade(6, shop_name={"名": "店"})])
    server.set_returns([return_order("AS1", trade_no="XD000000000001", create_time=float("inf"))])
    server.fail("junk")  # "oops" and null after each page's records
    result = erp_pull(since=at("09:00"), until=at("09:10"), client=client)
    assert (result.status, result.trades, result.returns) == ("pulled", 1, 0), result.errors
    assert list(ErpOrder.objects.values_list("erp_order_no", flat=True)) == ["XD000000000001"]
    warned = [(w["row"], w["column"], w["message"]) for w in ImportRecord.objects.get(source="erp").warnings]
    assert [(row, column) for row, column, _ in warned] == [(None, None)] * 6 + [(3, "付款时间")]
    # Named by the trade's own number where it can be read: the page and place are the API's, nobody's to look up.
    assert "第 1 页第 2 条记录 (系统单号 XD000000000002): orders 应为对象的列表" in warned[0][2]
    assert "第 1 页第 3 条记录 (系统单号 XD000000000003)" in warned[1][2]
    assert "pay_time 不是有限的数" in warned[2][2] and "shop_name 应为文字或数字" in warned[3][2]
    assert "第 1 页第 7 条记录: 不是对象: \"oops\"" in warned[4][2] and "第 8 条记录: 不是对象: null" in warned[5][2]
    assert "1e+20" in warned[6][2] and warned[6][2].startswith("系统单号 XD000000000005: ")
    returns = ImportRecord.objects.get(source="erp_aftersales").warnings
    assert "create_time 不是有限的数" in returns[0]["message"] and len(result.warnings) == 10
    assert cursor() == at("09:10") and cursor("returns") == at("09:10")


def clock(moment: datetime) -> override_settings:
    """The desk's clock (lib.dates.now) at `moment`: the pull's `now` and its import records' time."""
    return override_settings(CLOCK_OFFSET=round((moment - datetime.now(SHANGHAI)).total_seconds()))


def near(value: datetime | None, moment: datetime) -> bool:
    """Within a second or two (the desk's clock moves by whole seconds, and on while the pull runs)."""
    return value is not None and abs(value - moment) < timedelta(seconds=5)


def erp_state(moment: datetime) -> SourceState:
    return next(state for state in source_states(at=moment) if state.source == "erp")


def test_a_pull_whose_later_windows_failed_is_as_fresh_as_its_cursor(server: ContractServer,
                                                                     client: HupunClient) -> None:
    server.set_trades([trade(1, modified="2026-12-01 09:30")] + trades(200, start=100, modified="2026-12-01 10:30"))
    server.fail("http500", page=2)  # the second hour's second page
    with clock(at("12:00")):
        result = erp_pull(since=at("09:00"), client=client)
    assert result.status == "failed" and cursor() == at("10:00")
    erp = erp_state(at("12:05"))
    assert (erp.last_at, erp.age_minutes, erp.stale) == (at("10:00"), 125, True)
    assert erp.last_error and "HTTP 500" in erp.last_error and "10:00–11:00" in erp.last_error
    assert next(state for state in source_states(at=at("12:05")) if state.source == "erp_aftersales").last_at is None


def test_a_backfill_behind_the_cursor_leaves_the_freshness_as_it_was(server: ContractServer,
                                                                     client: HupunClient) -> None:
    server.set_trades(trades(2, modified="2026-12-01 11:55"))
    with clock(at("12:00")):
        erp_pull(since=at("11:50"), client=client)
    assert near(erp_state(at("12:05")).last_at, at("12:00"))
    with clock(at("13:30")):
        erp_pull(since=at("00:00"), until=at("00:30"), client=client)
    erp = erp_state(at("13:31"))
    assert near(erp.last_at, at("12:00")) and (erp.stale, erp.last_error) == (True, None)


def test_a_file_import_of_the_erp_still_refreshes_it(tmp_path: Path, server: ContractServer,
                                                     client: HupunClient) -> None:
    server.set_trades(trades(1, modified="2026-12-01 09:05"))
    with clock(at("10:00")):
        erp_pull(since=at("09:00"), until=at("09:10"), client=client)
    with clock(at("11:00")):
        import_rows(tmp_path, "erp.csv", "erp", [erp_row("XD000000000009", "GW9")])
    erp = erp_state(at("11:01"))
    assert near(erp.last_at, at("11:00")) and erp.last_file and erp.last_file.endswith("erp.csv")
