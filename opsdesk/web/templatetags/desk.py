"""Template helpers: roles, masking and Shanghai times for values that may be datetimes or ISO strings."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath
from typing import Any

from django import template
from django.conf import settings
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opsdesk.lib.dates import local
from opsdesk.lib.masking import mask_phone
from opsdesk.web.access import User, may, user_role_set
from opsdesk.web.fragments import fragment

register = template.Library()

ROLE_LABELS = {"operator": _("运营"), "service": _("客服"), "pharmacist": _("药师"), "admin": _("管理员")}


@register.filter(name="may")
def may_filter(user: User, action: str) -> bool:
    return may(user, action)


@register.filter(name="mask_phone")
def mask_phone_filter(phone: str | None) -> str:
    return mask_phone(phone)


@register.filter
def basename(path: str | None) -> str:
    """The file's own name: the folder it was imported from (inbox, upload area, a server path) says nothing."""
    return PurePath(path or "").name


@register.filter
def shanghai(value: Any, fmt: str = "Y-m-d H:i") -> str:
    """A datetime or ISO 8601 string shown in Asia/Shanghai time; '' for nothing."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return str(value)
    if fmt == "Y-m-d H:i":
        # The desk's one everyday format: strftime is several times cheaper than Django's date_format, and a
        # queue page shows fifty of them.
        return local(value).strftime("%Y-%m-%d %H:%M")
    return date_format(local(value), fmt)


@register.simple_tag
def shop_name() -> str:
    return str(settings.SHOP_NAME)


@register.simple_tag(takes_context=True)
def desk_nav(context: template.Context) -> SafeString:
    """The menu, rendered once per page and kind of visitor (it shows each role only what it may open)."""
    request, user = context["request"], context["user"]
    here = request.resolver_match.url_name if request.resolver_match else None
    key = ("nav", here, may(user, "import"), may(user, "cod_report"), user.is_staff)
    return fragment(request, "web/base.html#nav", {}, key=key)


@register.simple_tag
def role_names(user: User) -> str:
    return " · ".join(str(ROLE_LABELS.get(role, role)) for role in sorted(user_role_set(user)))


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """`mapping|get:key` for dicts keyed by a variable."""
    try:
        return mapping.get(key)
    except AttributeError:
        return getattr(mapping, str(key), None)


SEVERITY_LABELS = {"high": _("高"), "medium": _("中"), "low": _("低")}
MESSAGE_KINDS = {
    "buyer_reply": _("买家回复"), "courier_report": _("快递群报备"), "erp_note": _("补发备注"),
    "warehouse_note": _("仓库群"), "return_tip": _("退货提示"), "invoice_request": _("开票信息"),
}


@register.filter
def severity(code: str) -> str:
    return str(SEVERITY_LABELS.get(code, code))


@register.filter
def message_kind(code: str) -> str:
    return str(MESSAGE_KINDS.get(code, code))


@register.filter
def minutes_ago(minutes: int | None) -> str:
    """An age as the strip says it: 刚刚, 12 分钟前, 3 小时前, 2 天前."""
    if minutes is None:
        return ""
    if minutes < 1:
        return gettext("刚刚")
    if minutes < 60:
        return gettext("%(n)s 分钟前") % {"n": minutes}
    if minutes < 48 * 60:
        return gettext("%(n)s 小时前") % {"n": minutes // 60}
    return gettext("%(n)s 天前") % {"n": minutes // (24 * 60)}
