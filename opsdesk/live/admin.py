"""Admins set each source's maximum age, the worker's schedules and where reminders go; reminders sent and the
desk's uploads are records, shown read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from opsdesk.core.keep import ReadOnly
from opsdesk.live.models import Reminder, ReminderPlan, Schedule, SourcePolicy, Upload


@admin.register(SourcePolicy)
class SourcePolicyAdmin(admin.ModelAdmin):
    list_display = ("source", "label", "max_age_minutes", "sort")
    list_editable = ("label", "max_age_minutes", "sort")


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "every_minutes", "starts", "ends", "enabled", "last_status", "last_finished_at")
    list_editable = ("every_minutes", "starts", "ends", "enabled")
    readonly_fields = ("last_status", "last_error", "last_finished_at")


@admin.register(ReminderPlan)
class ReminderPlanAdmin(admin.ModelAdmin):
    list_display = ("__str__", "group", "lead_minutes", "handover_at", "active")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not ReminderPlan.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("day", "key", "status", "at")
    list_filter = ("status",)


@admin.register(Upload)
class UploadAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("created_at", "user", "status", "source")
    list_filter = ("status",)
