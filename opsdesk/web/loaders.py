"""What every view does first: load what the URL names, checking the user may see or change it."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from opsdesk.lib.dates import now, parse_day, parse_moment
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import Order
from opsdesk.rules.selectors import RULES, rule_counts_by_channel
from opsdesk.web.access import may, require
from opsdesk.web.cache import memo


def load_order(request: HttpRequest, channel: str, order_no: str, *, perm: str | None = None) -> Order:
    """The order (404 if unknown); with `perm`, 403 unless the user may do that action."""
    if perm:
        require(request.user, perm)
    queryset = Order.objects.select_related("channel")
    return get_object_or_404(queryset, channel__code=channel, order_no=order_no)


def moment(request: HttpRequest) -> datetime:
    """`?at=ISO` stands in for now (like the CLI's --at) for staff; everyone else sees the real time. A malformed
    one is refused (400, as the CLI's --at is): shown the real now instead, staff took it for the moment asked."""
    text = request.GET.get("at", "")
    if text and may(request.user, "moment"):
        return parse_moment(text)
    return now()


def live(request: HttpRequest) -> bool:
    """Whether the page shows the real now (not a staff member's `?at=`): only then are counts shared."""
    return not (request.GET.get("at") and may(request.user, "moment"))


def live_counts(request: HttpRequest, *, at: datetime) -> tuple[dict[str, dict[str, int]], datetime]:
    """`rule_counts_by_channel` at `at` and when it was counted: one count serves the checklist and the queues,
    shared for a minute between the workers (see cache.py)."""
    counts, counted_at = memo(
        "rule_counts_by_channel", at=at, compute=lambda: rule_counts_by_channel(at=at), shared=live(request)
    )
    return counts, counted_at


def rule_titles() -> dict[str, str]:
    """The rules' titles in the visitor's language (the CLI and JSON keep the interface's Chinese)."""
    return {code: gettext(title) for code, title in RULES.items()}


def day_param(request: HttpRequest, name: str = "date") -> date:
    """`?date=YYYY-MM-DD`, today when absent or malformed."""
    try:
        return parse_day(request.GET.get(name) or request.POST.get(name))
    except Refused:
        return now().date()
