"""The desk's own pages for a wrong address, a refused permission, a bad request and an expired form: in the desk's
frame and language, with the way back, instead of Django's bare English pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _


def _page(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "web/refused.html", {"flash": message}, status=status)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, _("找不到这个页面: %(path)s") % {"path": request.path}, 404)


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, _("没有权限打开这个页面"), 403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, MultiPartParserError):
        # Django reads at most 1,024 bytes of each uploaded file's headers: a name of some 300 Chinese characters.
        return _page(request, _("上传无法读取: 文件名太长 (约 300 个汉字以内) 或上传不完整。请改短文件名后重新上传"), 400)
    return _page(request, _("请求无效, 请返回重试"), 400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted after its page expired (or from elsewhere): say so, and let them reload and redo it."""
    return _page(request, _("页面已过期或来源无效, 请刷新页面后重新提交"), 403)
