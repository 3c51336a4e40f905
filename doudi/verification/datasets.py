"""Department data sets (部门数据): importing a snapshot, and reading the latest snapshots.

The import takes the whole file or nothing: every row is checked first (checks.py); only a
file without a single problem is written (one Parquet directory per data set and extraction
date, store.py) together with its `Snapshot` row, in one transaction; a failure after the file
was written removes it. A refused file leaves nothing but its audit entry.

For other apps (monitoring, issue 13): `latest_snapshots(kind, county)` — the Snapshot rows in
force for a county — and `latest_dataset(kind, county)` — the same as one pyarrow Dataset.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.areas import contains
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.verification import store
from doudi.verification.checks import Problem, check_sheet
from doudi.verification.kinds import departments_of, kinds
from doudi.verification.kinds import kind as kind_of
from doudi.verification.models import DataSet, Snapshot
from doudi.verification.reading import FileError, read_file


class VerificationError(Exception):
    """Bad input to a verification service; `field` names it, the message is Chinese."""

    def __init__(self, message: str, field: str = "__all__"):
        super().__init__(message)
        self.message = message
        self.field = field


def data_root() -> Path:
    """Where snapshots and stored files live: settings.DOUDI_VERIFICATION_ROOT, else <DOUDI_HOME>/verification."""
    root = getattr(settings, "DOUDI_VERIFICATION_ROOT", None)
    if root:
        return Path(root)
    from doudi.web.settings import data_home

    return data_home() / "verification"


# --- who may upload what ----------------------------------------------------------------------

def upload_departments(user: Any) -> list[str] | None:
    """The departments whose data the user may upload: None = every department (a verification
    officer); a liaison only its own (User.department); [] = none."""
    if access.areas_of(user, Action.VERIFICATION_RUN):
        return None
    if access.areas_of(user, Action.DATA_UPLOAD):
        return departments_of(getattr(user, "department", ""))
    return []


def may_upload(user: Any, kind_code: str, area: str) -> bool:
    k = kinds().get(kind_code)
    if k is None:
        return False
    deps = upload_departments(user)
    if deps is not None and k.department not in deps:
        return False
    action = Action.VERIFICATION_RUN if deps is None else Action.DATA_UPLOAD
    return access.in_area(access.areas_of(user, action), area)


def visible_datasets(user: Any):
    """Data sets the user may see: a verification officer's in its areas (verification.run); a liaison's
    of its own department in its areas; nobody else's."""
    deps = upload_departments(user)
    if deps is None:
        return access.scope_queryset(user, DataSet.objects.all(), Action.VERIFICATION_RUN)
    if not deps:
        return DataSet.objects.none()
    return access.scope_queryset(user, DataSet.objects.filter(department__in=deps), Action.DATA_UPLOAD)


def visible_snapshots(user: Any):
    return Snapshot.objects.filter(dataset__in=visible_datasets(user)).select_related("dataset", "uploaded_by")


# --- import -----------------------------------------------------------------------------------

@dataclass
class ImportResult:
    """What an import did: the snapshot (None when refused), or every problem by row and column."""

    kind: str
    snapshot: Snapshot | None = None
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    rows: int = 0
    described: str = ""
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.snapshot is not None


def _check_area(area: str) -> str:
    from doudi.accounts.areas import is_valid_region_code

    code = (area or "").strip()
    if not is_valid_region_code(code):
        raise VerificationError(f"数据范围应为存在的区划代码（县 6 位，或市、省），收到「{code or '空'}」", "area")
    return code


def import_snapshot(user: Any, *, kind: str, area: str, extracted_on: dt.date, data: bytes, name: str,
                    today: dt.date | None = None) -> ImportResult:
    """导入部门数据: check every row of the file; store it as a new snapshot only when nothing is wrong.

    Raises VerificationError for bad arguments (kind, area, date, a snapshot of that date already
    stored) and PermissionDenied when the user may not upload this kind for this area. Problems of
    the file itself come back in the result (nothing stored)."""
    today = today or timezone.localdate()
    if kind not in kinds():
        raise VerificationError(f"数据类别应为 {'、'.join(kinds())} 之一，收到「{kind}」", "kind")
    area = _check_area(area)
    if not isinstance(extracted_on, dt.date) or extracted_on > today:
        raise VerificationError("数据提取日期应为不晚于今天的日期（YYYY-MM-DD）", "extracted_on")
    if not may_upload(user, kind, area):
        raise PermissionDenied(f"您不能上传该区域的「{kind_of(kind).label}」数据")
    k = kind_of(kind)
    result = ImportResult(kind)
    try:
        sheet = read_file(data, name)
    except FileError as exc:
        result.problems, result.problem_count = [Problem(0, exc.column, exc.message)], 1
        _audit_refused(user, k.label, area, name, result)
        return result
    result.described = sheet.described
    checked = check_sheet(k, sheet, today)
    result.rows, result.ignored_columns = checked.rows, checked.ignored_columns
    if not checked.ok:
        result.problems, result.problem_count = checked.problems, checked.problem_count
        _audit_refused(user, k.label, area, name, result)
        return result
    result.snapshot = _store(user, k, area, extracted_on, checked.table, data, name, sheet, checked.ignored_columns)
    return result


