"""The one template engine for every case text: admin-edited Django templates rendered as plain text
(no HTML escaping) with a context built from the order and the case."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.template import Context, Engine, TemplateSyntaxError

from opsdesk.aftersales.models import (
    Case,
    CaseState,
    CaseType,
    ChatGroup,
    MessageTemplate,
    Profile,
    TemplateKind,
)
from opsdesk.aftersales.picture import picture_name
from opsdesk.aftersales.routing import (
    claim_recipients,
    config_get,
    courier_group,
    return_address_for,
    warehouse_group,
)
from opsdesk.lib.errors import Refused
from opsdesk.lib.masking import mask_address, mask_phone
from opsdesk.lib.money import yuan
from opsdesk.orders.models import Courier, Order, OrderLine, Product, Unit

ENGINE = Engine(autoescape=False)

K = TemplateKind
# What each case type shows, in the order an operator works through it.
KINDS: dict[str, tuple[str, ...]] = {
    CaseType.RETURN_REFUND: (K.BUYER_REPLY, K.COURIER_REPORT, K.RETURN_TIP),
    CaseType.LOST_PARCEL: (K.COURIER_REPORT,),
    CaseType.DAMAGED: (K.COURIER_REPORT,),
    CaseType.REISSUE: (K.ERP_NOTE,),
    CaseType.OMIT_PACKING_LIST: (K.WAREHOUSE_NOTE,),
    CaseType.INVOICE: (K.INVOICE_REQUEST,),
    CaseType.COMPLAINT: (),  # worked on the channel's own page: the case keeps what and by when
}
CLAIM_TYPES = (CaseType.LOST_PARCEL, CaseType.DAMAGED)


@dataclass
class Message:
    kind: str
    to: str
    text: str
    via: str = "copy"  # "dingtalk" when a robot posts it, otherwise someone copies it
    group: ChatGroup | None = None
    # Pictures that go with the text (the 不放清单 order picture): a person sends them with it, since neither the UM
    # group nor a DingTalk robot's text post can carry a file.
    attachments: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "to": self.to, "text": self.text, "via": self.via, "attachments": self.attachments,
                "app_label": str(self.group.get_app_display()) if self.group else ""}  # notes: 钉钉群 → 上元堂申通查件


@dataclass
class ClaimEmail:
    to: list[str]
    subject: str
    body: str
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (name, path under DATA_DIR)

    def as_json(self) -> dict[str, Any]:
        names = [name for name, _path in self.attachments]
        return {"to": self.to, "subject": self.subject, "body": self.body, "attachments": names}

    def as_message(self) -> EmailMessage:
        """The e-mail to send, screenshots read now: a missing file refuses before anything is claimed."""
        message = EmailMessage(self.subject, self.body, settings.DEFAULT_FROM_EMAIL, self.to)
        for name, content, mimetype in self.attachment_files():
            message.attach(name, content, mimetype)
        return message

    def attachment_files(self) -> list[tuple[str, bytes, str]]:
        """(name, bytes, MIME type) of each screenshot, read only when the e-mail is sent."""
        files = []
        for name, path in self.attachments:
            try:
                content = (Path(settings.DATA_DIR) / path).read_bytes()
            except OSError as exc:
                raise Refused(f"截图 {name} 的文件不见了 ({path}): 请重新上传") from exc
            files.append((name, content, mimetypes.guess_type(name)[0] or "application/octet-stream"))
        return files


def template_check(text: str) -> None:
    """Admin form validation: a template that does not compile is refused before it is saved."""
    try:
        ENGINE.from_string(text)
    except TemplateSyntaxError as exc:
        raise ValidationError(f"模板语法错误: {exc}") from exc


def amount_text(value: Decimal | None) -> str:
    """30.00 → '30', 12.50 → '12.50': how people write amounts in the chat groups."""
    if value is None:
        return ""
    return str(int(value)) if value == value.to_integral_value() else yuan(value)


def courier_name(order: Order) -> str:
    if order.courier in (Courier.ZTO, Courier.STO):
        return str(Courier(order.courier).label)
    return order.courier_raw or ""


def street_address(order: Order) -> str:
    """District + detailed address, without the province/city/district the export may repeat in it."""
    street = order.address.strip()
    for part in (order.province, order.city, order.district):
        if part and street.startswith(part):
            street = street[len(part):].lstrip()
    return f"{order.district}{street}"


def reissue_lines(order: Order) -> list[dict[str, Any]]:
    """Each line's SKU and the SKU the reissue order uses instead (Product.reissue_sku or the default)."""
    lines = list(order.lines.all())
    products = {p.sku: p for p in Product.objects.filter(sku__in=[line.sku for line in lines])}
    default = config_get().reissue_sku_default
    return [_reissue_line(line, products.get(line.sku), default) for line in lines]


def _reissue_line(line: OrderLine, product: Product | None, default: str) -> dict[str, Any]:
    reissue = (product.reissue_sku if product else "") or default
    return {"sku": line.sku, "reissue_sku": reissue, "name": line.name, "spec": line.spec, "qty": line.qty}


def handler_phone(case: Case) -> str:
    """The phone of whoever handles the case (who opened it), from their profile; '' when none is set."""
    profile = Profile.objects.filter(user_id=case.created_by_id).first() if case.created_by_id else None
    return profile.phone if profile else ""


