"""Permissions of the rules app per role (see opsdesk.core.roles). Prescription review is the pharmacists' alone."""

from __future__ import annotations

_SEE = ["rules.view_ruleconfig", "rules.view_acknowledgement", "rules.view_tcmcheck", "rules.view_rxreview"]

ROLE_PERMISSIONS = {
    "operator": [*_SEE, "rules.add_acknowledgement", "rules.add_tcmcheck"],
    "service": [*_SEE, "rules.add_acknowledgement"],
    "pharmacist": [*_SEE, "rules.add_rxreview", "rules.review_prescription", "rules.add_tcmcheck"],
}

# 药品网络销售监督管理办法: only a pharmacist reviews prescriptions, not the admin role, not a superuser.
EXCLUSIVE = ["rules.review_prescription"]

# Kept five years: no role may delete them, not even the admin role (opsdesk.core.roles.kept_deletes).
KEPT = ["rules.acknowledgement", "rules.tcmcheck", "rules.rxreview", "rules.usedprescription"]
