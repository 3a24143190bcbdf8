"""The day's checklist with live counts: each item bound to a rule counts the orders that rule flags at `at`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Q

from opsdesk.checklist.models import SIGN_PERMISSION, BackEnd, ChecklistItem, ChecklistRun, Section, SignOff
from opsdesk.checklist.services import checklist_run_ensure
from opsdesk.core.roles import permission_has
from opsdesk.lib import dates
from opsdesk.rules.selectors import rule_counts_by_channel


def checklist_items(*, run: ChecklistRun) -> list[ChecklistItem]:
    """The active items, plus any an admin retired after someone signed them off in this run."""
    found = ChecklistItem.objects.filter(Q(active=True) | Q(signoffs__run=run)).distinct()
    return list(found.prefetch_related("channels").order_by("sort", "id"))


def checklist_signoffs(*, run: ChecklistRun) -> dict[int, SignOff]:
    """The latest sign-off of each item in the run."""
    latest: dict[int, SignOff] = {}
    for signoff in SignOff.objects.filter(run=run).select_related("user").order_by("at", "id"):
        latest[signoff.item_id] = signoff
    return latest


def _channel_codes(item: ChecklistItem) -> list[str]:
    return sorted(channel.code for channel in item.channels.all())


def checklist_item_count(*, item: ChecklistItem, counts: dict[str, dict[str, int]]) -> int | None:
    """How many orders the item's rule flags now; an item about some channels counts only theirs.
    `counts` is `rule_counts_by_channel` at the moment asked about."""
    if not item.rule:
        return None
    per_channel = counts.get(item.rule, {})
    codes = _channel_codes(item) or per_channel
    return sum(per_channel.get(code, 0) for code in codes)


def checklist_item_overdue(*, item: ChecklistItem, day: date, at: datetime, signed: bool) -> bool:
    """Unsigned and past its due time; an all-day item falls due at the day's end."""
    if signed:
        return False
    deadline = dates.at_time(day, item.due) if item.due else dates.day_end(day)
    return dates.local(at) > deadline


def _signoff_json(signoff: SignOff | None) -> dict[str, Any] | None:
    if signoff is None:
        return None
    return {"by": signoff.user.get_username(), "at": dates.iso(signoff.at), "note": signoff.note}


def _item_json(item: ChecklistItem, *, count: int | None, overdue: bool, signoff: SignOff | None) -> dict[str, Any]:
    codes = _channel_codes(item)
    return {
        "code": item.code,
        "section": item.section,
        "title": item.title,
        "due": item.due.strftime("%H:%M") if item.due else None,
        "rule": item.rule or None,
        "count": count,
        "overdue": overdue,
        "signed_off": _signoff_json(signoff),
        "section_title": _section_title(item.section),
        "channel": codes[0] if len(codes) == 1 else None,
        "channels": codes,
        "active": item.active,
        "permission": item.sign_permission,
    }


def checklist_summary(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many items there are, how many are signed off and how many overdue."""
    return {
        "items": len(rows),
        "signed_off": sum(1 for row in rows if row["signed_off"]),
        "overdue": sum(1 for row in rows if row["overdue"]),
    }


def checklist_backends(items: list[ChecklistItem]) -> list[dict[str, Any]]:
    """Each section (in the items' order) with the back-ends its steps are done in: the configured ones
    (BackEnd), then the login pages of the channels its items are about, each link once."""
    configured: dict[str, list[BackEnd]] = {}
    for backend in BackEnd.objects.all():
        configured.setdefault(backend.section, []).append(backend)
    links: dict[str, dict[str, str]] = {}
    for item in items:
        section = links.setdefault(item.section, {b.url: b.name for b in configured.get(item.section, [])})
        for channel in sorted(item.channels.all(), key=lambda c: (c.sort, c.code)):
            if channel.login_url:
                section.setdefault(channel.login_url, channel.name)
    return [
        {"section": code, "title": _section_title(code), "links": [{"name": n, "url": u} for u, n in found.items()]}
        for code, found in links.items() if found
    ]


def _section_title(code: str) -> str:
    return str(Section(code).label) if code in Section.values else code


def checklist_day(*, day: date, at: datetime, counts: dict[str, dict[str, int]] | None = None) -> dict[str, Any]:
    """The interface's checklist JSON for `day` as seen at `at` (the run is created on first look).
    `counts` is `rule_counts_by_channel` at `at` when the caller already has it (the desk shares it)."""
    run = checklist_run_ensure(day=day)
    items = checklist_items(run=run)
    signoffs = checklist_signoffs(run=run)
    if counts is None:
        counts = rule_counts_by_channel(at=at) if any(item.rule for item in items) else {}
    rows = [
        _item_json(
            item,
            count=checklist_item_count(item=item, counts=counts),
            overdue=checklist_item_overdue(item=item, day=day, at=at, signed=item.id in signoffs),
            signoff=signoffs.get(item.id),
        )
        for item in items
    ]
    return {
        "date": day.isoformat(),
        "at": dates.iso(at),
        "items": rows,
        "summary": checklist_summary(rows),
        "backends": checklist_backends(items),
    }


def checklist_signable(*, user: Any, items: list[dict[str, Any]]) -> frozenset[str]:
    """The codes of the items (as `checklist_day` gives them) that `user` may sign: each role sees its own."""
    return frozenset(item["code"] for item in items if permission_has(user, item.get("permission") or SIGN_PERMISSION))
