"""`/reports/cod/?date=D` the 货到付款 sheet as a download; without `date`, the page: the sheet of `?day=D` (default
today) summed up — count, total, warnings per row, the person responsible — before anyone downloads it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header

from opsdesk.lib.dates import now, parse_day
from opsdesk.lib.errors import Refused
from opsdesk.reports.cod import cod_summary, cod_workbook
from opsdesk.web.access import require
from opsdesk.web.responses import refused

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def cod(request: HttpRequest) -> HttpResponse:
    require(request.user, "cod_report")
    fallback = reverse("cod")
    if not request.GET.get("date"):
        try:
            day = parse_day(request.GET.get("day"), default=now().date())
        except Refused as exc:
            return refused(request, str(exc), fallback=fallback)
        return render(request, "web/cod.html", {"day": day, "report": cod_summary(day=day)})
    try:
        filename, content, _report = cod_workbook(day=parse_day(request.GET["date"]), user=request.user)
    except Refused as exc:
        return refused(request, str(exc), fallback=fallback)
    response = HttpResponse(content, content_type=XLSX)
    # The Chinese file name travels RFC 5987-encoded (filename*=utf-8''…).
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
