"""The actions that clear a flag. Each records who and when, in its own table and in the order's history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from opsdesk.core.roles import permission_require
from opsdesk.lib.dates import local, now
from opsdesk.lib.errors import Refused
from opsdesk.lib.forms import note_clean, validated
from opsdesk.orders.models import Order, OrderEvent
from opsdesk.orders.services import order_lock
from opsdesk.rules import prescriptions
from opsdesk.rules.forms import RxReviewForm
from opsdesk.rules.models import Acknowledgement, RxReview, TcmCheck
from opsdesk.rules.registry import note_hash

# The permission each action needs (declared in roles.py; the desk's `may()` asks the same).
ACK_PERMISSION = "rules.add_acknowledgement"
TCM_PERMISSION = "rules.add_tcmcheck"
REVIEW_PERMISSION = "rules.review_prescription"

def _event(*, order: Order, user: Any, at: datetime, kind: str, text: str) -> None:
    OrderEvent.objects.create(order=order, user=user, at=at, kind=kind, text=text)


def order_ack(*, order: Order, user: Any, at: datetime | None = None) -> Acknowledgement:
    """Acknowledge the order's current buyer message and seller note (clears buyer_note until they change)."""
    permission_require(user, ACK_PERMISSION, doing="确认买家留言/客户备注")
    if not order.buyer_message and not order.seller_note:
        raise Refused(f"订单 {order.order_no} 没有买家留言或客户备注, 无需确认")
    moment = local(at or now())
    text_hash = note_hash(order.buyer_message, order.seller_note)
    with transaction.atomic():
        order_lock(order=order)  # two acknowledgements at once: the second finds the first
        _refuse_done(order.acknowledgements.filter(text_hash=text_hash), order=order, done="留言/备注已确认")
        ack = Acknowledgement.objects.create(order=order, user=user, at=moment, text_hash=text_hash)
        _event(order=order, user=user, at=moment, kind="ack", text="已阅读买家留言/客户备注")
    return ack


def _refuse_done(earlier: Any, *, order: Order, done: str) -> None:
    """Refused when the order already has such a record: a second one (a double click, two people at once, the
    same row cleared again) would only repeat it in the order's history."""
    first = earlier.select_related("user").order_by("at", "id").first()
    if first is not None:
        raise Refused(f"订单 {order.order_no} 的{done}: {first.user.get_username()} {local(first.at):%m-%d %H:%M}")


def tcm_check(*, order: Order, user: Any, at: datetime | None = None, note: str = "") -> TcmCheck:
    """Record that the order's TCM specs were checked (clears tcm_spec)."""
    permission_require(user, TCM_PERMISSION, doing="记录中药规格核对")
    note = note_clean(note)
    if not order.has_tcm and not order.lines.filter(tcm=True).exists():
        raise Refused(f"订单 {order.order_no} 不含中药, 无需核对规格")
    moment = local(at or now())
    with transaction.atomic():
        order_lock(order=order)
        _refuse_done(order.tcm_checks.all(), order=order, done="中药规格已核对")
        check = TcmCheck.objects.create(order=order, user=user, at=moment, note=note)
        _event(order=order, user=user, at=moment, kind="tcm_check", text=note or "已核对中药规格")
    return check


def _review_input(*, prescription: str, note: str) -> tuple[str, str]:
    """The reference and note within their columns (RxReviewForm); the image is checked as it is stored."""
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
    """A pharmacist's review. It supersedes (never deletes) the order's earlier reviews; approve clears rx_review
    and records the Rx lines it approved. The prescription's reference and image are claimed for this order (see
    prescriptions.py): one already claimed by another order is refused, also when two reviews race for it."""
    prescription, note = _review_input(prescription=prescription, note=note)
    _check_review(order=order, user=user, decision=decision)
    digest, path = prescriptions.image_store(image) if image else ("", "")
    claims = prescriptions.claims_of(reference=prescription, image_sha256=digest)
    held = prescriptions.claim_holder(order=order, claims=claims)
    if held is not None:
        raise prescriptions.reuse_refused(held)
    try:
        return _review_write(order=order, user=user, decision=decision, prescription=prescription, claims=claims,
                             image=(digest, path), note=note, moment=local(at or now()))
    except IntegrityError as exc:
        # Another order's review claimed it between our look and our write: the database said no.
        held = prescriptions.claim_holder(order=order, claims=claims)
        if held is None:
            raise
        raise prescriptions.reuse_refused(held) from exc


def _review_write(
    *, order: Order, user: Any, decision: str, prescription: str, claims: list[tuple[str, str]],
    image: tuple[str, str], note: str, moment: datetime,
) -> RxReview:
    approve = decision == RxReview.Decision.APPROVE
    with transaction.atomic():
        # Two reviews of one order at once: the second waits here and then sees the first (it supersedes it, and
        # finds the prescription already claimed for this order).
        order_lock(order=order)
        review = RxReview.objects.create(
            order=order, reviewer=user, at=moment, decision=decision, prescription=prescription,
            image_sha256=image[0], image_path=image[1], note=note, lines=prescriptions.rx_lines(order) if approve else [],
        )
        prescriptions.claims_make(review=review, claims=claims)
        RxReview.objects.filter(order=order, superseded_by__isnull=True).exclude(pk=review.pk).update(
            superseded_by=review
        )
        label = RxReview.Decision(decision).label
        ref = f", 处方 {prescription}" if prescription else ""
        _event(order=order, user=user, at=moment, kind="rx_review", text=f"处方审核{label}{ref}")
    return review
