"""`doudi backup` and `doudi restore` (issue 16, operations): the database and the attachments
come back as they were at the backup, on SQLite and (scripts/test's second pass) on PostgreSQL."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from doudi.accounts import audit
from doudi.accounts.models import AuditEntry, AuditKind
from doudi.backup import archive
from doudi.registry.models import Household

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DOUDI_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def attachments_dir(settings) -> Path:
    return Path(settings.STORAGES["attachments"]["OPTIONS"]["location"])


def _reasons() -> set[str]:
    return set(AuditEntry.objects.values_list("reason", flat=True))


def test_a_restore_brings_back_the_database_and_the_attachments(home, tmp_path, attachments_dir, make_household,
                                                                huining_caseworker):
    hh = make_household()
    (attachments_dir / "2026" / "12").mkdir(parents=True)
    (attachments_dir / "2026" / "12" / "proof.pdf").write_bytes(b"%PDF-1.4 original proof")
    audit.record(huining_caseworker, AuditKind.READ, hh, reason="备份前的查阅")
    from doudi.verification.datasets import data_root

    snapshot = data_root() / "datasets" / "death-620422" / "2026-12-01" / "records.parquet"
    snapshot.parent.mkdir(parents=True)
    snapshot.write_bytes(b"PAR1 snapshot")

    result = archive.backup(tmp_path / "out")
    assert result.path.stat().st_mode & 0o777 == 0o600  # personal data
    assert result.manifest["vendor"] == connection.vendor and result.manifest["storages"]["attachments"] == 1
    assert "accounts.0003_audit_refuses_delete_and_truncate" in result.manifest["migrations"]

    # after the backup: a household, a changed and a new file, an audit entry — all undone by the restore
    later = make_household()
    (attachments_dir / "2026" / "12" / "proof.pdf").write_bytes(b"overwritten")
    (attachments_dir / "new.pdf").write_bytes(b"%PDF new")
    snapshot.unlink()
    audit.record(huining_caseworker, AuditKind.READ, later, reason="备份后的查阅")

    out = io.StringIO()
    manifest = archive.restore(result.path, stdout=out)
    assert manifest["created_at"] == result.manifest["created_at"]
    assert Household.objects.filter(pk=hh.pk).exists() and not Household.objects.filter(pk=later.pk).exists()
    assert (attachments_dir / "2026" / "12" / "proof.pdf").read_bytes() == b"%PDF-1.4 original proof"
    assert not (attachments_dir / "new.pdf").exists()
    assert snapshot.read_bytes() == b"PAR1 snapshot"  # the verification's data sets too
    reasons = _reasons()
    assert "备份前的查阅" in reasons and "备份后的查阅" not in reasons
    assert AuditEntry.objects.filter(action="restore").exists()
    assert AuditEntry.objects.filter(action="backup", kind="export").exists()

    # the audit log is still append-only after the restore
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM accounts_auditentry")

    # the safety backup kept what the restore replaced: nothing of the audit log is lost
    safety = sorted((home / "backups").glob("doudi-backup-*.tar.gz"))
    assert len(safety) == 1 and "恢复前的数据已备份到" in out.getvalue()
    archive.restore(safety[0], safety_backup=False)
    assert "备份后的查阅" in _reasons() and Household.objects.filter(pk=later.pk).exists()
    assert (attachments_dir / "new.pdf").read_bytes() == b"%PDF new"


def _rewrite(src: Path, dst: Path, change) -> Path:
    """A copy of the archive with change(name, bytes) -> bytes applied to each member."""
    with tarfile.open(src, "r:gz") as tin, tarfile.open(dst, "w:gz") as tout:
        for m in tin:
            data = change(m.name, tin.extractfile(m).read())
            info = tarfile.TarInfo(m.name)
            info.size = len(data)
            tout.addfile(info, io.BytesIO(data))
    return dst


def test_a_damaged_or_foreign_archive_changes_nothing(home, tmp_path, make_household):
    hh = make_household()
    good = archive.backup(tmp_path / "out").path
    later = make_household()

    def damage(name, data):
        return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("db.") else data

    def other_vendor(name, data):
        if name != "manifest.json":
            return data
        m = json.loads(data)
        m["vendor"] = "oracle"
        return json.dumps(m).encode()

    def newer_code(name, data):
        if name != "manifest.json":
            return data
        m = json.loads(data)
        m["migrations"].append("accounts.9999_from_the_future")
        return json.dumps(m).encode()

    for change, message in ((damage, "damaged"), (other_vendor, "cannot be restored into"),
                            (newer_code, "newer doudi")):
        bad = _rewrite(good, tmp_path / f"{change.__name__}.tar.gz", change)
        with pytest.raises(archive.BackupError, match=message):
            archive.restore(bad)
        assert Household.objects.filter(pk__in=[hh.pk, later.pk]).count() == 2
    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(archive.BackupError, match="not a doudi backup"):
        archive.restore(tmp_path / "junk.tar.gz")
    assert not (home / "backups").exists()  # no safety backup was even needed


def test_doudi_backup_and_restore_commands(home, tmp_path, make_household, capsys):
    from doudi.cli import main

    hh = make_household()
    assert main(["backup", "--output", str(tmp_path / "b.tar.gz"), "--note", "每日备份"]) == 0
    assert "已备份" in capsys.readouterr().out
    make_household()
    assert main(["restore", str(tmp_path / "b.tar.gz")]) == 2  # no --yes and no terminal: refused
    assert "--yes" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "nothere.tar.gz"), "--yes"]) == 2
    assert main(["restore", str(tmp_path / "b.tar.gz"), "--yes", "--no-safety-backup"]) == 0
    assert "已恢复" in capsys.readouterr().out
    assert list(Household.objects.values_list("pk", flat=True)) == [hh.pk]
