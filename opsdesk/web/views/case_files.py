"""The pictures of a case: the 不放清单 order picture to copy or download, and (lost / damaged) the screenshots
that go with the claim."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from opsdesk.aftersales.picture import packing_list_picture
from opsdesk.lib.errors import Refused
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
        name = f"{case.order.order_no}-不放清单.png"
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
