"""Export files dropped on the desk's import page: saved (0600) under DATA_DIR/uploads, imported by the worker one
by one with progress the page polls, and removed as soon as each is imported, whatever its result."""

from __future__ import annotations

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
from opsdesk.imports.profiles import source_check
from opsdesk.imports.services import IMPORT_PERMISSION, import_file
from opsdesk.live.models import Upload, UploadStatus
from opsdesk.live.tasks import upload_import

NAME_LIMIT = 120


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
    """Import the upload's files (the worker's task). Claimed first, so that a retry never imports it twice."""
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
        shutil.rmtree(_folder(upload.pk), ignore_errors=True)
        Upload.objects.filter(pk=upload.pk).update(status=upload.status)
    return {"upload": upload_id, "status": upload.status, "files": len(upload.results)}
