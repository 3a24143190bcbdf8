"""The prescription-review form the desk and `opsdesk rx review` share (through `rx_review`)."""

from __future__ import annotations

from django import forms

from opsdesk.lib.forms import note_field, text_field
from opsdesk.rules.models import RxReview


class RxReviewForm(forms.Form):
    prescription = text_field(RxReview, "prescription")
    note = note_field("说明")
