"""The invoice request in the notes' own lines ("发票 / 提供万里牛XD开头订单编号: … / 信息: / 抬头 / 税号 / 邮箱地址"),
each filled in. Only a text still at its default changes."""

import importlib
from typing import Any

from django.db import migrations

SCREENSHOT_LINES = importlib.import_module("opsdesk.aftersales.migrations.0009_claim_screenshot_lines")
NOTES_LINES = ("发票\n提供万里牛XD开头订单编号: {{ erp_order_no }}\n信息:\n抬头: {{ invoice_title }}\n"
               "税号: {{ tax_id }}\n邮箱地址: {{ invoice_email }}")


def notes_lines(case_type: str, kind: str, text: str) -> str | None:
    return NOTES_LINES if (case_type, kind) == ("invoice", "invoice_request") else None


def rewrite(apps: Any, *, back: bool) -> None:
    SCREENSHOT_LINES.defaults_rewrite(apps, notes_lines, back=back)


class Migration(migrations.Migration):
    dependencies = [("aftersales", "0010_lost_parcel_reissued")]

    operations = [migrations.RunPython(lambda apps, _: rewrite(apps, back=False),
                                       lambda apps, _: rewrite(apps, back=True))]
