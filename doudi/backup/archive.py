"""Backups of a doudi installation: one archive holding the database and the files (issue 16).

An archive (``doudi-backup-YYYYMMDD-HHMMSS.tar.gz``, mode 0600: it holds personal data) contains

- ``manifest.json``: format, time, database vendor, the migrations applied, and the SHA-256 and size
  of every other member;
- ``db.sqlite3`` (SQLite, by SQLite's online backup: a consistent copy while the server runs) or
  ``db.pgdump`` (PostgreSQL, ``pg_dump --format=custom``: one consistent snapshot);
- ``files/<name>/…``: the attachments (and any other file-system storage), the verification's
  department data sets and the directories of ``DOUDI_BACKUP_DIRS``, copied after the database,
  so every row of the database that names a file has it.

``restore`` checks the whole archive (checksums, vendor, migrations known to this code) before it
changes anything, writes a safety backup of what it replaces (the audit log of the replaced data is
not lost), replaces the database and the file directories, runs the migrations (which re-grant
the application role, DOUDI_PG_APP_ROLE) and records the restore in the audit log. On PostgreSQL
it runs as the database's owner, never as the application role.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

FORMAT = "doudi-backup-1"
FILE_STORAGES = ("attachments", "default")  # the file-system storages whose files are backed up


class BackupError(Exception):
    """A backup or restore that cannot be done; nothing has been changed."""


@dataclass
class Result:
    path: Path
    manifest: dict


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _storage_dirs() -> dict[str, Path]:
    from django.conf import settings

    out = {}
    for name in FILE_STORAGES:
        conf = settings.STORAGES.get(name) or {}
        if conf.get("BACKEND") == "django.core.files.storage.FileSystemStorage":
            loc = (conf.get("OPTIONS") or {}).get("location")
            if loc:
                out[name] = Path(loc)
    try:  # the verification's department data sets (dated Parquet snapshots, docs/verification.md)
        from doudi.verification.datasets import data_root
    except ImportError:
        pass
    else:
        out["verification"] = data_root()
    # any other directory of files that belongs to the data: DOUDI_BACKUP_DIRS = {"name": "/path"}
    out.update({k: Path(v) for k, v in (getattr(settings, "DOUDI_BACKUP_DIRS", None) or {}).items()})
    return out


def _pg_args(db: dict) -> tuple[list[str], dict]:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} not found: install the PostgreSQL client (apt-get install postgresql-client)")
    return path


def _run(cmd: list[str], env: dict) -> None:
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        first = (p.stderr or p.stdout).strip().splitlines()
        raise BackupError(f"{Path(cmd[0]).name} failed: {first[0] if first else p.returncode}")


def _applied_migrations(connection) -> list[str]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _dump_database(connection, dest: Path) -> str:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(dest)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return "db.sqlite3"
    if connection.vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        _run([_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges",
              "-f", str(dest), connection.settings_dict["NAME"]], env)
        return "db.pgdump"
    raise BackupError(f"database {connection.vendor}: expected SQLite or PostgreSQL")


def default_dir() -> Path:
    from doudi.web.settings import data_home

    return data_home() / "backups"


def backup(output: Path | None = None, *, using: str = "default", note: str = "") -> Result:
    """Write a backup archive; returns its path and manifest."""
    from django.db import connections

    from doudi.accounts import audit
    from doudi.accounts.models import AuditKind

    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("backup cannot run inside a transaction (the dump sees committed data only)")
    now = dt.datetime.now(dt.UTC)
    if output is None or output.is_dir() or not output.name.endswith((".tar.gz", ".tgz")):
        output = (output or default_dir()) / f"doudi-backup-{now:%Y%m%d-%H%M%S-%f}.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # the backup is an export of every area's data: in the audit log (and in the backup itself)
    audit.record(None, AuditKind.EXPORT, None, action="backup", area="",
                 detail={"file": output.name, "note": note[:200]})
    with tempfile.TemporaryDirectory(prefix="doudi-backup-") as tmp:
        tmpdir = Path(tmp)
        db_name = _dump_database(connection, tmpdir / "db")
        members = {db_name: {"sha256": _sha256_file(tmpdir / "db"), "size": (tmpdir / "db").stat().st_size}}
        manifest = {"format": FORMAT, "created_at": now.isoformat(), "vendor": connection.vendor,
                    "database": db_name, "migrations": _applied_migrations(connection), "note": note[:200],
                    "storages": {}, "members": members}
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(tmpdir / "db", arcname=db_name)
            for storage, root in _storage_dirs().items():
                count = 0
                if root.is_dir():
                    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
                        rel = path.relative_to(root).as_posix()
                        arc = f"files/{storage}/{rel}"
                        members[arc] = {"sha256": _sha256_file(path), "size": path.stat().st_size}
                        tar.add(path, arcname=arc, recursive=False)
                        count += 1
                manifest["storages"][storage] = count
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
    return Result(output, manifest)


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.getmember("manifest.json")
            manifest = json.load(tar.extractfile(member))
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"{archive}: not a doudi backup archive ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: format {manifest.get('format')!r}, expected {FORMAT}")
    return manifest


def _extract_checked(archive: Path, manifest: dict, dest: Path) -> None:
    """Every member named by the manifest, with its checksum; nothing else, no path outside dest."""
    members = manifest["members"]
    seen = set()
    with tarfile.open(archive, "r:gz") as tar:
        for m in tar:
            if m.name == "manifest.json":
                continue
            if m.name not in members or not m.isfile():
                raise BackupError(f"{archive}: unexpected member {m.name!r}")
            target = (dest / m.name).resolve()
            if not str(target).startswith(str(dest.resolve()) + os.sep):
                raise BackupError(f"{archive}: member {m.name!r} points outside the archive")
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(m) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
            if _sha256_file(target) != members[m.name]["sha256"]:
                raise BackupError(f"{archive}: {m.name} is damaged (checksum differs)")
            seen.add(m.name)
    missing = set(members) - seen
    if missing:
        raise BackupError(f"{archive}: {len(missing)} member(s) missing, e.g. {sorted(missing)[0]}")


def _check_migrations(connection, manifest: dict) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    unknown = sorted(set(manifest.get("migrations", ())) - known)
    if unknown:
        raise BackupError(f"the backup comes from a newer doudi (migration {unknown[0]} is unknown here): "
                          "restore it with that version")


def _restore_database(connection, db_file: Path, vendor: str) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(db_file)
        try:
            source.backup(connection.connection)  # replaces the whole database, in one step
        finally:
            source.close()
        connection.close()
        return
    args, env = _pg_args(connection.settings_dict)
    connection.close()
    _run([_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", "-d", connection.settings_dict["NAME"], str(db_file)], env)


def _replace_dir(new: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(target.name + ".before-restore")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    os.chmod(target, 0o700)
    if old.exists():
        shutil.rmtree(old)


def restore(archive: Path, *, using: str = "default", safety_backup: bool = True, stdout=None) -> dict:
    """Replace the database and the files with the archive's. Returns the archive's manifest."""
    from django.core.management import call_command
    from django.db import connections

    from doudi.accounts import audit
    from doudi.accounts.models import AuditKind

    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("restore cannot run inside a transaction")
    manifest = read_manifest(archive)
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"{archive}: a {manifest['vendor']} backup cannot be restored into {connection.vendor}")
    _check_migrations(connection, manifest)
    dirs = _storage_dirs()
    staging_root = Path(tempfile.mkdtemp(prefix="doudi-restore-"))
    staged: dict[str, Path] = {}
    try:
        _extract_checked(archive, manifest, staging_root)
        for storage in manifest.get("storages", {}):
            if storage not in dirs:
                raise BackupError(f"storage {storage!r} of the backup is not a file-system storage here")
            # staged beside its target, so that the final step is a rename on one file system
            stage = dirs[storage].with_name(dirs[storage].name + ".restoring")
            if stage.exists():
                shutil.rmtree(stage)
            src = staging_root / "files" / storage
            if src.is_dir():
                shutil.copytree(src, stage)
            else:
                stage.mkdir(parents=True)
            staged[storage] = stage
        safety = None
        if safety_backup:
            safety = backup(default_dir(), using=using, note=f"before restoring {archive.name}").path
            if stdout:
                stdout.write(f"恢复前的数据已备份到 {safety}\n")
        _restore_database(connection, staging_root / manifest["database"], manifest["vendor"])
        for storage, stage in staged.items():
            _replace_dir(stage, dirs[storage])
        staged.clear()
    finally:
        for stage in staged.values():
            shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(staging_root, ignore_errors=True)
    call_command("migrate", interactive=False, verbosity=0, database=using)
    audit.record(None, AuditKind.USER_CHANGE, None, action="restore", area="",
                 detail={"file": archive.name, "created_at": manifest["created_at"],
                         "safety_backup": safety.name if safety else ""})
    return manifest