def return_address_text(case: Case) -> str:
    """江苏省…上元堂售后收 上元堂{channel} 211100 {handler's phone}: the notes' return address for the case's channel."""
    channel = case.order.channel
    found = return_address_for(channel)
    if found is None:
        return ""
    shop = found.shop or f"{settings.SHOP_NAME}{channel.name}"
    return " ".join(part for part in (found.address, shop, found.postcode, handler_phone(case)) if part)


def context_build(case: Case, *, reveal: bool = True) -> dict[str, Any]:
    """The templates' context; without `reveal` the receiver's phone and address are masked (a page shows them
    so until someone reveals them, which is logged: see `case_contact_reveal`)."""
    context = _context(case)
    if not reveal:
        context.update(
            phone=context["phone_masked"], address=mask_address(case.order.address),
            street_address=f"{case.order.district}{mask_address(street_address(case.order)[len(case.order.district):])}",
        )
    return context


def _context(case: Case) -> dict[str, Any]:
    order = case.order
    lines = list(order.lines.all())
    reissue = reissue_lines(order) if case.type == CaseType.REISSUE else []
    return {
        "shop": settings.SHOP_NAME, "order_no": order.order_no, "erp_order_no": order.erp_order_no,
        "channel": order.channel.name, "channel_code": order.channel.code,
        "tracking_no": order.tracking_no, "courier": order.courier, "courier_name": courier_name(order),
        "receiver_name": order.receiver_name, "phone": order.receiver_phone,
        "phone_masked": mask_phone(order.receiver_phone),
        "province": order.province, "city": order.city, "district": order.district, "address": order.address,
        "street_address": street_address(order),
        "amount": amount_text(case.amount), "qty": case.qty or "", "note": case.note,
        "product_names": "、".join(line.name for line in lines if line.name),
        "reissue_sku": "、".join(line["reissue_sku"] for line in reissue if line["reissue_sku"]),
        "reissue_lines": reissue, "return_address": return_address_text(case), "unit": case.unit or Unit.BOX,
        "screenshots": [f.name for f in case.files.all()],
        "invoice_title": case.invoice_title, "tax_id": case.tax_id, "invoice_email": case.invoice_email,
        "case_type": case.get_type_display(), "case_id": case.pk, "reissued": _reissued(case),
    }


def _reissued(case: Case) -> bool:
    """A lost parcel's reissue is arranged (the notes' report ends "已安排补发")."""
    if case.type != CaseType.LOST_PARCEL or case.pk is None:
        return False
    return case.follow_ups.filter(type=CaseType.REISSUE).exclude(state=CaseState.CANCELLED).exists()


def template_for(case: Case, kind: str) -> MessageTemplate | None:
    """The courier's own template wins over the one for all couriers."""
    found = MessageTemplate.objects.filter(case_type=case.type, kind=kind, courier__in=[case.order.courier, ""])
    return found.order_by("-courier").first()


def render(template: MessageTemplate, context: dict[str, Any]) -> str:
    try:
        return ENGINE.from_string(template.text).render(Context(context, autoescape=False)).strip()
    except TemplateSyntaxError as exc:
        raise Refused(f"消息模板「{template}」有语法错误: {exc}") from exc


def case_messages(case: Case, context: dict[str, Any] | None = None) -> list[Message]:
    context = context if context is not None else context_build(case)
    messages = []
    for kind in KINDS[case.type]:
        template = template_for(case, kind)
        if template is not None:
            messages.append(_addressed(case, kind, render(template, context)))
    return messages


def _addressed(case: Case, kind: str, text: str) -> Message:
    order = case.order
    if kind == K.COURIER_REPORT:
        group = courier_group(order.courier)
        if group is None:
            return Message(kind, f"{courier_name(order) or '快递'} (未配置报备群)", text)
        return Message(kind, group.name, text, "dingtalk" if group.postable else "copy", group)
    if kind == K.WAREHOUSE_NOTE:
        group = warehouse_group()
        pictures = [picture_name(case)] if case.type == CaseType.OMIT_PACKING_LIST else []
        return Message(kind, group.name if group else "仓库群", text, group=group, attachments=pictures)
    # 平台补发 is made, and its note written, in the 电商管理系统, which passes it on to 万里牛 (the notes' link).
    fixed: dict[str, str] = {K.ERP_NOTE: "电商管理系统", K.INVOICE_REQUEST: "开票"}
    to = fixed.get(kind, f"买家 ({order.channel.name})")
    return Message(kind, to, text)


def claim_email(case: Case, context: dict[str, Any] | None = None) -> ClaimEmail | None:
    """The four-party claim e-mail of a lost/damaged case (recipients may be incomplete: send checks)."""
    if case.type not in CLAIM_TYPES:
        return None
    context = context if context is not None else context_build(case)
    subject, body = (template_for(case, kind) for kind in (K.EMAIL_SUBJECT, K.EMAIL_BODY))
    return ClaimEmail(
        to=claim_recipients(case.order.courier),
        subject=" ".join(render(subject, context).split()) if subject else f"{case.get_type_display()} {case.order.order_no}",
        body=render(body, context) if body else "",
        attachments=[(f.name, f.path) for f in case.files.all()],
    )

