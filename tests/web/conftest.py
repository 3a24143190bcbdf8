from __future__ import annotations

import pytest
from django.core.cache import caches

from opsdesk.web.cache import desk_cache


@pytest.fixture(autouse=True)
def _fresh_desk_cache() -> None:
    """Counts shared between requests (opsdesk/web/cache.py) and the tables rendered from them
    (opsdesk/web/fragments.py) must not leak from one test into the next."""
    desk_cache().clear()
    caches["fragments"].clear()
