"""The admin's user pages, less one account: the system account (cron jobs, the worker) is shown but cannot be
edited there, so nobody gives it a password, a staff flag or another role. Nor can anyone change their own roles,
permissions or flags: an admin who put himself in 药师 would approve prescriptions (another admin may give the
role; the admin's history records who did)."""

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


# The fields of one's own account that only someone else may change.
OWN_FIXED = ("groups", "user_permissions", "is_superuser", "is_staff", "is_active")


class PeopleUserAdmin(UserAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fixed = OWN_FIXED if obj is not None and obj.pk == request.user.pk else ()
        return (*super().get_readonly_fields(request, obj), *fixed)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_system(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_system(obj) and super().has_delete_permission(request, obj)


admin.site.unregister(User)
admin.site.register(User, PeopleUserAdmin)
