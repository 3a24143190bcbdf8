"""Pictures people upload (case screenshots, prescription scans): checked by what they are, not by their name,
and written readable by the desk's own user only."""

from __future__ import annotations

import io
import os
import tempfile
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from opsdesk.lib.errors import Refused

FORMATS = {"JPEG": (".jpg", "image/jpeg"), "PNG": (".png", "image/png")}
MAX_PIXELS = 50_000_000  # a phone's screenshot is a few million; more is a decompression bomb


def image_format(content: bytes) -> str:
    """'JPEG' or 'PNG' for an image Pillow reads whole; Refused for anything else."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(content)) as image:
                found, size = image.format or "", image.size
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
                Image.DecompressionBombError) as exc:
            raise Refused("不是可读取的 JPEG 或 PNG 图片") from exc
    if found not in FORMATS:
        raise Refused(f"图片格式 {found or '未知'} 不支持: 只收 JPEG 或 PNG")
    if size[0] * size[1] > MAX_PIXELS:
        raise Refused(f"图片 {size[0]}×{size[1]} 像素太大")
    return found


def private_write(target: Path, content: bytes) -> None:
    """Create the file 0600 (folders 0700), whole or not at all: these pictures show names, phones, addresses.
    Written under a temporary name of its own (mkstemp makes it 0600), so two writers of one file never clash."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
