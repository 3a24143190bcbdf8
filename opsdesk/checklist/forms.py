"""The sign-off form the desk and `opsdesk checklist sign` share (through `checklist_sign`)."""

from __future__ import annotations

from django import forms

from opsdesk.checklist.models import ChecklistItem
from opsdesk.lib.forms import column, note_field


class SignOffForm(forms.Form):
    code = forms.CharField(max_length=column(ChecklistItem, "code").max_length, label="事项代码")
    note = note_field("备注")
