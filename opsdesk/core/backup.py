"""Backups (the records are kept five years): an online, consistent copy of the database (SQLite's backup API,
`pg_dump` on PostgreSQL, each one snapshot) with the data dir's files beside it (uploads, prescriptions, case
screenshots, the secret key), and the restore of such a copy into an empty data dir."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from opsdesk.lib import dates
from opsdesk.lib.errors import Refused

PREFIX = "opsdesk-backup-"
MANIFEST = "manifest.json"
SQLITE_COPY, PG_COPY = "database.sqlite3", "database.pgdump"
# Not part of a backup: the database (copied its own way), what is rebuilt on start, and backups themselves.
SKIPPED = {"backups", "logs", "static", "cache"}
# What a data dir holds before anything is in it (written on start-up): restore fills only such a dir.
START_UP_FILES = {"secret.key", "logs", "static", "cache"}


def _database() -> dict[str, Any]:
    return connections["default"].settings_dict


def _is_sqlite(database: dict[str, Any]) -> bool:
    return "sqlite" in str(database["ENGINE"])


def _pg_env(database: dict[str, Any]) -> dict[str, str]:
    env = {**os.environ, "PGPASSWORD": str(database.get("PASSWORD") or "")}
    values = {"PGHOST": database.get("HOST"), "PGPORT": database.get("PORT"), "PGUSER": database.get("USER")}
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _run(argv: list[str], database: dict[str, Any]) -> None:
    try:
        done = subprocess.run(argv, env=_pg_env(database), capture_output=True, text=True, timeout=3600)
    except FileNotFoundError as exc:
        raise Refused(f"找不到 {argv[0]} (安装 postgresql-client)") from exc
    if done.returncode != 0:
        raise Refused(f"{argv[0]} 失败: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")


def _database_copy(folder: Path, database: dict[str, Any]) -> str:
    if _is_sqlite(database):
        source = sqlite3.connect(str(database["NAME"]))
        target = sqlite3.connect(str(folder / SQLITE_COPY))
        try:
            with target:
                source.backup(target)  # one consistent snapshot while others keep writing
        finally:
            target.close()
            source.close()
        return SQLITE_COPY
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(folder / PG_COPY), str(database["NAME"])],
         database)
    return PG_COPY


def _skipped(child: Path, database: dict[str, Any]) -> bool:
    db_name = Path(str(database["NAME"])).name
    return child.name in SKIPPED or child.name.startswith(db_name) or child.name.startswith("test_")


def _files_copy(data_dir: Path, target: Path, database: dict[str, Any], *, outside: Path) -> int:
    count = 0
    for child in sorted(data_dir.iterdir()):
        if _skipped(child, database) or outside.is_relative_to(child):
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.copytree(child, target / child.name, symlinks=True)
            count += sum(1 for path in (target / child.name).rglob("*") if path.is_file())
        elif child.is_file():
            shutil.copy2(child, target / child.name)
            count += 1
    return count


def backup_make(*, to: Path | None = None) -> dict[str, Any]:
    """A new backup folder under `to` (default DATA_DIR/backups), written aside and renamed when complete."""
    data_dir = Path(settings.DATA_DIR)
    parent = Path(to) if to else data_dir / "backups"
    try:
        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise Refused(f"无法创建备份目录 {parent}: {exc.strerror or exc}") from exc
    made_at = dates.now()
    final = parent / f"{PREFIX}{made_at:%Y%m%d-%H%M%S-%f}"
    partial = final.with_name(final.name + ".partial")
    (partial / "files").mkdir(parents=True)
    database = _database()
    copy = _database_copy(partial, database)
    count = _files_copy(data_dir, partial / "files", database, outside=parent.resolve())
    manifest = {"made_at": made_at.isoformat(), "engine": database["ENGINE"], "database": copy, "files": count}
    (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    partial.rename(final)
    return {"ok": True, "path": str(final), **manifest}


def backups_prune(*, keep_days: int, folder: Path | None = None) -> list[str]:
    """Remove the backups under `folder` (default DATA_DIR/backups) made more than `keep_days` ago."""
    folder = folder or Path(settings.DATA_DIR) / "backups"
    cutoff = dates.now() - timedelta(days=keep_days)
    removed = []
    for backup in sorted(folder.glob(f"{PREFIX}*")):
        made_at = _made_at(backup)
        if made_at is not None and made_at < cutoff:
            shutil.rmtree(backup)
            removed.append(str(backup))
    return removed


def _made_at(backup: Path) -> Any:
    try:
        return dates.local(datetime.fromisoformat(json.loads((backup / MANIFEST).read_text("utf-8"))["made_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not a finished backup of ours: left alone


def _manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Refused(f"{source} 不是 opsdesk 备份 (没有可读的 {MANIFEST})") from exc
    if manifest.get("database") not in (SQLITE_COPY, PG_COPY) or not (source / manifest["database"]).is_file():
        raise Refused(f"{source} 的备份不完整: 缺少数据库副本")
    return manifest


def _refuse_non_empty(data_dir: Path, database: dict[str, Any]) -> None:
    present = sorted(child.name for child in data_dir.iterdir() if child.name not in START_UP_FILES) \
        if data_dir.is_dir() else []
    if present:
        raise Refused(f"数据目录 {data_dir} 不是空的 (含有 {'、'.join(present[:5])}): 只能恢复到空的数据目录")
    if not _is_sqlite(database) and connections["default"].introspection.table_names():
        raise Refused(f"数据库 {database['NAME']} 不是空的: 只能恢复到空的数据库")


def backup_restore(*, source: Path) -> dict[str, Any]:
    """Fill the empty data dir (and, on PostgreSQL, the empty database) from the backup at `source`."""
    source, data_dir, database = Path(source), Path(settings.DATA_DIR), _database()
    manifest = _manifest(source)
    if (manifest["database"] == SQLITE_COPY) != _is_sqlite(database):
        raise Refused(f"备份来自 {manifest['engine']}, 当前数据库是 {database['ENGINE']}: 不能直接恢复")
    _refuse_non_empty(data_dir, database)
    connections.close_all()
    if _is_sqlite(database):
        shutil.copy2(source / SQLITE_COPY, str(database["NAME"]))
    else:
        _run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", str(database["NAME"]),
              str(source / PG_COPY)], database)
    files = source / "files"
    if files.is_dir():
        shutil.copytree(files, data_dir, symlinks=True, dirs_exist_ok=True)
    return {"ok": True, "from": str(source), "data_dir": str(data_dir), **manifest}
