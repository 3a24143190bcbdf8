"""`/imports/` drop export files (the whole morning's downloads at once): the worker imports them while the page
polls their progress, then shows each file's result: rows, created, updated, each error with its row and column,
warnings."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from opsdesk.imports.history import import_history
from opsdesk.imports.profiles import profile_choices
from opsdesk.live.models import Upload, UploadStatus
from opsdesk.live.uploads import upload_start
from opsdesk.web.access import require
from opsdesk.web.cache import changed


def _upload(request: HttpRequest, upload_id: str) -> Upload:
    """One of the user's own uploads (404 for anyone else's, or a malformed id)."""
    try:
        return Upload.objects.get(pk=upload_id, user_id=request.user.pk or 0)
    except (Upload.DoesNotExist, ValidationError) as exc:
        raise Http404(upload_id) from exc


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    require(request.user, "import")
    context: dict[str, Any] = {"sources": profile_choices(), "source": request.POST.get("source", "")}
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if not files:
            context["error"] = _("请选择要导入的文件。")
            return render(request, "web/imports.html", context, status=400)
        upload = upload_start(user=request.user, files=files, source=context["source"])
        return redirect(f"{reverse('imports')}?upload={upload.pk}")
    if request.GET.get("upload"):
        context["upload"] = _upload(request, request.GET["upload"])
    context["history"] = import_history()
    return render(request, "web/imports.html", context)


@login_required
def upload_progress(request: HttpRequest, upload_id: str) -> HttpResponse:
    """The upload's card, polled by htmx until the worker is done with it."""
    require(request.user, "import")
    upload = _upload(request, upload_id)
    if upload.status == UploadStatus.DONE:
        changed()
    return render(request, "web/imports.html#upload", {"upload": upload})
