"""The case-open form the desk and `opsdesk case open` share (through `case_open`): sizes from the Case model.
The tax id and the invoice e-mail keep their own checks (validators.py), which name what is wrong with them."""

from __future__ import annotations

from django import forms

from opsdesk.aftersales.models import Case, CaseType
from opsdesk.lib.forms import MomentField, money_field, note_field, qty_field, text_field
from opsdesk.orders.models import Product, Unit


class CaseOpenForm(forms.Form):
    type = forms.ChoiceField(choices=CaseType.choices, label="类型")
    order_no = forms.CharField(max_length=64, label="订单号")
    channel = forms.CharField(max_length=20, required=False, label="平台")
    amount = money_field(Case, "amount")
    qty = qty_field(Case, "qty")
    unit = forms.ChoiceField(choices=[("", "—"), *Unit.choices], required=False, label="单位")
    note = note_field("说明")
    title = text_field(Case, "invoice_title")
    tax_id = forms.CharField(max_length=64, required=False, label="税号")
    email = text_field(Case, "invoice_email")
    deadline = MomentField(required=False, label=str(Case._meta.get_field("deadline").verbose_name))


class ReissueSkuForm(forms.Form):
    """A reissue SKU filled in on the case: the order line's SKU and the SKU the reissue order uses instead."""

    sku = text_field(Product, "sku", required=True)
    reissue_sku = text_field(Product, "reissue_sku", required=True)
