"""The actions that clear a flag. Each records who and when, in its own table and in the order's history."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from opsdesk.core.roles import permission_require
from opsdesk.lib.dates import local, now
from opsdesk.lib.errors import Refused
from opsdesk.lib.forms import validated
from opsdesk.orders.models import Order, OrderEvent
from opsdesk.rules.forms import RxReviewForm, image_check
from opsdesk.rules.models import Acknowledgement, RxReview, TcmCheck
from opsdesk.rules.registry import hm, note_hash

# The permission each action needs (declared in roles.py; the desk's `may()` asks the same).
ACK_PERMISSION = "rules.add_acknowledgement"
TCM_PERMISSION = "rules.add_tcmcheck"
REVIEW_PERMISSION = "rules.review_prescription"

IMAGE_TYPES = ((b"\x89PNG", ".png"), (b"\xff\xd8", ".jpg"), (b"%PDF", ".pdf"), (b"GIF8", ".gif"), (b"RIFF", ".webp"))


def _event(*, order: Order, user: Any, at: datetime, kind: str, text: str) -> None:
    OrderEvent.objects.create(order=order, user=user, at=at, kind=kind, text=text)


def order_ack(*, order: Order, user: Any, at: datetime | None = None) -> Acknowledgement:
    """Acknowledge the order's current buyer message and seller note (clears buyer_note until they change)."""
    permission_require(user, ACK_PERMISSION, doing="确认买家留言/客户备注")
    if not order.buyer_message and not order.seller_note:
        raise Refused(f"订单 {order.order_no} 没有买家留言或客户备注, 无需确认")
    moment = local(at or now())
    with transaction.atomic():
        ack = Acknowledgement.objects.create(
            order=order, user=user, at=moment, text_hash=note_hash(order.buyer_message, order.seller_note)
        )
        _event(order=order, user=user, at=moment, kind="ack", text="已阅读买家留言/客户备注")
    return ack


def tcm_check(*, order: Order, user: Any, at: datetime | None = None, note: str = "") -> TcmCheck:
    """Record that the order's TCM specs were checked (clears tcm_spec)."""
    permission_require(user, TCM_PERMISSION, doing="记录中药规格核对")
    if not order.has_tcm and not order.lines.filter(tcm=True).exists():
        raise Refused(f"订单 {order.order_no} 不含中药, 无需核对规格")
    moment = local(at or now())
    with transaction.atomic():
        check = TcmCheck.objects.create(order=order, user=user, at=moment, note=note)
        _event(order=order, user=user, at=moment, kind="tcm_check", text=note or "已核对中药规格")
    return check


def _refuse_reuse(*, order: Order, prescription: str, image_sha256: str) -> None:
    """One prescription serves one order: a reference or image already used on another order is refused."""
    reuse = Q(prescription=prescription) if prescription else Q(pk__in=[])
    if image_sha256:
        reuse |= Q(image_sha256=image_sha256)
    other = RxReview.objects.filter(reuse).exclude(order=order).select_related("order").first()
    if other is None:
        return
    what = f"处方编号 {prescription}" if prescription and other.prescription == prescription else "处方图片"
    raise Refused(f"{what} 已用于另一订单 {other.order.order_no} ({hm(other.at)} 审核), 不能重复使用")


def _store_image(image: bytes, digest: str) -> str:
    """Keep the image under DATA_DIR/prescriptions, named by its hash (the same image is stored once)."""
    suffix = next((ext for magic, ext in IMAGE_TYPES if image.startswith(magic)), ".bin")
    folder = Path(settings.DATA_DIR) / "prescriptions"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}{suffix}"
    if not path.exists():
        partial = path.with_suffix(path.suffix + ".part")
        partial.write_bytes(image)
        partial.replace(path)
    return str(path.relative_to(settings.DATA_DIR))


def _review_input(*, prescription: str, note: str, image: bytes | None) -> tuple[str, str]:
    """The reference and note within their columns, the image within its size (RxReviewForm)."""
    image_check(image)
    given = validated(RxReviewForm, prescription=prescription, note=note)
    return given["prescription"], given["note"]


def _check_review(*, order: Order, user: Any, decision: str) -> None:
    permission_require(user, REVIEW_PERMISSION, doing="审核处方")
    if decision not in RxReview.Decision.values:
        raise Refused(f"审核结论 {decision!r} 无效: 应为 approve (通过) 或 reject (驳回)")
    if not order.has_rx and not order.lines.filter(rx=True).exists():
        raise Refused(f"订单 {order.order_no} 不含处方药, 无需处方审核")


def rx_review(
    *, order: Order, user: Any, decision: str, prescription: str = "", image: bytes | None = None,
    note: str = "", at: datetime | None = None,
) -> RxReview:
    """A pharmacist's review. It supersedes (never deletes) the order's earlier reviews; approve clears rx_review."""
    prescription, note = _review_input(prescription=prescription, note=note, image=image)
    _check_review(order=order, user=user, decision=decision)
    prescription = prescription.strip()
    digest = hashlib.sha256(image).hexdigest() if image else ""
    moment = local(at or now())
    with transaction.atomic():
        _refuse_reuse(order=order, prescription=prescription, image_sha256=digest)
        review = RxReview.objects.create(
            order=order, reviewer=user, at=moment, decision=decision, prescription=prescription,
            image_sha256=digest, image_path=_store_image(image, digest) if image else "", note=note,
        )
        RxReview.objects.filter(order=order, superseded_by__isnull=True).exclude(pk=review.pk).update(
            superseded_by=review
        )
        label = RxReview.Decision(decision).label
        ref = f", 处方 {prescription}" if prescription else ""
        _event(order=order, user=user, at=moment, kind="rx_review", text=f"处方审核{label}{ref}")
    return review
