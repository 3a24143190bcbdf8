"""Nothing about an order, review or case is ever hard-deleted: the destructive Django commands (flush, sqlflush,
a migrate that un-applies the migrations of an app holding kept records) refuse a database that holds orders, and
the admin offers no delete for the records kept five years."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import admin
from django.core.management.base import CommandError
from django.db import DatabaseError, connections


def _is_test_database(database: str) -> bool:
    """The test runner's own database (test_…), which it flushes between tests."""
    return Path(str(connections[database].settings_dict["NAME"])).name.startswith("test_")


def _orders_held(database: str) -> int:
    try:
        with connections[database].cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM orders_order")
            return int(cursor.fetchone()[0])
    except DatabaseError:  # not migrated yet: nothing to keep
        return 0


def refuse_wipe(*, database: str, command: str) -> None:
    if _is_test_database(database):
        return
    held = _orders_held(database)
    if held:
        raise CommandError(
            f"拒绝执行 {command}: 数据库中有 {held} 个订单及其审核、售后和历史记录, 须保存五年, 不能清空。"
            " 要重新开始请换一个空的数据目录 (OPSDESK_DATA_DIR)", returncode=1,
        )


def refuse_unmigrate(sender: Any, *, plan: list[tuple[Any, bool]] | None = None, using: str = "default",
                     **_: Any) -> None:
    """pre_migrate: `migrate orders zero` (or to any earlier migration of an app holding kept records) would drop
    or alter their tables; refused as a flush is. Runs before anything is un-applied."""
    from opsdesk.core.roles import kept_models

    kept = {label.partition(".")[0] for label in kept_models()}
    backwards = sorted({migration.app_label for migration, back in plan or () if back and migration.app_label in kept})
    if backwards:
        refuse_wipe(database=using, command=f"migrate (回退 {'、'.join(backwards)} 的迁移)")


class KeptForever:
    """Admin mixin for records kept five years (orders, lines, events, reviews, cases, sign-offs): no delete, not
    even for a superuser; a later record supersedes instead."""

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class ReadOnly(KeptForever):
    """Admin mixin for records that are what happened, or what an import or the ERP said (orders and their lines,
    reviews, sign-offs, ERP and WMS facts): shown, never added or changed in the admin either. An order's Rx flags
    or lines changed there would take it out of the pharmacist's queue, or change what an approval approved,
    unrecorded."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    """An inline of records that are what happened (a case's events, an order's replaced lines): shown, never
    added, changed or deleted in the admin."""

    extra = 0
    can_delete = False
