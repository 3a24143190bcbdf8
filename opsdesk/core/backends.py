"""Login: throttled by django-axes (a username from one IP is locked after AXES_FAILURE_LIMIT failures for
AXES_COOLOFF_TIME; the attempts and lock-outs are in the admin, 访问尝试), then people only; no password for the
system account."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext

from opsdesk.core.roles import SYSTEM


class LoginThrottle(AxesStandaloneBackend):
    """Axes' check before Django's ModelBackend. An authenticate() without a request (a test client's login, a
    shell session) is no login over the web and has nothing to throttle."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)  # type: ignore[no-any-return]


class PeopleOnly(ModelBackend):
    """Django's password login and session check, for people: the system account (cron jobs, the worker) is
    refused even if it somehow had a password, and a session made for it is not accepted."""

    def user_can_authenticate(self, user: Any) -> bool:
        return user.get_username() != SYSTEM and super().user_can_authenticate(user)


class NoSystemPassword:
    """A password validator: Django's `changepassword`, the admin's password form and `opsdesk user password` all
    validate a new password first, so none of them can give the system account one."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is not None and user.get_username() == SYSTEM:
            raise ValidationError(gettext("系统账号 (定时任务和后台进程) 不能设置密码"), code="system_account")

    def get_help_text(self) -> str:
        return gettext("系统账号不能设置密码。")


def throttled_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The name a login attempt is counted under (AXES_USERNAME_CALLABLE): the one given, cut to what axes' record
    holds. A longer one (anyone can post one) failed its insert on PostgreSQL: a 500 on the login page."""
    from axes.models import AccessAttempt

    given = credentials.get("username") if credentials else request.POST.get("username")
    limit = AccessAttempt._meta.get_field("username").max_length
    return given[:limit] if isinstance(given, str) else given
