"""The worker's backup task (a schedule row in the admin runs it daily, see opsdesk/live)."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from opsdesk.core.backup import backup_make, backups_prune


@task()
def backup_daily(keep_days: int = 30) -> dict[str, Any]:
    """A backup under DATA_DIR/backups; the ones older than `keep_days` are removed (a failed backup removes
    nothing, so an old copy is never the last one lost)."""
    made = backup_make()
    return {**made, "pruned": backups_prune(keep_days=keep_days)}
