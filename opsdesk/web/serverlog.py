"""gunicorn's own log, masked (PIPL): a malformed request is logged with its whole request line ("Invalid HTTP
request line: 'GET /orders/?q=13912345679\\x01 HTTP/1.1'"), query string and all, before Django ever sees it. Every
mobile number in a line of gunicorn's log is written as the pages show it (139****5679)."""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

from opsdesk.lib.masking import mask_phone

# A mainland mobile number, not inside a longer run of digits (an order or tracking number).
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def phones_masked(text: str) -> str:
    return MOBILE.sub(lambda found: mask_phone(found.group()), text)


class PhonesMasked(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = phones_masked(record.getMessage()), ()
        return True


class MaskedLogger(Logger):
    """`--logger-class` of `opsdesk serve`: gunicorn's logger with its error log (warnings, errors) masked."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.error_log.addFilter(PhonesMasked())
