"""Personal data (PIPL): phones are masked in lists and logs, addresses never logged."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str:
    """13800000000 → 138****0000; short or already-masked values keep only what is safe to show."""
    digits = (phone or "").strip()
    if not digits:
        return ""
    if "*" in digits:
        return digits
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * len(digits)


def mask_name(name: str | None) -> str:
    text = (name or "").strip()
    if not text or "*" in text:
        return text
    return text[0] + "*" * (len(text) - 1) if len(text) > 1 else "*"


def mask_address(address: str | None) -> str:
    """示例路1号1单元101 → 示例****: enough to recognise which street, not to find the door."""
    text = (address or "").strip()
    if not text or "*" in text:
        return text
    return text[: min(2, len(text) - 1)] + "****"
