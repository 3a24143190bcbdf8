"""The prescription-review form the desk and `opsdesk rx review` share (through `rx_review`)."""

from __future__ import annotations

from django import forms

from opsdesk.lib.forms import NOTE_MAX, text_field
from opsdesk.rules.models import RxReview


class RxReviewForm(forms.Form):
    prescription = text_field(RxReview, "prescription")
    note = forms.CharField(max_length=NOTE_MAX, required=False, label="说明")
