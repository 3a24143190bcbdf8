"""The 不放清单 picture: the notes post, with `GW… 不放清单`, a picture of the order marking 商品名称、数量、sku, so
that the warehouse picks the right goods without the packing list. Drawn from the order's lines with Pillow and
a CJK font (Debian's fonts-wqy-microhei), the marked columns boxed in red as the notes' screenshot has them."""

from __future__ import annotations

import io
import unicodedata
from functools import cache, lru_cache
from typing import Any

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from opsdesk.aftersales.models import Case, CaseType
from opsdesk.lib.dates import local
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import OrderLine

# The order's line fields shown, left to right; the marked ones are those the warehouse needs.
COLUMNS = ("line_no", "sku", "name", "spec", "qty")
MARKED = ("sku", "name", "qty")
SIZE, PAD, ROW = 20, 14, 36
# What is drawn is bounded whatever the order holds (300 lines with 200-character names took 8.7 s and 335 MB):
# its first MAX_LINES lines, the others counted under the table, and the text columns cut to CUT characters with
# "…" (the numbers are short by their type). The warehouse reads the order itself for the rest.
MAX_LINES = 40
CUT = {"sku": 32, "name": 40, "spec": 20}
# What stands for a run of characters the font has no glyph for (Debian's font has U+FFFD); a code point of plane 16's private use area, which
# no font for Chinese text maps, shows what the font draws for those (its missing-glyph box).
PLACEHOLDER, UNMAPPED = "\ufffd", "\U0010fffd"
INK, GREY, GRID, MARK, HEAD = (31, 41, 51), (102, 120, 138), (200, 208, 216), (220, 38, 38), (238, 242, 246)


def _font(size: int) -> Any:
    return _font_at(settings.CJK_FONT, size)


@cache
def _font_at(path: str, size: int) -> Any:
    try:
        return ImageFont.truetype(path, size)
    except OSError as exc:
        raise Refused(f"找不到中文字体 {path} (OPSDESK_CJK_FONT; Debian: apt-get install fonts-wqy-microhei)") from exc


def _drawn(font: Any, text: str) -> tuple[tuple[int, int], bytes]:
    mask = font.getmask(text)
    return mask.size, bytes(mask)


@lru_cache(maxsize=16384)  # bounded: names may hold any of Unicode's characters
def _has_glyph(path: str, char: str) -> bool:
    """Pillow names no glyph; a character the font draws exactly as its missing-glyph box is one it lacks (and one
    that really looked like that box would be as unreadable)."""
    font = _font_at(path, SIZE)
    return _drawn(font, char) != _drawn(font, UNMAPPED)


def _drawable(text: str) -> str:
    """What the font can draw of a text, so that the warehouse reads the rest: format characters (zero-width ones,
    joiners, direction overrides, variation selectors) dropped, controls and line breaks a space, and each run of
    characters without a glyph (emoji, Arabic, Hebrew in Debian's CJK font) one PLACEHOLDER."""
    kept: list[str] = []
    for char in text:
        kind = unicodedata.category(char)
        if kind == "Cf":
            continue
        if kind in ("Cc", "Zl", "Zp", "Zs"):  # a font's missing glyph may be blank, as a space is: never a mark
            char = " "
        elif kind in ("Cs", "Cn") or not _has_glyph(settings.CJK_FONT, char):
            if kept[-1:] == [PLACEHOLDER]:
                continue
            char = PLACEHOLDER
        kept.append(char)
    return "".join(kept)


def _header(name: str) -> str:
    return str(OrderLine._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def _cell(name: str, value: object) -> str:
    text, limit = _drawable(str(value)), CUT.get(name)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def picture_table(case: Case) -> tuple[list[list[str]], int]:
    """The header and the rows drawn (the first MAX_LINES lines), and how many lines are left out."""
    lines = case.order.lines.order_by("line_no")
    drawn = [[_cell(name, value) for name, value in zip(COLUMNS, line, strict=True)]
             for line in lines.values_list(*COLUMNS)[:MAX_LINES]]
    left_out = lines.count() - MAX_LINES if len(drawn) == MAX_LINES else 0
    return [[_header(name) for name in COLUMNS], *drawn], left_out


def _widths(rows: list[list[str]], font: Any) -> list[int]:
    return [int(max(font.getlength(row[col]) for row in rows)) + 2 * PAD for col in range(len(COLUMNS))]


def _title(case: Case) -> list[str]:
    order = case.order
    placed = local(order.placed_at).strftime("%Y-%m-%d %H:%M") if order.placed_at else ""
    texts = (f"{order.order_no} 不放清单", f"{settings.SHOP_NAME} {order.channel.name} 下单时间 {placed}")
    return [_drawable(text).strip() for text in texts]


def _draw_table(draw: Any, rows: list[list[str]], widths: list[int], top: int, font: Any) -> None:
    lefts = [PAD + sum(widths[:col]) for col in range(len(widths))]
    right = PAD + sum(widths)
    draw.rectangle((PAD, top, right, top + ROW), fill=HEAD)
    for number, row in enumerate(rows):
        y = top + number * ROW
        draw.line((PAD, y, right, y), fill=GRID)
        for col, text in enumerate(row):
            draw.text((lefts[col] + PAD, y + (ROW - SIZE) // 2 - 2), text, font=font, fill=INK)
    bottom = top + len(rows) * ROW
    draw.line((PAD, bottom, right, bottom), fill=GRID)
    for col, name in enumerate(COLUMNS):
        if name in MARKED:
            draw.rectangle((lefts[col] + 3, top + 3, lefts[col] + widths[col] - 3, bottom - 3), outline=MARK, width=3)


def picture_name(case: Case) -> str:
    """The file name the picture goes by wherever it is sent from (download, `opsdesk case picture`)."""
    return f"{case.order.order_no}-不放清单.png"


def packing_list_picture(*, case: Case) -> bytes:
    """The PNG of the case's order lines (only for a 不放清单 case, whose order has lines)."""
    if case.type != CaseType.OMIT_PACKING_LIST:
        raise Refused(f"售后单 #{case.pk} 不是不放清单, 没有订单图片")
    rows, left_out = picture_table(case)
    if len(rows) == 1:
        raise Refused(f"订单 {case.order.order_no} 没有商品明细, 画不出订单图片")
    font, big = _font(SIZE), _font(SIZE + 6)
    widths, title = _widths(rows, font), _title(case)
    top = PAD + 2 * (SIZE + 14)
    bottom = top + 6 + len(rows) * ROW
    image = Image.new("RGB", (2 * PAD + sum(widths), bottom + (ROW if left_out else 0) + 2 * PAD), "white")
    draw = ImageDraw.Draw(image)
    draw.text((PAD, PAD), title[0], font=big, fill=INK)
    draw.text((PAD, PAD + SIZE + 14), title[1], font=font, fill=GREY)
    _draw_table(draw, rows, widths, top + 6, font)
    if left_out:
        draw.text((PAD, bottom + PAD), f"…另有 {left_out} 行 (共 {len(rows) - 1 + left_out} 行), 见订单页",
                  font=font, fill=GREY)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
