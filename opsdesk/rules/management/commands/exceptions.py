from __future__ import annotations

from typing import Any

from opsdesk.lib.command import OpsCommand
from opsdesk.lib.dates import parse_moment
from opsdesk.orders.models import Channel
from opsdesk.rules.registry import hm
from opsdesk.rules.selectors import RULES, exceptions_evaluate

SEVERITY_MARK = {"high": "高", "medium": "中", "low": "低"}


class Command(OpsCommand):
    help = "评估异常规则, 列出需要处理的订单: opsdesk exceptions [--at DATETIME] [--rule R] [--channel C]"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--at", help="以此时刻代替现在 (ISO 8601, 无时区即上海时间)")
        parser.add_argument("--rule", choices=list(RULES), help="只看一条规则")
        parser.add_argument("--channel", help="只看一个平台 (平台代码)")

    def handle(self, *args: Any, **options: Any) -> None:
        at = parse_moment(options["at"])
        flags = exceptions_evaluate(at=at, rule=options["rule"], channel=options["channel"])
        if self.as_json:
            self.emit([flag.as_json() for flag in flags])
            return
        names = dict(Channel.objects.values_list("code", "name"))  # the desk's words (--json keeps the codes)
        for flag in flags:
            since = hm(flag.since)
            self.say(f"[{SEVERITY_MARK.get(flag.severity, flag.severity)}] {RULES[flag.rule]} "
                     f"{names.get(flag.channel, flag.channel)} {flag.order_no} 自 {since}: {flag.message}")
        self.say(f"共 {len(flags)} 条 ({at:%Y-%m-%d %H:%M})")
