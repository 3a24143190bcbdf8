"""Admin: texts, groups, mailboxes and settings are edited here; cases and tasks are read-mostly (history is
written by the services, never by hand)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from opsdesk.aftersales.models import (
    AftersalesConfig,
    Case,
    CaseEvent,
    CaseFile,
    ChatGroup,
    MessageTemplate,
    Profile,
    Recipient,
    ReturnAddress,
    SendRecord,
    StockoutTask,
)
from opsdesk.core.keep import ReadOnlyInline
from opsdesk.lib.masking import mask_phone


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = readonly_fields = ("at", "user", "action", "from_state", "to_state", "note")


class CaseFileInline(ReadOnlyInline):
    model = CaseFile
    fields = readonly_fields = ("name", "sha256", "size")


class SendRecordInline(ReadOnlyInline):
    model = SendRecord
    fields = readonly_fields = ("at", "channel", "detail", "user")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["id", "type", "state", "order_no", "receiver_phone", "amount", "created_by", "created_at"]
    list_filter = ["type", "state"]
    search_fields = ["order__order_no", "order__erp_order_no", "order__tracking_no"]
    readonly_fields = [
        "type", "order", "state", "amount", "qty", "invoice_title", "tax_id", "invoice_email",
        "created_by", "created_at",
    ]
    fields = [*readonly_fields, "note"]
    inlines = [CaseEventInline, CaseFileInline, SendRecordInline]
    list_select_related = ["order", "created_by"]

    @admin.display(description="订单编号")
    def order_no(self, obj: Case) -> str:
        return obj.order.order_no

    @admin.display(description="手机")
    def receiver_phone(self, obj: Case) -> str:
        return mask_phone(obj.order.receiver_phone)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["case_type", "kind", "courier", "text"]
    list_filter = ["case_type", "kind", "courier"]


class ChatGroupForm(forms.ModelForm):
    """The robot's signing secret is never shown again once saved: left blank it stays as it was."""

    secret = forms.CharField(
        label=_("加签密钥"), required=False, max_length=200, widget=forms.PasswordInput(render_value=False),
        help_text=_("钉钉机器人安全设置中的加签密钥; 已保存的密钥不再显示, 留空则保持不变"),
    )
    clear_secret = forms.BooleanField(label=_("清除加签密钥"), required=False)

    class Meta:
        model = ChatGroup
        fields = ["name", "app", "purpose", "courier", "webhook_url", "secret", "clear_secret", "active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("clear_secret"):
            cleaned["secret"] = ""
        elif not cleaned.get("secret"):
            cleaned["secret"] = self.instance.secret
        return cleaned


@admin.register(ChatGroup)
class ChatGroupAdmin(admin.ModelAdmin):
    form = ChatGroupForm
    list_display = ["name", "app", "purpose", "courier", "has_webhook", "active"]
    list_filter = ["app", "purpose", "courier", "active"]

    @admin.display(description="机器人", boolean=True)
    def has_webhook(self, obj: ChatGroup) -> bool:
        return bool(obj.webhook_url)


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ["role", "courier", "email", "active"]
    list_filter = ["role", "courier", "active"]


@admin.register(AftersalesConfig)
class AftersalesConfigAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reissue_sku_default"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not AftersalesConfig.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReturnAddress)
class ReturnAddressAdmin(admin.ModelAdmin):
    list_display = ["__str__", "channel", "address", "shop", "postcode"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "phone"]
    search_fields = ["user__username"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StockoutTask)
class StockoutTaskAdmin(admin.ModelAdmin):
    list_display = ["id", "action", "sku", "listing", "created_at", "done_by", "done_at", "superseded_at"]
    list_filter = ["action", "listing__channel"]
    search_fields = ["sku"]
    readonly_fields = ["sku", "listing", "action", "created_at", "created_by", "done_by", "done_at", "superseded_at"]
    fields = [*readonly_fields, "note"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

