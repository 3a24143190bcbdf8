"""The pictures of a case: the 不放清单 order picture to copy or download, and (lost / damaged) the screenshots
that go with the claim."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from opsdesk.aftersales.picture import packing_list_picture, picture_name
from opsdesk.aftersales.screenshots import SCREENSHOT_MAX_BYTES, case_file_image, case_screenshots_add
from opsdesk.lib.errors import Refused, Unknown
from opsdesk.web.access import require
from opsdesk.web.cache import changed
from opsdesk.web.responses import refused
from opsdesk.web.views.cases import load_case


@login_required
def case_packing_picture(request: HttpRequest, case_id: int) -> HttpResponse:
    """The PNG; `?download=1` as a file named after the order. A refusal (not a 不放清单 case, no lines, no
    font) is said in plain text where the picture would be."""
    case = load_case(case_id)
    try:
        content = packing_list_picture(case=case)
    except Refused as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="image/png")
    response["Cache-Control"] = "private, no-cache"
    if request.GET.get("download"):
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=picture_name(case))
    return response


@login_required
@require_POST
def case_screenshots_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    """Screenshots chosen or pasted on the case page (several at once), all or none."""
    fallback = reverse("case", args=[case_id])
    require(request.user, "case_work")
    # One byte over the limit is enough to refuse: a huge upload is never read whole.
    files = [(upload.name or "", upload.read(SCREENSHOT_MAX_BYTES + 1)) for upload in request.FILES.getlist("image")]
    try:
        stored = case_screenshots_add(case_id=case_id, user=request.user, files=files, kind=request.POST.get("kind", ""))
    except Unknown as exc:
        raise Http404(str(exc)) from exc
    except Refused as exc:
        return refused(request, str(exc), fallback=fallback)
    changed()
    messages.success(request, gettext("已上传: %(names)s") % {"names": "、".join(f.name for f in stored)})
    return redirect(fallback)


@login_required
def case_file(request: HttpRequest, case_id: int, file_id: int) -> HttpResponse:
    """One screenshot of the case (`?thumb=1`: its thumbnail)."""
    try:
        content, content_type = case_file_image(case_id=case_id, file_id=file_id, user=request.user,
                                                thumb=bool(request.GET.get("thumb")))
    except Unknown as exc:
        raise Http404(str(exc)) from exc
    except Refused as exc:
        raise PermissionDenied(str(exc)) from exc
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, no-store"  # a screenshot of a chat shows a buyer's name and phone (PIPL)
    response["X-Content-Type-Options"] = "nosniff"
    return response
