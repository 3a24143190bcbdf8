"""Screenshots of a lost-parcel or damaged case, given when it is opened (`case open --screenshot`) or added on
the case page (upload and paste) through the same checks: the transaction screenshot and the damage photos that go with the claim e-mail. Each is checked by its content, not
its name (a JPEG or PNG that Pillow can read, within the size limits), and kept under DATA_DIR/cases readable by
the desk's own user only (0600), named by its hash."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from PIL import Image

from opsdesk.aftersales.events import event_record
from opsdesk.aftersales.messages import CLAIM_TYPES
from opsdesk.aftersales.models import Case, CaseFile, CaseType
from opsdesk.aftersales.permissions import VIEW_CASE_PERMISSION, case_permission_require
from opsdesk.aftersales.selectors import case_get
from opsdesk.core.roles import permission_require
from opsdesk.lib.errors import Refused, Unknown
from opsdesk.lib.images import FORMATS, image_format, private_write

KINDS = ("交易截图", "破损照片")
SCREENSHOT_MAX_BYTES = 20 * 1024 * 1024
THUMB_PIXELS = 240


@dataclass(frozen=True)
class Screenshot:
    name: str
    content: bytes
    suffix: str
    digest: str  # the content's sha256 (hex): where it is kept, and how a picture chosen twice is known


def screenshot_clean(*, name: str, content: bytes, kind: str) -> Screenshot:
    """The upload checked by content and size, named `{kind} {name}` with the suffix of what it really is."""
    base = Path(str(name or "")).name.strip() or "截图"
    if not content:
        raise Refused(f"截图 {base} 是空的")
    if len(content) > SCREENSHOT_MAX_BYTES:
        raise Refused(f"截图 {base} 超过 {SCREENSHOT_MAX_BYTES // 1024 // 1024} MB")
    try:
        suffix = FORMATS[image_format(content)][0]
    except Refused as exc:
        raise Refused(f"截图 {base}: {exc}") from exc
    label, stem = kind if kind in KINDS else KINDS[0], Path(base).stem[:150]
    name = f"{stem}{suffix}" if stem.startswith(label) else f"{label} {stem}{suffix}"
    return Screenshot(name=name, content=content, suffix=suffix, digest=hashlib.sha256(content).hexdigest())


def screenshots_clean(*, files: list[tuple[str, bytes]], kind: str) -> list[Screenshot]:
    """Every file checked by `screenshot_clean`: the desk's upload and `case open --screenshot` alike."""
    return [screenshot_clean(name=name, content=content, kind=kind) for name, content in files]


def screenshots_distinct(shots: list[Screenshot]) -> list[Screenshot]:
    """The same picture chosen twice (as a screenshot and as a photo, or twice over) is refused before anything is
    stored: a case keeps each picture once."""
    seen: dict[str, str] = {}
    for shot in shots:
        if shot.digest in seen:
            raise Refused(f"同一张图片选了两次: {seen[shot.digest]} 和 {shot.name}")
        seen[shot.digest] = shot.name
    return shots


def screenshots_allowed(*, case_type: str) -> None:
    """Only lost-parcel and damaged cases send screenshots (with the claim e-mail)."""
    if case_type not in CLAIM_TYPES:
        raise Refused(f"只有丢件和破损售后需要截图; 这是{CaseType(case_type).label}")


def screenshot_store(*, case: Case, shot: Screenshot) -> CaseFile:
    """Kept 0600 under DATA_DIR/cases by content hash, so a file left by a rolled-back transaction is harmless
    and the same picture is stored once."""
    digest = shot.digest
    if case.files.filter(sha256=digest).exists():
        raise Refused(f"{shot.name} 已经上传过 (售后单 #{case.pk})")
    relative = Path("cases") / digest[:2] / f"{digest}{shot.suffix}"
    target = Path(settings.DATA_DIR) / relative
    if not target.exists():
        private_write(target, shot.content)
    return CaseFile.objects.create(case=case, name=shot.name, sha256=digest, size=len(shot.content), path=str(relative))


def case_screenshots_add(*, case_id: int, user: Any, files: list[tuple[str, bytes]], kind: str) -> list[CaseFile]:
    """Attach `files` (name, bytes) to a lost-parcel or damaged case, all or none; each is logged on the case."""
    if not files:
        raise Refused("没有选择截图")
    shots = screenshots_distinct(screenshots_clean(files=files, kind=kind))
    with transaction.atomic():
        case = case_get(case_id=case_id, lock=True)
        case_permission_require(user=user, case_type=case.type)
        screenshots_allowed(case_type=case.type)
        stored = [screenshot_store(case=case, shot=shot) for shot in shots]
        names = "、".join(shot.name for shot in shots)
        event_record(case, action="screenshot", user=user, from_state=case.state, to_state=case.state, note=f"上传截图 {names}")
    return stored


def case_file_image(*, case_id: int, file_id: int, user: Any, thumb: bool = False) -> tuple[bytes, str]:
    """(bytes, MIME type) of one of the case's screenshots, or a small JPEG of it with `thumb`."""
    permission_require(user, VIEW_CASE_PERMISSION, doing="查看售后截图")
    found = CaseFile.objects.filter(case_id=case_id, pk=file_id).first()
    if found is None:
        raise Unknown(f"售后单 #{case_id} 没有截图 {file_id}")
    try:
        content = (Path(settings.DATA_DIR) / found.path).read_bytes()
    except OSError as exc:
        raise Unknown(f"截图 {found.name} 的文件不见了: 请重新上传") from exc
    if not thumb:
        return content, FORMATS.get(image_format(content), ("", "application/octet-stream"))[1]
    return _thumbnail(content), "image/jpeg"


def _thumbnail(content: bytes) -> bytes:
    with Image.open(io.BytesIO(content)) as image:
        small = image.convert("RGB")
        small.thumbnail((THUMB_PIXELS, THUMB_PIXELS))
        buffer = io.BytesIO()
        small.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()
