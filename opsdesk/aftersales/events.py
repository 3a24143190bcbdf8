"""A case's history and its order's, written together."""

from __future__ import annotations

from django.contrib.auth.models import User

from opsdesk.aftersales.models import Case, CaseEvent, CaseState
from opsdesk.lib.dates import now
from opsdesk.orders.models import OrderEvent

# What each action of a case's history is called on the desk (the JSON keeps the action's code).
ACTION_LABELS = {  # each a msgid of the locale (selectors translate them when shown)
    "open": "新建", "advance": "改状态", "erp": "万里牛同步", "screenshot": "上传截图", "reissue_sku": "设置补发SKU",
    "send": "已发送", "send_failed": "发送失败", "send_unknown": "发送结果未知", "send_checked": "已核实发送结果",
}


def event_record(case: Case, *, action: str, user: User | None, to_state: str, from_state: str = "",
                 note: str = "") -> None:
    """The case's history and the order's: who did what, from which state to which, when."""
    at = now()
    CaseEvent.objects.create(
        case=case, at=at, user=user, action=action, from_state=from_state, to_state=to_state, note=note
    )
    label = CaseState(to_state).label
    text = f"售后 #{case.pk} {case.get_type_display()}: {label}" + (f" — {note}" if note else "")
    OrderEvent.objects.create(order=case.order, at=at, user=user, kind=f"case_{action}", text=text)
