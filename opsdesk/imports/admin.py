from __future__ import annotations

from django.contrib import admin

from opsdesk.core.keep import ReadOnly
from opsdesk.imports.models import ImportProfile, ImportRecord


@admin.register(ImportProfile)
class ImportProfileAdmin(admin.ModelAdmin):
    list_display = ["source", "name", "kind", "channel_code", "default_payment", "updated_at"]
    list_filter = ["kind"]


@admin.register(ImportRecord)
class ImportRecordAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["at", "file_name", "source", "status", "rows", "created", "updated", "user", "seconds"]
    list_filter = ["status", "source"]
    search_fields = ["file_name", "sha256"]
