"""What a queue row shows besides the rule's sentence, and the queue as a spreadsheet.

Each rule shows the facts it is about (a buyer_note row the message itself, a tcm_spec row the lines with their
中药 marks, a not_allocated row the WMS allocation…); a rule not named here (one added later) shows the lines and
the shipping."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from opsdesk.lib.sheets import Column, sheet_write
from opsdesk.orders.facts import ID_CHUNK, OrderFacts, order_facts
from opsdesk.orders.models import Order
from opsdesk.rules.selectors import Flag, rule_flags
from opsdesk.web.templatetags.desk import SEVERITY_LABELS

LINES, ALLOCATION, SHIPPING, NOTES = "lines", "allocation", "shipping", "notes"
FACTS: dict[str, tuple[str, ...]] = {
    "ship_overdue": (LINES, ALLOCATION, SHIPPING),
    "ship_due_soon": (LINES, ALLOCATION, SHIPPING),
    "cutoff_missed": (LINES, ALLOCATION, SHIPPING),
    "not_allocated": (ALLOCATION, LINES),
    "rx_review": (LINES, NOTES),
    "unpaid_rx": (LINES, NOTES),
    "buyer_note": (NOTES, LINES),
    "tcm_spec": (LINES,),
    "stock_short": (LINES, ALLOCATION),
    "cod_courier": (SHIPPING, ALLOCATION, LINES),
    "erp_exception": (NOTES, LINES, ALLOCATION),
    "returned_unrefunded": (SHIPPING, LINES),
    "aftersales_pending": (SHIPPING, LINES),
    "logistics_stale": (SHIPPING, LINES),
    "cutoff_unshipped": (LINES, ALLOCATION, SHIPPING),
    "cutoff_due_today": (LINES, ALLOCATION, SHIPPING),
    "paid_to_push": (LINES, NOTES),
    "cod_to_push": (LINES, NOTES, SHIPPING),
}
DEFAULT_FACTS = (LINES, SHIPPING)
# A download is a working list, not an archive: past this many rows it says where it stopped (and a day's real
# queues are far shorter). 10,000 rows take a few seconds on the bench's 500k orders.
SHEET_MAX = 10_000


def rule_facts(rule: str) -> tuple[str, ...]:
    return FACTS.get(rule, DEFAULT_FACTS)


def _label(name: str) -> str:
    return str(Order._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def sheet_columns() -> list[Column]:
    """The download's columns; the order's own headers come from the model."""
    return [
        Column(_("平台"), 10), Column(_label("order_no"), 24), Column(_("说明"), 48), Column(_("起始"), 17, "datetime"),
        Column(_("严重程度"), 8), Column(_("商品"), 48), Column(_("数量"), 6, "number"),
        Column(_label("total_amount"), 10, "money"), Column(_label("allocation"), 10), Column(_label("warehouse"), 10),
        Column(_label("courier_raw"), 10), Column(_label("tracking_no"), 20), Column(_label("buyer_message"), 30),
        Column(_label("seller_note"), 30),
    ]


def _sheet_row(flag: Flag, facts: OrderFacts | None, channels: dict[str, str], severities: dict[str, str]) -> list[Any]:
    head = [channels.get(flag.channel, flag.channel), flag.order_no, flag.message, flag.since,
            severities.get(flag.severity, flag.severity)]
    if facts is None:
        return head + [None] * 9
    return head + [facts.goods, facts.qty, facts.total_amount, facts.allocation_label, facts.warehouse,
                   facts.courier, facts.tracking_no, facts.buyer_message, facts.seller_note]


def _sheet_rows(flags: list[Flag], channels: dict[str, str], *, cut: bool) -> Iterator[list[Any]]:
    severities = {code: str(label) for code, label in SEVERITY_LABELS.items()}  # translated once, not per row
    for start in range(0, len(flags), ID_CHUNK):
        chunk = flags[start:start + ID_CHUNK]
        facts = order_facts(order_ids=[flag.order_id for flag in chunk if flag.order_id is not None])
        for flag in chunk:
            yield _sheet_row(flag, facts.get(flag.order_id or 0), channels, severities)
    if cut:
        note = _("只导出了最早的 %(count)d 单: 请按平台筛选后分别下载") % {"count": len(flags)}
        yield [None, None, note, *[None] * 11]


def queue_workbook(*, rule: str, title: str, at: datetime, channel: str | None, channels: dict[str, str]) -> BinaryIO:
    """The orders the rule flags at `at` (all pages, up to SHEET_MAX) as an XLSX file opened for reading. It is
    written to a temporary file (a big queue never sits in memory twice) that is gone from the disk once closed."""
    flags = rule_flags(code=rule, at=at, channel=channel, limit=SHEET_MAX + 1)
    cut = len(flags) > SHEET_MAX
    flags = flags[:SHEET_MAX]
    handle, name = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    path = Path(name)
    try:
        sheet_write(path, title=title, columns=sheet_columns(), rows=_sheet_rows(flags, channels, cut=cut))
        return path.open("rb")
    finally:
        path.unlink(missing_ok=True)  # the open file stays readable until the response closes it
