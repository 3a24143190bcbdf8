"""Sends outside transactions. Each part of a case that OpsDesk sends (the claim e-mail, a robot post) is a row of
`SendRecord`: claimed and committed first, sent with no transaction or lock held (a slow SMTP server or robot
never holds SQLite's write lock, so a sign-off meanwhile goes through), its outcome recorded in a second short
transaction. The database decides who sends: a claim is an insert under the unique constraint `send_once`, or a
conditional update of a failed row; whoever loses the race sends nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from opsdesk.aftersales.events import event_record
from opsdesk.aftersales.models import Case, SendRecord
from opsdesk.lib.dates import now
from opsdesk.lib.errors import OutcomeUnknown, Refused

State = SendRecord.State


@dataclass(frozen=True)
class Part:
    """One thing to send: where (via, target), to whom in words (detail), what (digest) and how (send)."""

    via: str
    target: str
    detail: str
    digest: str
    send: Callable[[], None]

    @property
    def label(self) -> str:
        return f"{SendRecord.Via(self.via).label} → {self.detail}"


def part_send(case: Case, part: Part, *, user: User | None) -> bool:
    """Send one part unless it was sent before; False when there was nothing to do. A refusal is recorded and
    raised; an unknown outcome is recorded for a person to check and raised."""
    record = _claim(case, part, user)
    if record is None:
        return _already(case, part)
    try:
        part.send()
    except OutcomeUnknown as exc:
        _finish(case, record, State.UNKNOWN, user=user, error=str(exc))
        raise
    except Refused as exc:
        _finish(case, record, State.FAILED, user=user, error=str(exc))
        raise
    _finish(case, record, State.SENT, user=user)
    return True


def part_state(case: Case, via: str, target: str) -> str | None:
    return SendRecord.objects.filter(case=case, channel=via, target=target).values_list("state", flat=True).first()


def _claim(case: Case, part: Part, user: User | None) -> SendRecord | None:
    fields = {"detail": part.detail, "message_hash": part.digest, "user": user, "at": now(),
              "state": State.SENDING, "error": "", "finished_at": None}
    mine = SendRecord.objects.filter(case=case, channel=part.via, target=part.target)
    with transaction.atomic():
        if mine.filter(state=State.FAILED).update(**fields):
            return mine.get()
        try:
            with transaction.atomic():
                return SendRecord.objects.create(case=case, channel=part.via, target=part.target, **fields)
        except IntegrityError:
            return None


def _already(case: Case, part: Part) -> bool:
    state = part_state(case, part.via, part.target)
    if state == State.SENDING:
        raise Refused(f"{part.label} 正在发送 (另一个请求), 请稍后刷新查看结果")
    if state == State.UNKNOWN:
        raise Refused(f"{part.label} 上次发送结果未知: 请先确认对方是否收到 (售后单页或 opsdesk case checked), 不会自动重发")
    return False


def _finish(case: Case, record: SendRecord, state: str, *, user: User | None, error: str = "") -> None:
    actions: dict[str, str] = {State.SENT: "send", State.FAILED: "send_failed", State.UNKNOWN: "send_unknown"}
    with transaction.atomic():
        SendRecord.objects.filter(pk=record.pk, state=State.SENDING).update(state=state, error=error, finished_at=now())
        note = f"{record.channel} → {record.detail}" + (f": {error}" if error else "")
        event_record(case, action=actions[state], user=user, from_state=case.state, to_state=case.state, note=note)


def part_checked(case: Case, *, send_id: int, delivered: bool, user: User, note: str = "") -> SendRecord:
    """A person says whether a send of unknown outcome (or one stuck in sending) arrived: delivered counts as
    sent; not delivered counts as failed, so that the next send tries it again."""
    state = State.SENT if delivered else State.FAILED
    with transaction.atomic():
        checked = SendRecord.objects.filter(pk=send_id, case=case, state__in=[State.UNKNOWN, State.SENDING])
        if not checked.update(state=state, finished_at=now()):
            raise Refused(f"发送记录 #{send_id} 不是待确认的发送 (只有结果未知或发送中的可确认)")
        record = SendRecord.objects.get(pk=send_id)
        words = "已确认收到" if delivered else "已确认未收到, 可重发"
        event_record(case, action="send_checked", user=user, from_state=case.state, to_state=case.state,
                     note=f"{record.channel} → {record.detail}: {words}" + (f" — {note}" if note else ""))
    return record
