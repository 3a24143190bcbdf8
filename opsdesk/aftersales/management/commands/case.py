from __future__ import annotations

from pathlib import Path
from typing import Any

from opsdesk.aftersales.models import CaseState, CaseType
from opsdesk.aftersales.picture import packing_list_picture, picture_name
from opsdesk.aftersales.reveal import case_contact_reveal
from opsdesk.aftersales.screenshots import SCREENSHOT_MAX_BYTES
from opsdesk.aftersales.selectors import case_as_json, case_get, case_list, case_summary_json
from opsdesk.aftersales.services import (
    case_advance,
    case_open,
    case_reissue_open,
    case_reissue_sku_set,
    case_send,
    case_send_checked,
    case_sync_returns,
)
from opsdesk.core.services import user_by_name
from opsdesk.lib.command import OpsCommand
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import Unit


def _read_screenshots(paths: list[str] | None) -> list[tuple[str, bytes]]:
    """(name, bytes) for the service to check as it checks the desk's uploads; like the desk, one byte over the
    limit is enough to refuse, so a huge file is never read whole."""
    files = []
    for raw in paths or ():
        path = Path(raw)
        try:
            with path.open("rb") as file:
                files.append((path.name, file.read(SCREENSHOT_MAX_BYTES + 1)))
        except OSError as exc:
            raise Refused(f"无法读取截图 {raw}: {exc.strerror or exc}") from exc
    return files


def _add_reveal(parser: Any) -> None:
    parser.add_argument("--reveal", action="store_true",
                        help="显示收货人完整手机号和地址 (需 --user, 与工作台一样记录在订单历史)")


