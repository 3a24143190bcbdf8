"""The sign-off form the desk and `opsdesk checklist sign` share (through `checklist_sign`)."""

from __future__ import annotations

from django import forms

from opsdesk.checklist.models import ChecklistItem
from opsdesk.lib.forms import NOTE_MAX, column


class SignOffForm(forms.Form):
    code = forms.CharField(max_length=column(ChecklistItem, "code").max_length, label="事项代码")
    note = forms.CharField(max_length=NOTE_MAX, required=False, label="备注")
