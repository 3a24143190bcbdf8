"""Deadline digests and the 17:30 handover, posted to the team's DingTalk group through its signed robot.

Each digest is claimed in the database (unique day + deadline) and committed before the post, and its outcome is
recorded afterwards in a second short transaction: whoever runs it, whenever, it goes out once. A post the robot
refused may be tried again on the next pass; none is posted again after it went out."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction

from opsdesk.aftersales.machine import next_states
from opsdesk.aftersales.models import Case, CaseEvent
from opsdesk.aftersales.senders import dingtalk_post
from opsdesk.checklist.selectors import checklist_day
from opsdesk.lib import dates
from opsdesk.lib.errors import OutcomeUnknown, Refused
from opsdesk.live.models import Reminder, ReminderPlan, ReminderStatus
from opsdesk.live.selectors import channel_sources, freshness_of, rule_channels, rule_sources, source_states
from opsdesk.rules.selectors import RULES, rule_counts

HANDOVER = "handover"
# A digest whose moment passed while no worker ran is still worth sending for this long.
HANDOVER_GRACE = timedelta(hours=2)


def reminder_plan() -> ReminderPlan:
    plan = ReminderPlan.objects.select_related("group").first()
    if plan is None or not plan.active:
        raise Refused("提醒未启用 (管理后台 → 提醒设置)")
    if plan.group is None or not plan.group.webhook_url:
        raise Refused("未配置提醒的钉钉群或其机器人 Webhook (管理后台 → 提醒设置)")
    return plan


def reminders_due(*, plan: ReminderPlan, run: dict[str, Any], at: datetime) -> list[str]:
    """The digests due at `at`: a deadline within the next `lead_minutes` with items unsigned, and the handover."""
    seen, day = dates.local(at), date.fromisoformat(run["date"])
    lead = timedelta(minutes=plan.lead_minutes)
    keys = sorted({item["due"] for item in run["items"] if item["due"] and not item["signed_off"]})
    due = [key for key in keys if _at(day, key) - lead <= seen < _at(day, key)]
    handover = dates.at_time(day, plan.handover_at)
    if handover <= seen < handover + HANDOVER_GRACE:
        due.append(HANDOVER)
    return due


def _at(day: date, hhmm: str) -> datetime:
    return dates.at_time(day, datetime.strptime(hhmm, "%H:%M").time())


def _item_line(item: dict[str, Any], stale: tuple[str, ...]) -> str:
    count = f": {item['count']} 单" if item["count"] is not None else ""
    mark = f" (数据过期: {'、'.join(stale)})" if stale else ""
    return f"- [{item['section_title']}] {item['title']}{count}{mark}"


def _stale_for(item: dict[str, Any], states: dict[str, Any], by_channel: dict[str, str],
               scoped: dict[str, list[str]]) -> tuple[str, ...]:
    if not item["rule"]:
        return ()
    sources = rule_sources(rule=item["rule"], channels=item["channels"], by_channel=by_channel, scoped=scoped)
    return freshness_of(sources=sources, states=states).stale


def digest_text(*, key: str, run: dict[str, Any], at: datetime) -> str:
    states = {state.source: state for state in source_states(at=at)}
    by_channel, scoped = channel_sources(), rule_channels()
    unsigned = [item for item in run["items"] if item["due"] == key and not item["signed_off"]]
    minutes = int((_at(date.fromisoformat(run["date"]), key) - dates.local(at)).total_seconds() // 60)
    lines = [f"【运营台提醒】{key} 截止 (还有 {max(minutes, 0)} 分钟), 以下 {len(unsigned)} 项未签核:"]
    lines += [_item_line(item, _stale_for(item, states, by_channel, scoped)) for item in unsigned]
    stale = [f"{state.label}" for state in states.values() if state.stale]
    if stale:
        lines.append(f"数据过期的来源: {'、'.join(stale)}")
    return "\n".join(lines)


def _cases_today(day: date) -> tuple[int, int]:
    start, end = dates.day_start(day), dates.day_end(day)
    opened = Case.objects.filter(created_at__gte=start, created_at__lt=end).count()
    moves = CaseEvent.objects.filter(at__gte=start, at__lt=end).exclude(to_state="").select_related("case")
    closed = {event.case_id for event in moves if not next_states(event.case.type, event.to_state)}
    return opened, len(closed)


def handover_text(*, run: dict[str, Any], at: datetime) -> str:
    items, summary = run["items"], run["summary"]
    opened, closed = _cases_today(date.fromisoformat(run["date"]))
    lines = [f"【运营台交接】{run['date']} {dates.local(at):%H:%M}",
             f"已签核 {summary['signed_off']}/{summary['items']} 项"]
    unsigned = [item for item in items if not item["signed_off"]]
    if unsigned:
        lines.append("未签核:")
        lines += [_item_line(item, ()) for item in unsigned]
    lines.append(f"售后: 今日新建 {opened} 件, 结案 {closed} 件")
    counts = rule_counts(at=at)
    left = [f"- {RULES[code]}: {count}" for code, count in counts.items() if count]
    lines += ["各队列剩余:", *left] if left else ["各队列已清空"]
    return "\n".join(lines)


def _claim(day: date, key: str, text: str) -> Reminder | None:
    """The digest's row, now ours to post; None when it went out already or its outcome is unknown."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(day=day, key=key, status=ReminderStatus.SENDING, text=text)
    except IntegrityError:
        retry = Reminder.objects.filter(day=day, key=key, status=ReminderStatus.FAILED)
        if retry.update(status=ReminderStatus.SENDING, text=text, error=""):
            return Reminder.objects.get(day=day, key=key)
    return None


def _post(plan: ReminderPlan, reminder: Reminder) -> dict[str, Any]:
    assert plan.group is not None
    try:
        dingtalk_post(plan.group, reminder.text)
    except OutcomeUnknown as exc:  # it may have arrived: a person checks the group rather than a second post
        Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.UNKNOWN, error=str(exc))
        return {"key": reminder.key, "status": ReminderStatus.UNKNOWN, "error": str(exc), "text": reminder.text}
    except Refused as exc:
        Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.FAILED, error=str(exc))
        return {"key": reminder.key, "status": ReminderStatus.FAILED, "error": str(exc), "text": reminder.text}
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.SENT)
    return {"key": reminder.key, "status": ReminderStatus.SENT, "error": None, "text": reminder.text}


def reminders_send(*, at: datetime) -> list[dict[str, Any]]:
    """Post every digest due at `at` that has not gone out; what was posted (or refused), one dict each."""
    plan = reminder_plan()
    day = dates.local(at).date()
    run = checklist_day(day=day, at=at)
    sent = []
    for key in reminders_due(plan=plan, run=run, at=at):
        text = handover_text(run=run, at=at) if key == HANDOVER else digest_text(key=key, run=run, at=at)
        reminder = _claim(day, key, text)
        if reminder is not None:
            sent.append(_post(plan, reminder))
    return sent
