from __future__ import annotations

from pathlib import Path
from typing import Any

from opsdesk.lib.command import OpsCommand
from opsdesk.lib.dates import iso
from opsdesk.lib.errors import Refused
from opsdesk.rules.cli import add_order_arguments, done, order_and_user
from opsdesk.rules.prescriptions import image_read
from opsdesk.rules.services import rx_review


def read_image(path: str | None) -> bytes | None:
    if not path:
        return None
    try:
        with Path(path).open("rb") as handle:
            data = image_read(handle)
    except OSError as exc:
        raise Refused(f"无法读取处方图片 {path}: {exc.strerror}") from exc
    if not data:
        raise Refused(f"处方图片 {path} 是空文件")
    return data


class Command(OpsCommand):
    help = "处方审核 (仅药师): opsdesk rx review ORDER_NO --user U --approve|--reject [--prescription REF] [--image FILE]"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        review = self.add_subcommand(sub, "review", help="审核订单的处方")
        add_order_arguments(review)
        decision = review.add_mutually_exclusive_group(required=True)
        decision.add_argument("--approve", dest="decision", action="store_const", const="approve", help="通过")
        decision.add_argument("--reject", dest="decision", action="store_const", const="reject", help="驳回")
        review.add_argument("--prescription", default="", help="电子处方编号")
        review.add_argument("--image", help="处方图片文件")
        review.add_argument("--note", default="", help="说明")

    def handle(self, *args: Any, **options: Any) -> None:
        order, user = order_and_user(options)
        record = rx_review(
            order=order, user=user, decision=options["decision"], prescription=options["prescription"],
            image=read_image(options["image"]), note=options["note"],
        )
        if self.as_json:
            self.emit(done(
                order, decision=record.decision, reviewer=user.username, at=iso(record.at),
                prescription=record.prescription, image_sha256=record.image_sha256, review_id=record.pk,
            ))
        else:
            self.say(f"{order.channel.name} {order.order_no} 处方审核{record.get_decision_display()} ({user.username})")
