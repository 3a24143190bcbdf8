"""Rule settings are edited here; the action records are shown read-only (they are never changed or deleted)."""

from __future__ import annotations

from django.contrib import admin

from opsdesk.core.keep import ReadOnly
from opsdesk.rules.models import Acknowledgement, RuleConfig, RxReview, TcmCheck


@admin.register(RuleConfig)
class RuleConfigAdmin(admin.ModelAdmin):
    list_display = ["code", "enabled", "severity", "warning_hours", "stale_hours"]
    list_editable = ["enabled", "severity", "warning_hours", "stale_hours"]


class RecordAdmin(ReadOnly, admin.ModelAdmin):
    """Who did what and when: kept five years, so nobody edits or deletes it here."""


@admin.register(Acknowledgement)
class AcknowledgementAdmin(RecordAdmin):
    list_display = ["order", "user", "at"]
    list_select_related = ["order", "user"]
    date_hierarchy = "at"


@admin.register(TcmCheck)
class TcmCheckAdmin(RecordAdmin):
    list_display = ["order", "user", "at", "note"]
    list_select_related = ["order", "user"]
    date_hierarchy = "at"


@admin.register(RxReview)
class RxReviewAdmin(RecordAdmin):
    list_display = ["order", "decision", "reviewer", "at", "prescription", "superseded_by"]
    list_filter = ["decision"]
    list_select_related = ["order", "reviewer"]
    search_fields = ["order__order_no", "prescription", "image_sha256"]
    date_hierarchy = "at"
