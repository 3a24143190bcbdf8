"""Rendered once, shown many times: the big tables of the busiest pages (the day's checklist and queue tiles, a
queue's rows) are the same for everyone who looks between two recounts, and rendering them was most of those
pages' time (bench/web_bench.py). Each worker keeps the HTML it rendered for one shared count (the key carries
the moment cache.memo computed it, so a recount or a sign-off makes a new key); the forms' CSRF token, which
is each visitor's own, is put in afresh for every request."""

from __future__ import annotations

import hashlib
from collections.abc import Hashable
from typing import Any

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Stands in for the token while rendering; no template writes it otherwise.
CSRF_PLACEHOLDER = "csrf-token-of-the-request"
TIMEOUT_SECONDS = 15 * 60


def fragment(request: HttpRequest, template_name: str, context: dict[str, Any], *, key: Hashable | None) -> SafeString:
    """`template_name` rendered with `context`, reused while `key` (plus the language and database) is the same;
    `key=None` renders afresh (a staff member's look at another moment)."""
    if key is None:
        return mark_safe(render_to_string(template_name, context, request))  # noqa: S308 - our own template
    store = caches["fragments"]
    name = _name(template_name, key)
    html = store.get(name)
    if html is None:
        html = render_to_string(template_name, {**context, "csrf_token": CSRF_PLACEHOLDER}, request)
        store.set(name, html, TIMEOUT_SECONDS)
    if CSRF_PLACEHOLDER in html:  # only forms need the token (asking for it masks it afresh and sets the cookie)
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 - our own template


def _name(template_name: str, key: Hashable) -> str:
    parts = (template_name, get_language(), connection.settings_dict["NAME"], key)
    return hashlib.sha256(repr(parts).encode()).hexdigest()
