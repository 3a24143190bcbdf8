"""The admin's user pages, less one account: the system account (cron jobs, the worker) is shown but cannot be
edited there, so nobody gives it a password, a staff flag or another role."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from opsdesk.core.roles import SYSTEM

User = get_user_model()


def _is_system(obj: Any) -> bool:
    return obj is not None and obj.get_username() == SYSTEM


class PeopleUserAdmin(UserAdmin):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_system(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_system(obj) and super().has_delete_permission(request, obj)


admin.site.unregister(User)
admin.site.register(User, PeopleUserAdmin)
