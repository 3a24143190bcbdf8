"""One prescription serves one order (药品网络销售监督管理办法), held by the database: each reference, compared as a
person reads it, and each image, by its SHA-256, is claimed once in `UsedPrescription` under a unique constraint.
Of two approvals racing for the same prescription the second fails in the database, on SQLite and PostgreSQL
alike — not in a read before the write. The image is checked by its content (JPEG, PNG, PDF) and its size."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from opsdesk.lib.errors import Refused
from opsdesk.lib.images import FORMATS, image_format, private_write
from opsdesk.orders.models import Order, OrderLine
from opsdesk.rules.models import RxReview, UsedPrescription
from opsdesk.rules.registry import hm

PDF_SUFFIX = ".pdf"


# Signs that read as a hyphen but are none of Unicode's dashes (category Pd): minus signs, the hyphen bullet, the
# katakana long vowel mark a Chinese or Japanese input method gives for "-".
DASH_LIKE = frozenset("\u2212\u2796\u02d7\u2043\u30fc")


def reference_normalise(text: str) -> str:
    """The reference as compared: NFKC (full-width ＲＸ is RX), case-folded, without whitespace or invisible format
    characters (zero-width spaces and joiners, BOM, soft hyphen: Unicode category Cf) or control characters (Cc:
    the form refuses them; one stored before that must still match), every dash or sign read as one written "-"
    (a word processor's en dash, a minus: RX–7777 is RX-7777)."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text or "").casefold())
    return "".join("-" if ch in DASH_LIKE or unicodedata.category(ch) == "Pd" else ch
                   for ch in folded if not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc"))


def image_limit() -> int:
    return int(settings.RX_IMAGE_MAX_MB) * 1024 * 1024


def image_read(handle: Any) -> bytes:
    """An upload or a file read up to one byte past the limit: a 60 MB file is refused without reading it whole."""
    content = handle.read(image_limit() + 1)
    return content if isinstance(content, bytes) else bytes(content)


def image_suffix(image: bytes) -> str:
    """'.jpg', '.png' or '.pdf' for what the file really is; Refused for anything else or too big."""
    if not image:
        raise Refused("处方图片是空文件")
    if len(image) > image_limit():
        raise Refused(f"处方图片超过 {settings.RX_IMAGE_MAX_MB} MB (OPSDESK_RX_IMAGE_MAX_MB)")
    if image.startswith(b"%PDF-"):
        if b"%%EOF" not in image[-2048:]:
            raise Refused("处方 PDF 不完整 (没有 %%EOF 结尾)")
        return PDF_SUFFIX
    try:
        return FORMATS[image_format(image)][0]
    except Refused as exc:
        raise Refused(f"处方图片只收 JPEG、PNG 或 PDF: {exc}") from exc


def image_store(image: bytes) -> tuple[str, str]:
    """(sha256, path under DATA_DIR) of the checked image, kept 0600 under prescriptions/ named by its hash. A file
    left by a rolled-back review is harmless: the same image is stored once."""
    suffix = image_suffix(image)
    digest = hashlib.sha256(image).hexdigest()
    relative = Path("prescriptions") / f"{digest}{suffix}"
    target = Path(settings.DATA_DIR) / relative
    if not target.exists():
        private_write(target, image)
    return digest, str(relative)


def claims_of(*, reference: str, image_sha256: str) -> list[tuple[str, str]]:
    """(kind, value) pairs a review claims: its normalised reference and its image hash, where given."""
    normalised = reference_normalise(reference)
    limit = UsedPrescription._meta.get_field("value").max_length or 0
    if len(normalised) > limit:
        raise Refused(f"处方编号太长 (最多 {limit} 个字符)")
    pairs = [(UsedPrescription.Kind.REFERENCE, normalised), (UsedPrescription.Kind.IMAGE, image_sha256)]
    return [(kind, value) for kind, value in pairs if value]


def claim_holder(*, order: Order, claims: list[tuple[str, str]]) -> UsedPrescription | None:
    """The first claim another order already holds."""
    for kind, value in claims:
        held = UsedPrescription.objects.filter(kind=kind, value=value).select_related("order", "review").first()
        if held is not None and held.order_id != order.pk:
            return held
    return None


def claims_make(*, review: RxReview, claims: list[tuple[str, str]]) -> None:
    """Insert the claims the order does not hold yet; a clash with another order raises IntegrityError."""
    for kind, value in claims:
        if not UsedPrescription.objects.filter(kind=kind, value=value, order=review.order).exists():
            UsedPrescription.objects.create(kind=kind, value=value, order=review.order, review=review, at=review.at)


def reuse_refused(held: UsedPrescription) -> Refused:
    what = "处方图片" if held.kind == UsedPrescription.Kind.IMAGE else f"处方编号 {held.review.prescription}"
    return Refused(f"{what} 已用于另一订单 {held.order.order_no} ({hm(held.review.at)} 审核), 不能重复使用")


RxLines = list[dict[str, object]]


def rx_lines_of(rows: Iterable[tuple[str, str, int]]) -> RxLines:
    """(sku, name, qty) rows as an approval records them: by SKU (else name) and quantity, in a stable order."""
    return sorted(({"sku": sku or name, "qty": qty} for sku, name, qty in rows), key=lambda row: (row["sku"], row["qty"]))


def rx_lines(order: Order) -> RxLines:
    """What an approval approves: the order's Rx lines as (sku, qty), in a stable order."""
    return rx_lines_of(order.lines.filter(rx=True).values_list("sku", "name", "qty"))


def rx_lines_by_order(orders: QuerySet[Order]) -> dict[int, RxLines]:
    """order id → its Rx lines (as `rx_lines`), for many orders in one query; an order with none is left out."""
    rows: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for order_id, sku, name, qty in OrderLine.objects.filter(order__in=orders, rx=True).values_list(
            "order_id", "sku", "name", "qty"):
        rows[order_id].append((sku, name, qty))
    return {order_id: rx_lines_of(found) for order_id, found in rows.items()}
