"""`opsdesk remind [--at DATETIME] [--json]`: post the digest of the next deadline's unsigned items (and the
handover at 17:30) to the configured DingTalk group, once per deadline per day."""

from __future__ import annotations

import sys
from typing import Any

from opsdesk.lib.command import OpsCommand
from opsdesk.lib.dates import parse_moment
from opsdesk.live.reminders import reminders_send


class Command(OpsCommand):
    help = "截止前提醒与交接: 发到钉钉群 (每个截止时间每天一次)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--at", help="以此时间判断 (ISO 8601, 默认现在)")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send(at=parse_moment(options["at"]))
        if self.as_json:
            self.emit(sent)
        if not sent:
            self.say("现在没有需要发送的提醒")
        for post in sent:
            self.say(f"{post['key']}: {post['status']}" + (f" ({post['error']})" if post["error"] else ""))
        if any(post["status"] in ("failed", "unknown") for post in sent):
            sys.exit(1)
