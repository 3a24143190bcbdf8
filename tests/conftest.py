from __future__ import annotations

import os

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from it are fine here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
