"""`opsdesk checklist [--date D] [--at DATETIME]` lists the day; `opsdesk checklist sign ITEM --user U` signs off."""

from __future__ import annotations

import argparse
from itertools import groupby
from typing import Any

from opsdesk.checklist.selectors import checklist_day
from opsdesk.checklist.services import checklist_sign
from opsdesk.core.services import user_by_name
from opsdesk.lib import dates
from opsdesk.lib.command import OpsCommand


def _deadline_label(due: str | None) -> str:
    return f"{due} 前" if due else "全天"


def _item_line(item: dict[str, Any]) -> str:
    mark = "[✓]" if item["signed_off"] else "[ ]"
    count = f"  ({item['count']} 单)" if item["count"] is not None else ""
    overdue = "  逾期" if item["overdue"] else ""
    line = f"    {mark} {item['code']:<28} {item['title']}{count}{overdue}"
    signed = item["signed_off"]
    if signed:
        when = signed["at"][5:16].replace("T", " ")
        line += f"  — {signed['by']} {when}" + (f" {signed['note']}" if signed["note"] else "")
    return line


def checklist_text(payload: dict[str, Any]) -> str:
    lines = [f"运营日常 {payload['date']}  (截至 {payload['at'][11:16]})"]
    for due, by_due in groupby(payload["items"], key=lambda item: item["due"]):
        lines.append(f"\n{_deadline_label(due)}")
        for section, group in groupby(by_due, key=lambda item: item["section_title"]):
            lines.append(f"  {section}")
            lines.extend(_item_line(item) for item in group)
    summary = payload["summary"]
    lines.append(f"\n共 {summary['items']} 项, 已签核 {summary['signed_off']} 项, 逾期 {summary['overdue']} 项")
    return "\n".join(lines)


class Command(OpsCommand):
    help = "每日检查: opsdesk checklist [--date D] [--at DATETIME]; opsdesk checklist sign ITEM --user U"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="日期 YYYY-MM-DD (默认今天)")
        parser.add_argument("--at", help="以此时刻为准计算逾期和规则 (ISO 8601, 默认现在)")
        sub = parser.add_subparsers(dest="action", required=False)
        sign = self.add_subcommand(sub, "sign", help="签核一项")
        sign.add_argument("item", help="事项代码, 例如 erp-abnormal")
        sign.add_argument("--user", required=True, help="签核人用户名")
        # SUPPRESS keeps a --date given before `sign` from being reset by the sub-command's default.
        sign.add_argument("--date", default=argparse.SUPPRESS, help="日期 YYYY-MM-DD (默认今天)")
        sign.add_argument("--note", default="", help="备注")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("action") == "sign":
            self.sign(options)
            return
        at = dates.parse_moment(options.get("at"))
        payload = checklist_day(day=dates.parse_day(options.get("date"), default=at.date()), at=at)
        if self.as_json:
            self.emit(payload)
        else:
            self.say(checklist_text(payload))

    def sign(self, options: dict[str, Any]) -> None:
        user = user_by_name(username=options["user"])
        # Signed now: a sign-off's moment is when it was made, never one given (that would backdate it).
        day = dates.parse_day(options.get("date"), default=dates.local(dates.now()).date())
        signoff = checklist_sign(code=options["item"], user=user, day=day, note=options["note"])
        payload = {
            "ok": True, "code": signoff.item.code, "title": signoff.item.title, "date": day.isoformat(),
            "by": user.get_username(), "at": dates.iso(signoff.at), "note": signoff.note,
        }
        if self.as_json:
            self.emit(payload)
        else:
            when = dates.local(signoff.at).strftime("%Y-%m-%d %H:%M")
            self.say(f"已签核 {day} {signoff.item.code} {signoff.item.title} ({payload['by']} {when})")
