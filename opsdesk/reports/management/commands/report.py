"""`opsdesk report cod --date D [--out DIR]`: the 货到付款 sheet for day D."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from opsdesk.core.services import user_acting
from opsdesk.lib import dates
from opsdesk.lib.command import OpsCommand
from opsdesk.reports.cod import CodReport, cod_report


def cod_text(report: CodReport) -> str:
    lines = [f"已生成 {report.path}", f"共 {report.orders} 单, 代收货款合计 ¥{report.as_json()['total_amount']}",
             f"货到付款负责人: {report.owner}"]
    lines += [f"⚠ {warning}" for warning in report.warnings]
    return "\n".join(lines)


class Command(OpsCommand):
    help = "报表: opsdesk report cod --date D [--out DIR] (货到付款日报)"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        cod = self.add_subcommand(sub, "cod", help="货到付款表格 (官网 配货中 + 货到付款)")
        cod.add_argument("--date", help="报表日期 YYYY-MM-DD (默认今天): 统计前一天 00:00 至当天结束下单的订单")
        cod.add_argument("--out", default=".", help="输出目录 (默认当前目录)")
        cod.add_argument("--user", help="操作人用户名 (默认: 定时任务账号 system)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_acting(username=options.get("user"))
        report = cod_report(day=dates.parse_day(options.get("date")), out_dir=Path(options["out"]), user=user)
        if self.as_json:
            self.emit(report.as_json())
        else:
            self.say(cod_text(report))
