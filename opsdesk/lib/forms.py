"""Input checked by Django forms before any service stores it: the desk and the CLI hand the same raw values
to the same service, whose form refuses with a message naming the field. Sizes come from the model fields."""

from __future__ import annotations

import re
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


# Typed or pasted text must not carry characters that are invisible or rewrite how text around them shows: control
# characters (a terminal's colour escape, a BEL that made one prescription number look like two) and the bidi
# overrides and isolates (U+202A–202E, U+2066–2069, which turn 'RX-1' around on the page). A note keeps its line
# breaks and tabs.
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_HIDDEN_IN_LINE = re.compile("[\t\n\r]")


def _no_hidden(value: str, *, lines: bool) -> None:
    found = _HIDDEN.search(value) or (None if lines else _HIDDEN_IN_LINE.search(value))
    if found:
        raise forms.ValidationError(f"含有控制字符或不可见的方向字符 U+{ord(found.group()):04X}, 请删去后再试",
                                    code="hidden")


def note_field(label: str) -> forms.CharField:
    """Free text of a few lines (a TextField's note): bounded, without hidden characters."""
    return forms.CharField(max_length=NOTE_MAX, required=False, label=label,
                           validators=[lambda value: _no_hidden(value, lines=True)])


def column(model: type[models.Model], name: str) -> Any:
    return model._meta.get_field(name)


def text_field(model: type[models.Model], name: str, *, required: bool = False) -> forms.CharField:
    """A form field as long as the column may hold (bounded anyway when the column is TextField)."""
    field = column(model, name)
    return forms.CharField(required=required, max_length=field.max_length or NOTE_MAX, label=str(field.verbose_name),
                           validators=[lambda value: _no_hidden(value, lines=False)])


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


class NoteForm(forms.Form):
    note = note_field("说明")


def note_clean(note: str) -> str:
    """A service's free-text note as its form would clean it (bounded, no hidden characters), or Refused."""
    return str(validated(NoteForm, note=note)["note"])


def validated(form_class: type[forms.Form], **data: Any) -> dict[str, Any]:
    """The form's cleaned data, or Refused naming each field that is wrong (nothing is stored)."""
    from opsdesk.lib.errors import Refused

    raw = {key: "" if value is None else value for key, value in data.items()}
    form = form_class(data=raw)
    if not form.is_valid():
        raise Refused(form_problem(form))
    return form.cleaned_data
