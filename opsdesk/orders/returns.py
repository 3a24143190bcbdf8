"""The one definition of "the return is back in the warehouse" (notes: 万里牛查看 是否有 售后处理:新建售后单【…】,
代表已经回收进仓库). 万里牛 writes the marker into the note of its 售后单 (the after-sales export) or into the
order's 卖家备注 (`Order.erp_note`); either counts. The rule `returned_unrefunded` (a database filter) and the
return case (one order) both read it from here, so that they cannot disagree."""

from __future__ import annotations

import re

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from opsdesk.orders.models import ErpAftersale, Order

# The marker with a non-empty after-sales number; the same pattern is given to the database (REGEXP on SQLite,
# ~ on PostgreSQL). The plain prefix goes first so that the regular expression only runs on the few candidates.
RETURN_PATTERN = r"新建售后单【([^】]+)】"
RETURN_PREFIX = "新建售后单【"
_RETURN = re.compile(RETURN_PATTERN)


def return_ref(text: str | None) -> str | None:
    """The after-sales number of the marker in ``text`` (``SH0001`` of ``新建售后单【SH0001】``), or None."""
    found = _RETURN.search(text or "")
    return found.group(1) if found else None


def return_marked(field: str) -> Q:
    """A filter on a text field: it holds the marker."""
    return Q(**{f"{field}__contains": RETURN_PREFIX}) & Q(**{f"{field}__regex": RETURN_PATTERN})


def _return_notes() -> QuerySet[ErpAftersale]:
    return ErpAftersale.objects.filter(return_marked("note"))


def returned_filter() -> Q:
    """Orders whose return the ERP shows back in the warehouse (by its 售后单 or by the order's 卖家备注)."""
    notes = _return_notes()
    by_no = Q(order_no__in=notes.exclude(online_order_no="").values("online_order_no"))
    by_erp = Q(erp_order_no__in=notes.exclude(erp_order_no="").values("erp_order_no"))
    return by_no | by_erp | return_marked("erp_note")


def _notes_of_outer() -> QuerySet[ErpAftersale]:
    mine = Q(online_order_no=OuterRef("order_no")) | Q(erp_order_no=OuterRef("erp_order_no"), erp_order_no__gt="")
    return _return_notes().filter(mine).order_by("-created_at_source", "-id")


def return_annotations() -> dict[str, Subquery | Coalesce]:
    """Per order: the text holding the marker (the newest 售后单's note, else the 卖家备注) and when it was made."""
    notes = _notes_of_outer()
    return {
        "return_note": Coalesce(Subquery(notes.values("note")[:1]), F("erp_note")),
        "return_at": Subquery(notes.values("created_at_source")[:1]),
    }


def order_return_ref(order: Order) -> str | None:
    """The ERP's after-sales number once the return of ``order`` is back in the warehouse, or None."""
    found = Order.objects.filter(pk=order.pk).filter(returned_filter())
    notes = found.annotate(note=return_annotations()["return_note"]).values_list("note", flat=True)
    return return_ref(notes.first())
