"""`doudi backup` and `doudi restore` (docs/deployment.md). Bad input exits 2 with one line on stderr."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_backup(args: argparse.Namespace) -> int:
    from doudi.web.cli import _ensure_home, setup_django

    _ensure_home()
    setup_django()
    from doudi.backup import archive
    from doudi.cli import UsageError

    try:
        result = archive.backup(Path(args.output) if args.output else None, note=args.note or "")
    except archive.BackupError as exc:
        raise UsageError(str(exc)) from None
    m = result.manifest
    files = sum(m["storages"].values())
    print(f"已备份：{result.path}（{m['vendor']} 数据库，{files} 个文件）")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from doudi.web.cli import _ensure_home, setup_django

    _ensure_home()
    setup_django()
    from doudi.backup import archive
    from doudi.cli import UsageError

    path = Path(args.archive)
    if not path.is_file():
        raise UsageError(f"{args.archive}: no such backup archive")
    try:
        manifest = archive.read_manifest(path)
    except archive.BackupError as exc:
        raise UsageError(str(exc)) from None
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("restore replaces the whole database and the attachments: add --yes to confirm")
        answer = input(f"用 {manifest['created_at']} 的备份替换现有的全部数据和附件？输入 yes 确认：")
        if answer.strip().lower() != "yes":
            print("已取消。")
            return 1
    try:
        archive.restore(path, safety_backup=not args.no_safety_backup, stdout=sys.stdout)
    except archive.BackupError as exc:
        raise UsageError(str(exc)) from None
    print(f"已恢复：{path.name}（备份于 {manifest['created_at']}）")
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql" and not getattr(settings, "DOUDI_PG_APP_ROLE", ""):
        print("注意：未设置 DOUDI_PG_APP_ROLE，应用角色的权限没有重新授予；请运行 "
              "doudi manage doudi_app_role <应用角色>（docs/deployment.md 第 4 步）。", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    b = subparsers.add_parser("backup", help="back up the database and the attachments into one archive")
    b.add_argument("--output", help="archive file or directory (default <DOUDI_HOME>/backups/)")
    b.add_argument("--note", help="a note kept in the archive's manifest")
    b.set_defaults(func=cmd_backup)
    r = subparsers.add_parser("restore", help="replace the database and the attachments with a backup")
    r.add_argument("archive", help="a doudi-backup-….tar.gz written by doudi backup")
    r.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    r.add_argument("--no-safety-backup", action="store_true",
                   help="do not back up the data being replaced first (default: it is backed up)")
    r.set_defaults(func=cmd_restore)
