"""`/imports/` upload export files (several at once) and see each file's result: rows, created, updated,
each error with its row and column, warnings."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from opsdesk.imports.defaults import DEFAULT_PROFILES
from opsdesk.imports.services import import_file
from opsdesk.web.access import require
from opsdesk.web.cache import changed

SOURCES = [(profile["source"], profile["name"]) for profile in DEFAULT_PROFILES]


def _saved(upload: UploadedFile, folder: Path) -> Path:
    """The upload written under DATA_DIR/uploads (its suffix tells the reader the format)."""
    path = folder / get_valid_filename(Path(upload.name or "upload").name)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def _import_one(upload: UploadedFile, *, source: str | None, user: Any) -> Any:
    uploads = Path(settings.DATA_DIR) / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=uploads))
    try:
        # import_file reports a bad file as a rejected result; it does not raise.
        return import_file(path=_saved(upload, folder), source=source, user=user, name=upload.name, via="web")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    require(request.user, "import")
    context: dict[str, Any] = {"sources": SOURCES, "source": request.POST.get("source", "")}
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if not files:
            context["error"] = _("请选择要导入的文件。")
        else:
            context["results"] = [
                _import_one(upload, source=context["source"] or None, user=request.user) for upload in files
            ]
            changed()
    return render(request, "web/imports.html", context, status=400 if context.get("error") else 200)
