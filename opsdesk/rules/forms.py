"""The prescription-review form the desk and `opsdesk rx review` share (through `rx_review`)."""

from __future__ import annotations

from django import forms

from opsdesk.lib.errors import Refused
from opsdesk.lib.forms import NOTE_MAX, text_field
from opsdesk.rules.models import RxReview

# A phone photo or a scanned page is a few MB; anything far bigger is not a prescription.
IMAGE_MAX_BYTES = 10 * 1024 * 1024


class RxReviewForm(forms.Form):
    prescription = text_field(RxReview, "prescription")
    note = forms.CharField(max_length=NOTE_MAX, required=False, label="说明")


def image_check(image: bytes | None) -> None:
    if image is not None and len(image) > IMAGE_MAX_BYTES:
        raise Refused(f"处方图片超过 {IMAGE_MAX_BYTES // 1024 // 1024} MB ({len(image) // 1024 // 1024} MB)")