class Command(OpsCommand):
    help = "售后: opsdesk case open|show|send|list|advance"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        opened = self.add_subcommand(sub, "open", help="登记售后 (打印同 case show)")
        opened.add_argument("type", choices=CaseType.values)
        opened.add_argument("order_no", help="平台订单号或万里牛 XD 单号")
        opened.add_argument("--channel")
        opened.add_argument("--amount", help="金额 (丢件/破损必填)")
        opened.add_argument("--qty", help="破损数量 (破损必填)")
        opened.add_argument("--unit", choices=Unit.values, default="", help="破损数量的单位 (默认取商品的单位)")
        opened.add_argument("--note", default="", help="说明, 例如 顾客已多次投诉 物流一直未更新")
        opened.add_argument("--title", default="", help="发票抬头")
        opened.add_argument("--tax-id", default="", help="税号 (18 位统一社会信用代码)")
        opened.add_argument("--email", default="", help="发票邮箱")
        opened.add_argument("--deadline", default="", metavar="DATETIME",
                            help="处理期限 (投诉必填; ISO 8601, 例如 2026-11-23T18:00, 上海时间)")
        opened.add_argument("--screenshot", action="extend", nargs="+", metavar="FILE",
                            help="交易截图, JPEG 或 PNG (可多个; 丢件和破损)")
        opened.add_argument("--photo", action="extend", nargs="+", metavar="FILE", help="破损照片, JPEG 或 PNG (可多个)")
        opened.add_argument("--user", required=True, help="经办人用户名")
        show = self.add_subcommand(sub, "show", help="售后单详情、记录和消息 (手机号和地址隐藏, 除非 --reveal)")
        show.add_argument("case_id", type=int)
        _add_reveal(show)
        show.add_argument("--user", help="查看人用户名 (--reveal 时必填)")
        send = self.add_subcommand(sub, "send", help="发送理赔邮件和钉钉报备 (已发送的不重发)")
        send.add_argument("case_id", type=int)
        _add_reveal(send)
        send.add_argument("--user", required=True, help="经办人用户名")
        checked = self.add_subcommand(sub, "checked", help="人工确认结果未知的发送: 对方是否收到")
        checked.add_argument("case_id", type=int)
        checked.add_argument("send_id", type=int, help="发送记录编号 (case show 的「发送记录」)")
        outcome = checked.add_mutually_exclusive_group(required=True)
        outcome.add_argument("--delivered", action="store_true", help="对方已收到 (记为已发送)")
        outcome.add_argument("--not-delivered", action="store_true", help="对方未收到 (下次 case send 重发)")
        checked.add_argument("--user", required=True)
        checked.add_argument("--note", default="")
        reissue = self.add_subcommand(sub, "reissue", help="丢件安排补发: 新建关联的补发售后单")
        reissue.add_argument("case_id", type=int)
        reissue.add_argument("--user", required=True)
        reissue_sku = self.add_subcommand(sub, "reissue-sku", help="为补发单填写缺少的补发商品编码 (记到商品上)")
        reissue_sku.add_argument("case_id", type=int)
        reissue_sku.add_argument("sku", help="原平台商品编码")
        reissue_sku.add_argument("reissue_sku", help="补发商品编码")
        reissue_sku.add_argument("--user", required=True)
        picture = self.add_subcommand(sub, "picture", help="不放清单的订单图片 (PNG), 与仓库群消息一起发")
        picture.add_argument("case_id", type=int)
        picture.add_argument("--out", default=".", metavar="DIR", help="写到这个目录 (默认当前目录)")
        listing = self.add_subcommand(sub, "list", help="售后单列表")
        listing.add_argument("--type", choices=CaseType.values)
        listing.add_argument("--state", choices=CaseState.values)
        advance = self.add_subcommand(sub, "advance", help="推进状态")
        advance.add_argument("case_id", type=int)
        advance.add_argument("--to", required=True, dest="to_state", choices=CaseState.values)
        advance.add_argument("--user", required=True)
        advance.add_argument("--note", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options.pop("user", None)
        user = user_by_name(username=username) if username else None  # show and list act as nobody
        getattr(self, f"do_{options['action'].replace('-', '_')}")(user=user, **options)

    def do_open(self, *, user: Any, **options: Any) -> None:
        case = case_open(
            type=options["type"], order_no=options["order_no"], channel=options["channel"], user=user,
            amount=options["amount"], qty=options["qty"], note=options["note"], title=options["title"],
            tax_id=options["tax_id"], email=options["email"], screenshots=_read_screenshots(options["screenshot"]),
            photos=_read_screenshots(options["photo"]), unit=options["unit"], deadline=options["deadline"],
        )
        self.show(case.pk)

    def do_show(self, *, user: Any, **options: Any) -> None:
        if options["reveal"] and user is None:
            raise Refused("--reveal 需要 --user: 查看完整手机号和地址要记下是谁看的")
        case_sync_returns(case_id=options["case_id"])
        self.show(options["case_id"], reveal_by=user if options["reveal"] else None)

    def do_send(self, *, user: Any, **options: Any) -> None:
        sent = case_send(case_id=options["case_id"], user=user)
        data = self.shown(options["case_id"], reveal_by=user if options["reveal"] else None)
        copy = [m for m in data["messages"] if m["via"] == "copy"]
        if self.as_json:
            self.emit({"ok": True, "sent": sent, "copy": copy, "case": data})
            return
        self.say("\n".join([f"已发送: {line}" for line in sent] or ["没有需要发送的内容 (已发送的不重发)"]))
        for warning in data["warnings"]:
            self.say(f"注意: {warning}")
        for message in copy:
            self.say(f"\n请复制发送到 {message['to']}:\n{message['text']}")
            self.say_attachments(data["id"], message)
        self.say(f"\n售后单 #{data['id']} 状态: {data['state_label']} ({data['state']})")
        if copy:
            self.say_masked(data)

    def say_masked(self, data: dict[str, Any]) -> None:
        if not data["revealed"]:
            self.say(f"(收货人手机号和地址已隐藏; 完整内容: opsdesk case show {data['id']} --reveal --user 用户名, "
                     "记录在订单历史)")

    def do_checked(self, *, user: Any, **options: Any) -> None:
        case = case_send_checked(case_id=options["case_id"], send_id=options["send_id"],
                                 delivered=options["delivered"], user=user, note=options["note"])
        self.show(case.pk)

    def do_reissue(self, *, user: Any, **options: Any) -> None:
        self.show(case_reissue_open(case_id=options["case_id"], user=user).pk)

    def do_reissue_sku(self, *, user: Any, **options: Any) -> None:
        case = case_reissue_sku_set(case_id=options["case_id"], sku=options["sku"],
                                    reissue_sku=options["reissue_sku"], user=user)
        self.show(case.pk)

    def do_picture(self, **options: Any) -> None:
        case = case_get(case_id=options["case_id"])
        content = packing_list_picture(case=case)
        path = Path(options["out"]).expanduser() / picture_name(case)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        except OSError as exc:
            raise Refused(f"无法写入 {path}: {exc.strerror or exc}") from exc
        if self.as_json:
            self.emit({"ok": True, "path": str(path), "bytes": len(content)})
        else:
            self.say(f"订单图片: {path}")

    def do_list(self, **options: Any) -> None:
        case_sync_returns()
        rows = [case_summary_json(c) for c in case_list(type=options["type"], state=options["state"])]
        if self.as_json:
            self.emit(rows)
            return
        for row in rows:
            amount = f" {row['amount']}元" if row["amount"] else ""
            self.say(f"#{row['id']} {row['type']} {row['state']} {row['channel']} {row['order_no']}{amount}")
        self.say(f"共 {len(rows)} 个售后单")

    def do_advance(self, *, user: Any, **options: Any) -> None:
        case = case_advance(case_id=options["case_id"], to_state=options["to_state"], user=user, note=options["note"])
        self.show(case.pk)

    def say_attachments(self, case_id: int, message: dict[str, Any]) -> None:
        """The pictures a person sends with the text, and how to get them (the CLI's download)."""
        for name in message["attachments"]:
            self.say(f"附图: {name} (opsdesk case picture {case_id} --out DIR; 网页 /cases/{case_id}/packing-list.png)")

    def shown(self, case_id: int, *, reveal_by: Any = None) -> dict[str, Any]:
        """The case as `--json` prints it: phones and addresses masked as on the desk, unless someone reveals
        them (logged on the order like the desk's reveal)."""
        if reveal_by is not None:
            return {**case_contact_reveal(case_id=case_id, user=reveal_by), "revealed": True}
        return {**case_as_json(case_get(case_id=case_id), reveal=False), "revealed": False}

    def show(self, case_id: int, *, reveal_by: Any = None) -> None:
        data = self.shown(case_id, reveal_by=reveal_by)
        if self.as_json:
            self.emit(data)
            return
        self.say(f"售后单 #{data['id']} {data['type_label']} · {data['state_label']} ({data['state']})")
        self.say(f"订单 {data['channel']} {data['order_no']} · 快递 {data['courier']} {data['tracking_no']}")
        if data["deadline"]:
            self.say(f"处理期限 {data['deadline']}" + (f" · {data['note']}" if data["note"] else ""))
        if data["next_states"]:
            self.say(f"下一步: {', '.join(data['next_states'])}")
        for line in data["reissue_lines"] or ():
            self.say(f"  补发: {line['sku']} → {line['reissue_sku'] or '(未设置补发编码)'} {line['name']} ×{line['qty']}")
        for event in data["history"]:
            self.say(f"  {event['at']} {event['user'] or '-'} {event['action']} {event['from'] or ''}→{event['to']} {event['note']}")
        for message in data["messages"]:
            self.say(f"\n[{message['kind']}] → {message['to']}:\n{message['text']}")
            self.say_attachments(data["id"], message)
        if data["email"]:
            email = data["email"]
            self.say(f"\n[邮件] → {', '.join(email['to'])}\n主题: {email['subject']}\n{email['body']}")
            if email["attachments"]:
                self.say(f"附件: {', '.join(email['attachments'])}")
        for send in data["sends"]:
            self.say(f"发送记录 #{send['id']} {send['channel']} → {send['to']}: {send['state_label']} ({send['state']})"
                     + (f" {send['error']}" if send["error"] else ""))
        for warning in data["warnings"]:
            self.say(f"注意: {warning}")
        if data["messages"] or data["email"]:
            self.say_masked(data)
