from __future__ import annotations

# Operators upload the channels' exports; cron jobs and the worker import as the system account.
ROLE_PERMISSIONS = {
    "operator": ["imports.run_import", "imports.view_importrecord"],
    "system": ["imports.run_import"],
}
