"""Input checked by Django forms before any service stores it: the desk and the CLI hand the same raw values
to the same service, whose form refuses with a message naming the field. Sizes come from the model fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db import models

from opsdesk.lib.money import parse_money

# Free text (notes) has no column limit (TextField); a note is a sentence or two, not a document.
NOTE_MAX = 2000
# Nobody sends or breaks more than this many of one item; a bigger number is a typing slip.
QTY_MAX = 9999
# The longest moment text worth parsing (2026-11-23T18:00:00.000000+08:00 is 32).
MOMENT_MAX = 40


def column(model: type[models.Model], name: str) -> Any:
    return model._meta.get_field(name)


def text_field(model: type[models.Model], name: str, *, required: bool = False) -> forms.CharField:
    """A form field as long as the column may hold (bounded anyway when the column is TextField)."""
    field = column(model, name)
    return forms.CharField(required=required, max_length=field.max_length or NOTE_MAX, label=str(field.verbose_name))


class MoneyField(forms.DecimalField):
    """Yuan as people type them ('¥1,234.50', '59 元') within the column's digits."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        try:
            return parse_money(str(value))
        except ValueError as exc:
            raise forms.ValidationError(f"{self.label}无效: {value}", code="invalid") from exc


def money_field(model: type[models.Model], name: str) -> MoneyField:
    field = column(model, name)
    largest = Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal("0.01")
    label = str(field.verbose_name)
    return MoneyField(
        required=False, max_digits=field.max_digits, decimal_places=field.decimal_places,
        min_value=Decimal("0.01"), max_value=largest, label=label, error_messages=_bounds(label),
    )


def qty_field(model: type[models.Model], name: str) -> forms.IntegerField:
    label = str(column(model, name).verbose_name)
    return forms.IntegerField(required=False, min_value=1, max_value=QTY_MAX, label=label, error_messages={
        **_bounds(label), "invalid": f"{label}无效 (应为整数)",
    })


def _bounds(label: str) -> dict[str, str]:
    return {
        "min_value": f"{label}必须大于 0",
        "max_value": f"{label}不能超过 %(limit_value)s",
        "max_digits": f"{label}最多 %(max)s 位数字",
        "max_whole_digits": f"{label}整数部分最多 %(max)s 位",
        "max_decimal_places": f"{label}最多 %(max)s 位小数",
    }


class MomentField(forms.Field):
    """A moment as the CLI's --at takes it (ISO 8601, Shanghai time without an offset; the desk's datetime-local
    input sends the same), within the years the desk accepts."""

    def to_python(self, value: Any) -> Any:
        from opsdesk.lib.dates import parse_moment
        from opsdesk.lib.errors import Refused

        text = str(value or "").strip()
        if not text:
            return None
        if len(text) > MOMENT_MAX:
            raise forms.ValidationError(f"{self.label}太长", code="invalid")
        try:
            return parse_moment(text)
        except Refused as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


def form_problem(form: forms.BaseForm) -> str:
    """The first error of each field, named by its label ('金额: 确保…')."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label or name) if field else ""
        message = str(errors[0])
        parts.append(message if not label or message.startswith(label) else f"{label}: {message}")
    return "; ".join(parts)


def validated(form_class: type[forms.Form], **data: Any) -> dict[str, Any]:
    """The form's cleaned data, or Refused naming each field that is wrong (nothing is stored)."""
    from opsdesk.lib.errors import Refused

    raw = {key: "" if value is None else value for key, value in data.items()}
    form = form_class(data=raw)
    if not form.is_valid():
        raise Refused(form_problem(form))
    return form.cleaned_data
