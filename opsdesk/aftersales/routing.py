"""Where a case's texts go: the courier's chat group, the warehouse chat, the four claim mailboxes."""

from __future__ import annotations

from django.db.models import F, Q

from opsdesk.aftersales.models import AftersalesConfig, ChatGroup, Recipient, ReturnAddress
from opsdesk.lib.errors import Refused
from opsdesk.orders.models import Channel, Courier

# Claim e-mails always go to these three parties plus the courier's own service mailbox(es).
FIXED_ROLES = (Recipient.Role.REQUIRED, Recipient.Role.WANLI, Recipient.Role.AFTERSALES)


def courier_group(courier: str) -> ChatGroup | None:
    """The courier's report group (STO → 钉钉 上元堂申通查件, ZTO → QQ 上元堂对接群); a postable one first."""
    if not courier:
        return None
    groups = ChatGroup.objects.filter(active=True, purpose=ChatGroup.Purpose.COURIER, courier=courier)
    return sorted(groups, key=lambda group: (not group.postable, group.pk))[0] if groups else None


def warehouse_group() -> ChatGroup | None:
    return ChatGroup.objects.filter(active=True, purpose=ChatGroup.Purpose.WAREHOUSE).order_by("id").first()


def claim_recipients(courier: str) -> list[str]:
    """The four parties' addresses in a stable order (required, 万莉, 上元堂售后, the courier's service)."""
    active = Recipient.objects.filter(active=True)
    fixed = list(active.filter(role__in=FIXED_ROLES).order_by("role", "id"))
    fixed.sort(key=lambda rcpt: FIXED_ROLES.index(Recipient.Role(rcpt.role)))
    service = list(active.filter(role=Recipient.Role.COURIER_SERVICE, courier=courier).order_by("id"))
    return _unique([rcpt.email for rcpt in [*fixed, *service]])


def claim_recipients_missing(courier: str) -> list[str]:
    """Labels of the parties with no active mailbox, e.g. ['申通快递客服']."""
    active = Recipient.objects.filter(active=True)
    missing = [str(Recipient.Role(role).label) for role in FIXED_ROLES if not active.filter(role=role).exists()]
    if not courier or not active.filter(role=Recipient.Role.COURIER_SERVICE, courier=courier).exists():
        missing.append(f"{Courier(courier).label if courier else '快递'}客服")
    return missing


def claim_recipients_strict(courier: str) -> list[str]:
    missing = claim_recipients_missing(courier)
    if missing:
        raise Refused(f"理赔邮件缺少收件人: {'、'.join(missing)} (请在管理后台「理赔邮件收件人」中配置)")
    return claim_recipients(courier)


def config_get() -> AftersalesConfig:
    config = AftersalesConfig.objects.order_by("id").first()
    return config or AftersalesConfig(reissue_sku_default="")


def return_address_for(channel: Channel) -> ReturnAddress | None:
    """The channel's own return address, else the one for every other channel."""
    found = ReturnAddress.objects.filter(Q(channel=channel) | Q(channel=None))
    return found.order_by(F("channel").asc(nulls_last=True), "id").first()


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
