"""Export files dropped on the desk's import page: saved (0600) under DATA_DIR/uploads, imported by the worker one
by one with progress the page polls, and removed as soon as each is imported, whatever its result."""

from __future__ import annotations

import contextlib
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from opsdesk.core.roles import permission_require
from opsdesk.imports.forms import upload_name
from opsdesk.imports.models import ImportStatus
from opsdesk.imports.profiles import source_check
from opsdesk.imports.services import IMPORT_PERMISSION, ImportResult, import_file
from opsdesk.lib.held import held
from opsdesk.live.models import Upload, UploadStatus
from opsdesk.live.tasks import upload_import

NAME_LIMIT = 120
# Held by the worker importing the upload (lib.held).
RUNNING_MARK = ".running"


def _folder(upload_id: uuid.UUID) -> Path:
    return Path(settings.DATA_DIR) / "uploads" / str(upload_id)


def _save(upload: UploadedFile, folder: Path, index: int) -> dict[str, str]:
    """Written under the person's name made safe (the suffix tells the reader the format), one folder per file: a
    refusal that names the file ("….xlsx: 无法读取") names the one they chose, not 000-….xlsx."""
    shown = Path(upload.name or "upload").name[-NAME_LIMIT:]
    own = folder / f"{index:03d}"
    own.mkdir(mode=0o700)
    path = own / upload_name(shown)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    path.chmod(0o600)
    return {"name": shown, "path": str(path)}


def upload_start(*, user: Any, files: Iterable[UploadedFile], source: str = "") -> Upload:
    """Save the files and queue their import; nothing is left behind if saving fails. The worker's import checks
    the permission again (the user may have been deactivated in between)."""
    permission_require(user, IMPORT_PERMISSION, doing="导入文件")
    if source:
        source_check(source)
    upload_id = uuid.uuid4()
    folder = _folder(upload_id)
    folder.mkdir(parents=True, mode=0o700)
    try:
        (folder / RUNNING_MARK).touch(mode=0o600)
        saved = [_save(upload, folder, index) for index, upload in enumerate(files)]
        with transaction.atomic():
            upload = Upload.objects.create(id=upload_id, user=user, source=source, files=saved)
            transaction.on_commit(lambda: upload_import.enqueue(str(upload_id)))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return upload


def _progress(upload: Upload, index: int) -> Any:
    def report(stage: str, count: int) -> None:
        upload.progress = {"file": index + 1, "files": len(upload.files), "name": upload.files[index]["name"],
                           "stage": stage, "count": count}
        Upload.objects.filter(pk=upload.pk).update(progress=upload.progress)

    return report


def upload_run(*, upload_id: str) -> dict[str, Any]:
    """Import the upload's files (the worker's task). Claimed first, so that a retry never imports it twice; held
    (lib.held) from before the claim until its outcome is stored, so that one found running and not held was left
    by a worker that died (uploads_abandoned_fail)."""
    mark = _folder(uuid.UUID(upload_id)) / RUNNING_MARK
    if not mark.exists():  # saved where this worker cannot see it, or finished and removed
        failed = _missing_fail(upload_id)
        return {"upload": upload_id, "status": UploadStatus.FAILED if failed else "already taken"}
    try:
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(held(mark, wait=True))
            except FileNotFoundError:  # finished by another run between the look and the hold
                return {"upload": upload_id, "status": "already taken"}
            return _run_held(upload_id)
    finally:
        shutil.rmtree(mark.parent, ignore_errors=True)


def _run_held(upload_id: str) -> dict[str, Any]:
    if not Upload.objects.filter(pk=upload_id, status=UploadStatus.QUEUED).update(status=UploadStatus.RUNNING):
        return {"upload": upload_id, "status": "already taken"}
    upload = Upload.objects.select_related("user").get(pk=upload_id)
    try:
        for index, item in enumerate(upload.files):
            _progress(upload, index)("start", 0)
            result = import_file(path=Path(item["path"]), source=upload.source or None, user=upload.user,
                                 name=item["name"], via="web", progress=_progress(upload, index))
            Path(item["path"]).unlink(missing_ok=True)
            upload.results.append(result.as_json())
            Upload.objects.filter(pk=upload.pk).update(results=upload.results)
        upload.status = UploadStatus.DONE
    except BaseException:
        upload.status = UploadStatus.FAILED
        raise
    finally:
        Upload.objects.filter(pk=upload.pk).update(status=upload.status)
    return {"upload": upload_id, "status": upload.status, "files": len(upload.results)}


# An import is one transaction: killed before its commit it wrote nothing, after it all (which a new upload of the same
# file finds unchanged); either way uploading again is right.
INTERRUPTED = "导入中断: 后台任务在导入这个文件时停止了 (被终止或内存不足), 文件已删除。请重新上传: 已写入的订单不会重复导入。"


def uploads_abandoned_fail() -> list[str]:
    """Uploads left running by a worker that died: failed, each file not imported named with why, and their files
    (personal data) removed. The worker looks at every pass."""
    failed = []
    for upload in Upload.objects.filter(status=UploadStatus.RUNNING):
        folder = _folder(upload.pk)
        try:
            with held(folder / RUNNING_MARK) as mine:
                if mine and _abandoned_mark(upload):
                    failed.append(str(upload.pk))
        except FileNotFoundError:  # an upload from before the mark, or its folder removed by hand
            if _abandoned_mark(upload):
                failed.append(str(upload.pk))
        if str(upload.pk) in failed:
            shutil.rmtree(folder, ignore_errors=True)
    return failed


MISSING = ("上传的文件不在后台进程的数据目录里, 没有导入: 运营台和后台进程须使用同一个 OPSDESK_DATA_DIR。"
           "请重新上传。")


def _missing_fail(upload_id: str) -> bool:
    """A queued upload whose folder this worker does not find (the desk saved it under another data directory)."""
    upload = Upload.objects.filter(pk=upload_id, status=UploadStatus.QUEUED).first()
    return upload is not None and _abandoned_mark(upload, MISSING, status=UploadStatus.QUEUED)


def _abandoned_mark(upload: Upload, why: str = INTERRUPTED, *, status: str = UploadStatus.RUNNING) -> bool:
    results = [*upload.results, *(ImportResult(file=item["name"], source=upload.source, status=ImportStatus.REJECTED,
                                               errors=[{"row": None, "column": None, "message": why}]).as_json()
                                  for item in upload.files[len(upload.results):])]
    return bool(Upload.objects.filter(pk=upload.pk, status=status).update(status=UploadStatus.FAILED, results=results))
