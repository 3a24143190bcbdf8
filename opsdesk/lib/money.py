"""Money: Decimal yuan, two places, never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def parse_money(text: str | None) -> Decimal | None:
    """'¥1,234.50' → Decimal('1234.50'); blank → None; anything else raises ValueError."""
    cleaned = (text or "").strip().replace(",", "").replace("¥", "").replace("￥", "").replace("元", "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"不是金额: {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"不是金额: {text!r}")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(value: Decimal | None) -> str:
    return "" if value is None else f"{value.quantize(CENT, rounding=ROUND_HALF_UP)}"
