"""Admins edit the checklist items; runs and sign-offs are records, shown read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from opsdesk.checklist.models import BackEnd, ChecklistItem, ChecklistRun, SignOff
from opsdesk.core.keep import ReadOnly


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ("code", "section", "title", "due", "rule", "permission", "sort", "active")
    list_editable = ("sort", "active")
    list_filter = ("section", "active", "rule")
    search_fields = ("code", "title")
    filter_horizontal = ("channels",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Sign-offs point at items; retire an item by unticking 启用 instead.
        return False


@admin.register(BackEnd)
class BackEndAdmin(admin.ModelAdmin):
    """万里牛, 电商管理系统…; the channels' own back-ends are their 后台链接 (平台)."""

    list_display = ("name", "url", "section", "sort")
    list_editable = ("sort",)
    list_filter = ("section",)


class SignOffInline(ReadOnly, admin.TabularInline):
    model = SignOff
    fields = ("item", "user", "at", "note")
    readonly_fields = fields
    extra = 0


@admin.register(ChecklistRun)
class ChecklistRunAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("day", "created_at")
    date_hierarchy = "day"
    inlines = [SignOffInline]


@admin.register(SignOff)
class SignOffAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("run", "item", "user", "at", "note")
    list_filter = ("item__section", "user")
    list_select_related = ("run", "item", "user")
    search_fields = ("item__code", "note", "user__username")