def _audit_refused(user: Any, label: str, area: str, name: str, result: ImportResult) -> None:
    audit.record(user, AuditKind.STEP, None, action="verification.import_refused", area=area,
                 reason=f"部门数据文件未导入：{label}，{name}，问题 {result.problem_count} 处",
                 detail={"kind": result.kind, "problems": result.problem_count})


@transaction.atomic
def _store(user: Any, k: Any, area: str, extracted_on: dt.date, table: Any, data: bytes, name: str,
           sheet: Any, ignored: list[str]) -> Snapshot:
    """The file and its row in one transaction; the file is removed again when the row cannot be written."""
    dataset, _ = DataSet.objects.get_or_create(kind=k.code, area=area, defaults={"department": k.department})
    dataset = DataSet.objects.select_for_update().get(pk=dataset.pk)
    if dataset.snapshots.filter(extracted_on=extracted_on).exists():
        raise VerificationError(f"「{k.label}」{area} 已有 {extracted_on} 提取的快照；快照按提取日期保存，不能覆盖",
                                "extracted_on")
    root = data_root()
    try:
        path = store.write_snapshot(root, k.code, area, extracted_on, table)
    except store.SnapshotExists:
        raise VerificationError(f"「{k.label}」{area} 已有 {extracted_on} 提取的快照，不能覆盖", "extracted_on") from None
    try:
        with transaction.atomic():
            snap = Snapshot.objects.create(
                dataset=dataset, extracted_on=extracted_on, uploaded_by=user, uploaded_at=timezone.now(),
                source_name=name[:200], file_format=sheet.file_format, encoding=sheet.encoding, rows=table.num_rows,
                sha256=hashlib.sha256(data).hexdigest(), path=str(path.relative_to(root)),
                ignored_columns=ignored)
        audit.record(user, AuditKind.STEP, snap, action="verification.import", area=area,
                     reason=f"导入部门数据：{k.label}，{table.num_rows} 条，提取日期 {extracted_on}",
                     detail={"kind": k.code, "rows": table.num_rows, "format": sheet.file_format,
                             "encoding": sheet.encoding})
    except BaseException:
        store.remove_snapshot(path)
        raise
    return snap


# --- reading the latest snapshots ---------------------------------------------------------------

def covering(area: str, county: str) -> bool:
    """Whether a data set of `area` holds records for `county`: its area contains the county, or lies in it."""
    return contains(area, county) or contains(county, area)


def latest_snapshots(kind: str, county: str, on: dt.date | None = None) -> list[Snapshot]:
    """The newest snapshot (extracted on or before `on`) of every data set of `kind` covering the county."""
    out = []
    for dataset in DataSet.objects.filter(kind=kind):
        if not covering(dataset.area, county):
            continue
        snaps = dataset.snapshots.all()
        if on is not None:
            snaps = snaps.filter(extracted_on__lte=on)
        snap = snaps.order_by("-extracted_on", "-id").first()
        if snap is not None:
            out.append(snap)
    return out


def snapshot_path(snap: Snapshot) -> Path:
    return data_root() / snap.path


def latest_dataset(kind: str, county: str, on: dt.date | None = None):
    """The latest snapshots of `kind` for the county as one pyarrow Dataset (None when there is none)."""
    snaps = latest_snapshots(kind, county, on)
    return store.open_dataset([snapshot_path(s) for s in snaps]) if snaps else None


def snapshot_ref(snap: Snapshot) -> dict:
    """How a report or finding cites its source."""
    return {"snapshot": snap.pk, "kind": snap.dataset.kind, "label": snap.dataset.kind_label,
            "area": snap.dataset.area, "extracted_on": snap.extracted_on.isoformat()}
