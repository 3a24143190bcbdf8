"""A channel's own after-sales export (拼多多 商家后台 → 售后 → 导出) → ChannelAftersale records.

The deadline is the export's 超时时间 when it has one; otherwise its 剩余处理时间 ("1天2小时30分", "已超时") counted
from when the file says it was exported, else from the import (the result then warns: the clock started late)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from opsdesk.imports.fields import Rows
from opsdesk.imports.records import Record, agree, salt
from opsdesk.lib import dates

_SPAN = re.compile(r"^(?:(\d+)天)?(?:(\d+)(?:小时|时))?(?:(\d+)分(?:钟)?)?(?:(\d+)秒)?$")
PASSED = ("已超时", "已逾期", "超时")
NONE = ("", "-", "--", "—", "无")
VALUES = ("order_no", "applied_at", "amount", "reason")
# A platform gives a merchant days to answer a request, never years: more is a mangled cell (and 99999999天 from
# now is past the year 9999).
MOST_DAYS = 366


def remaining_parse(text: str) -> timedelta | None:
    """剩余处理时间 as a duration: '1天2小时30分', '23小时', '45分钟', '已超时' (0); None when there is none."""
    cleaned = text.replace(" ", "").replace("\u3000", "")
    if cleaned in NONE:
        return None
    if cleaned.startswith(PASSED):
        return timedelta(0)
    found = _SPAN.match(cleaned)
    if not found or not any(found.groups()):
        raise ValueError(f"不是剩余时间: {text!r} (例如 1天2小时30分 或 已超时)")
    days, hours, minutes, seconds = (int(part or 0) for part in found.groups())
    left = timedelta(days=min(days, MOST_DAYS + 1), hours=hours, minutes=minutes, seconds=seconds)
    if left > timedelta(days=MOST_DAYS):
        raise ValueError(f"剩余时间太长: {text!r} (售后最多 {MOST_DAYS} 天内处理)")
    return left


def channel_aftersale_records(rows: Rows, *, channel_id: int, stated_at: datetime | None) -> list[Record]:
    """One record per 售后编号 (the last row wins when a file repeats one with the same cells)."""
    agree(rows, "aftersale_no", whole_row=True)
    columns = {name: rows.values(name) for name in VALUES}
    kinds, statuses = rows.mapped("kind"), rows.mapped("status")
    deadlines = _deadlines(rows, stated_at)
    prints, base = rows.fingerprints(), salt(rows, channel_id)
    records: dict[str, Record] = {}
    for i, number in enumerate(rows.values("aftersale_no")):
        if not number:
            continue
        values = {name: columns[name][i] for name in VALUES}
        values["reason"] = values["reason"] or ""
        kind, values["kind_raw"] = kinds[i]
        values["kind"] = "other" if kind in ("", "unknown") else kind
        status, values["status_raw"] = statuses[i]
        values["status"] = status or "unknown"
        values["channel_id"], values["deadline"] = channel_id, deadlines[i]
        records[number] = Record(key=number, values=values).seal(base, prints[i], dates.iso(deadlines[i]) or "")
    return list(records.values())


def _deadlines(rows: Rows, stated_at: datetime | None) -> list[datetime | None]:
    """超时时间, else the export (or import) moment plus 剩余处理时间; a remaining time that is no duration is a row
    error naming its cell."""
    given = rows.values("deadline")
    if not rows.has("remaining"):
        return given
    start = stated_at or dates.now()
    found: list[datetime | None] = []
    counted = False
    for text, deadline, position in zip(rows.text("remaining"), given, rows.positions, strict=True):
        if deadline is None and text:
            try:
                left = remaining_parse(text)
            except ValueError as exc:
                rows.problems.error(position + 1, rows.header("remaining"), str(exc))
                left = None
            deadline, counted = (start + left, True) if left is not None else (None, counted)
        found.append(deadline)
    if counted and stated_at is None:
        rows.problems.warn(None, rows.header("remaining"), "文件没有写明导出时间: 剩余处理时间从导入时刻算起")
    return found
