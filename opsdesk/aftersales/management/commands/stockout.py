from __future__ import annotations

from typing import Any

from opsdesk.aftersales.selectors import stockout_board, stockout_task_json
from opsdesk.aftersales.services import stockout_mark, stockout_task_done
from opsdesk.core.services import user_acting
from opsdesk.lib.command import OpsCommand
from opsdesk.lib.errors import Refused

USAGE = "opsdesk stockout SKU [--restore] | opsdesk stockout done TASK_ID --user U [--note T] | opsdesk stockout list"


class Command(OpsCommand):
    help = f"缺货上下架: {USAGE}"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("words", nargs="+", metavar="SKU | done TASK_ID | list")
        parser.add_argument("--restore", action="store_true", help="到货: 列出要重新上架的平台商品")
        parser.add_argument("--user", help="操作人")
        parser.add_argument("--note", default="", help="完成任务时的备注")
        parser.add_argument("--all", action="store_true", help="list: 包括已完成的任务")

    def handle(self, *args: Any, **options: Any) -> None:
        words = options["words"]
        if words[0] == "done":
            if len(words) != 2 or not words[1].isdigit() or not options["user"]:
                raise Refused(f"用法: {USAGE}")
            user = user_acting(username=options["user"])
            task = stockout_task_done(task_id=int(words[1]), user=user, note=options["note"])
            self.output({"ok": True, "task": stockout_task_json(task)}, [f"已完成: {self.line(stockout_task_json(task))}"])
        elif words == ["list"]:
            rows = stockout_board(include_done=options["all"])
            self.output(rows, [self.line(row) for row in rows] + [f"共 {len(rows)} 个任务"])
        elif len(words) == 1:
            user = user_acting(username=options["user"])
            tasks = [stockout_task_json(t) for t in stockout_mark(sku=words[0], restore=options["restore"], user=user)]
            verb = "上架" if options["restore"] else "下架"
            lines = [self.line(row) for row in tasks] or [f"没有需要{verb}的平台商品"]
            self.output({"sku": words[0], "restore": options["restore"], "tasks": tasks}, lines)
        else:
            raise Refused(f"用法: {USAGE}")

    def output(self, payload: Any, lines: list[str]) -> None:
        if self.as_json:
            self.emit(payload)
        else:
            self.say("\n".join(lines))

    @staticmethod
    def line(row: dict[str, Any]) -> str:
        state = f"已完成 ({row['done_by']} {row['done_at']})" if row["done_at"] else "待处理"
        link = f" {row['url']}" if row.get("url") else ""
        return f"#{row['id']} {row['action_label']} {row['channel_name']} {row['sku']} {row['title']}{link} · {state}"
