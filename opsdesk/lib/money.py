"""Money: Decimal yuan, two places, never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any

from django.db import models

CENT = Decimal("0.01")


def parse_money(text: str | None) -> Decimal | None:
    """'¥1,234.50' → Decimal('1234.50'); blank → None; anything else raises ValueError."""
    cleaned = (text or "").strip().replace(",", "").replace("¥", "").replace("￥", "").replace("元", "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
        if not value.is_finite():
            raise ValueError(f"不是金额: {text!r}")
        # 1e+30 has no two-place form within the context's precision: InvalidOperation, refused like text.
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"不是金额: {text!r}") from exc


def yuan(value: Decimal | None) -> str:
    """Two places; a value too big for that (stored before amounts were checked) is shown as it is."""
    if value is None:
        return ""
    try:
        return f"{value.quantize(CENT, rounding=ROUND_HALF_UP)}"
    except InvalidOperation:
        return f"{value:f}"


class MoneyColumn(models.DecimalField):
    """A DecimalField whose stored values are read with room to spare: SQLite keeps whatever was written (a
    pre-validation 99999999999999999999 became 1e+20), and Django's reader, quantizing within max_digits,
    raised InvalidOperation on every page showing it. Written values are still checked by the forms."""

    @property
    def context(self) -> Context:
        return Context(prec=max(28, (self.max_digits or 0) + 20))

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
