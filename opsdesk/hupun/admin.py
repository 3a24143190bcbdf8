from __future__ import annotations

from django.contrib import admin

from opsdesk.hupun.models import HupunCode, PullCursor


@admin.register(HupunCode)
class HupunCodeAdmin(admin.ModelAdmin):
    list_display = ["field", "code", "label"]
    list_filter = ["field"]
    list_editable = ["label"]


@admin.register(PullCursor)
class PullCursorAdmin(admin.ModelAdmin):
    """Moving a cursor back makes the next pull fetch again from there (the writes are idempotent)."""

    list_display = ["endpoint", "at", "updated_at"]
