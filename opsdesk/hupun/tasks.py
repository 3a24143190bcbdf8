"""The scheduled pull (the worker enqueues `opsdesk.hupun.tasks.erp_pull` every 10 minutes, 08:00–20:00)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.tasks import task

from opsdesk.hupun.services import erp_pull as pull
from opsdesk.lib.errors import Refused

VIA = "opsdesk.hupun.tasks.erp_pull"


@task()
def erp_pull() -> dict[str, Any]:
    """From the cursors to now; the JSON of `opsdesk pull erp --json`. A failed pull raises, so the worker retries
    it (the cursor did not move, so the retry fetches the same windows again)."""
    if not settings.HUPUN_ENABLED:  # no OPEN API key: the channels come in by file instead
        return {"source": "erp", "status": "off"}
    result = pull(via=VIA)
    if not result.ok:
        raise Refused("; ".join(problem["message"] for problem in result.errors) or "万里牛 OPEN API 拉取失败")
    return result.as_json()
