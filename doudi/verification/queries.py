"""部门协查: questions put to one department about one application's members (PR-6, 民发〔2021〕57号 Art.17).

Bulk data sets cover what departments send every month; some records (a bank's balances, an
insurer's policies) are given only for named persons under the applicant's authorisation. The
county's verification officer asks the department from a started request; the department's liaison
sees the question — the persons' names and ID numbers and the kind of data wanted, never the
household, the case or the figures declared — and answers with a file of the kind's columns (empty
of rows when the department holds nothing). The answer is imported like any department file, as a
snapshot of the data set of the household's village, so the request's next run reads it with the
rest (`services._records` takes every data set lying in the county). Kinds that are a whole register
(户籍, `full`) are not asked one case at a time: a partial register would make everyone else missing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.policy.identity import mask_id_number
from doudi.verification import datasets
from doudi.verification.datasets import ImportResult, VerificationError
from doudi.verification.kinds import departments_of, kinds
from doudi.verification.models import DepartmentQuery, QueryState, RequestState


def askable_kinds() -> list[Any]:
    """The kinds a question may ask for: every kind but the whole registers (户籍)."""
    return [k for k in kinds().values() if not k.full]


def _persons(req: Any, on: dt.date) -> list[dict]:
    from doudi.registry.documents import household_document

    doc = household_document(req.household, on)
    return [{"name": m.get("name", ""), "id_number": m.get("id_number", "")} for m in doc["members"]
            if m.get("id_number")]


@transaction.atomic
def ask(user: Any, request_pk: Any, kind_codes: list[str], *, on: dt.date | None = None) -> list[DepartmentQuery]:
    """发起部门协查: one question per kind to its department, naming the request's members."""
    from doudi.verification.services import _require_run, access_request

    req = access_request(user, request_pk, lock=True)
    _require_run(user, req)
    if req.state == RequestState.ISSUED:
        raise VerificationError("核对报告已出具，不能再发起协查；申请人有异议的，由乡镇登记异议后复查", "kinds")
    allowed = {k.code: k for k in askable_kinds()}
    unknown = [c for c in kind_codes if c not in allowed]
    if not kind_codes or unknown:
        raise VerificationError(f"协查数据类别应为 {'、'.join(k.label for k in allowed.values())} 中的一项或多项"
                                + (f"，收到「{'、'.join(unknown)}」" if unknown else ""), "kinds")
    today = on or timezone.localdate()
    persons = _persons(req, today)
    if not persons:
        raise VerificationError("该家庭在今天没有登记身份证号的成员，无法协查", "kinds")
    out = []
    for code in dict.fromkeys(kind_codes):
        k = allowed[code]
        if DepartmentQuery.objects.filter(request=req, kind=code, state=QueryState.OPEN).exists():
            raise VerificationError(f"已发起「{k.label}」协查，尚未答复", "kinds")
        try:
            with transaction.atomic():
                q = DepartmentQuery.objects.create(request=req, kind=code, department=k.department,
                                                   region=req.household.region_code, persons=persons,
                                                   asked_by=user, asked_on=today)
        except IntegrityError:  # a concurrent question of the same kind
            raise VerificationError(f"已发起「{k.label}」协查，尚未答复",
                                    "kinds") from None
        audit.record(user, AuditKind.STEP, q, action="verification.query_ask",
                     reason=f"发起部门协查：「{k.label}」，{len(persons)} 人",
                     detail={"request": req.pk, "kind": code, "persons": len(persons)})
        out.append(q)
    return out


def visible_queries(user: Any):
    """Questions the user may read: a liaison's of its own department in its areas; the verification
    officer's in its areas. Nobody else's."""
    qs = DepartmentQuery.objects.select_related("asked_by", "answered_by", "snapshot")
    officer = access.scope_queryset(user, qs, Action.VERIFICATION_RUN)
    deps = departments_of(getattr(user, "department", ""))
    if deps and access.areas_of(user, Action.DATA_UPLOAD):
        liaison = access.scope_queryset(user, qs.filter(department__in=deps), Action.DATA_UPLOAD)
        return qs.filter(pk__in=officer.values("pk")) | qs.filter(pk__in=liaison.values("pk"))
    return officer


def access_query(user: Any, pk: Any, *, lock: bool = False) -> DepartmentQuery:
    """The question if the user may read it (404 otherwise); the read is audited (it names persons)."""
    qs = visible_queries(user)
    if lock:
        qs = DepartmentQuery.objects.select_for_update().filter(pk__in=qs.values("pk"))
    try:
        q = qs.get(pk=pk)
    except (DepartmentQuery.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该协查，或不在您的辖区内") from None
    if not lock:
        audit.record(user, AuditKind.READ, q, action="verification.query_view", reason="查看部门协查（协查对象身份证号）")
    return q


def masked_persons(q: DepartmentQuery) -> list[dict]:
    return [{"name": p["name"], "masked_id": mask_id_number(p["id_number"])} for p in q.persons]


def answer(user: Any, pk: Any, *, data: bytes, name: str, extracted_on: dt.date, note: str = "",
           today: dt.date | None = None) -> ImportResult:
    """答复协查: the department's file, checked and imported as a snapshot of the village's data set;
    the question is answered only when the file is taken (whole file or nothing)."""
    q = access_query(user, pk)
    if q.state != QueryState.OPEN:
        raise VerificationError("该协查已经答复", "file")
    deps = departments_of(getattr(user, "department", ""))
    if q.department not in deps and not access.in_area(access.areas_of(user, Action.VERIFICATION_RUN), q.region):
        raise PermissionDenied("只有被协查部门的联络员可以答复")
    with transaction.atomic():
        result = datasets.import_snapshot(user, kind=q.kind, area=q.region, extracted_on=extracted_on, data=data,
                                          name=name, today=today)
        if not result.ok:
            return result
        locked = DepartmentQuery.objects.select_for_update().get(pk=q.pk)
        if locked.state != QueryState.OPEN:  # answered meanwhile: the row goes with the transaction, the file here
            from doudi.verification import store

            store.remove_snapshot(datasets.snapshot_path(result.snapshot))
            raise VerificationError("该协查已经答复", "file")
        locked.state, locked.answered_by, locked.snapshot = QueryState.ANSWERED, user, result.snapshot
        locked.answered_on, locked.note = today or timezone.localdate(), note.strip()[:200]
        locked.save()
        audit.record(user, AuditKind.STEP, locked, action="verification.query_answer",
                     reason=f"答复部门协查：「{locked.kind_label}」{result.snapshot.rows} 条记录",
                     detail={"query": locked.pk, "snapshot": result.snapshot.pk, "rows": result.snapshot.rows})
    return result

