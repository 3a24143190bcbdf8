from __future__ import annotations

_VIEW = ["checklist.view_checklistitem", "checklist.view_checklistrun", "checklist.view_signoff"]

# Operators and service sign items off; everyone sees the checklist; the admin role edits the items.
ROLE_PERMISSIONS = {
    "operator": [*_VIEW, "checklist.add_signoff"],
    "service": [*_VIEW, "checklist.add_signoff"],
    "pharmacist": _VIEW,
}

# Kept five years: no role may delete them, not even the admin role (opsdesk.core.roles.kept_deletes).
KEPT = ["checklist.checklistrun", "checklist.signoff"]
