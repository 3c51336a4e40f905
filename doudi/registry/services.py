"""Registry services: the only writers of households, persons and memberships (each one transaction)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.registry.models import EndReason, Household, Membership, Person, Relation


def _require_area(user: Any, action: str, region_code: str) -> None:
    from django.core.exceptions import PermissionDenied

    if not access.in_area(access.areas_of(user, action), region_code):
        raise PermissionDenied("您无权在该地区登记家庭")


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude)


def register_household(user: Any, *, region_code: str, residence: str, address: str = "", phone: str = "",
                       facts: Mapping[str, Any] | None = None, head: Mapping[str, Any],
                       start: dt.date | None = None) -> Household:
    """登记家庭: a new household with its head (户主). head: id_number, name, [ethnic_minority, phone, facts].

    Raises ValidationError (field → Chinese message) or PermissionDenied. A head whose file is in
    another area is refused (NOT_HERE) and the attempt audited in both areas (outside the transaction,
    so that the audit entries stay).
    """
    hh = Household(region_code=region_code, residence=residence, address=address, phone=phone, facts=dict(facts or {}))
    _full_clean(hh)
    _require_area(user, Action.HOUSEHOLD_EDIT, region_code)
    _refuse_other_area(user, head.get("id_number", ""), region_code, kin=False)
    with transaction.atomic():
        hh.save()
        _add_member(user, hh, relation=Relation.SELF, start=start, **head)
    return hh


def find_or_register_person(id_number: str, name: str, *, ethnic_minority: bool = False, phone: str = "",
                            facts: Mapping[str, Any] | None = None) -> Person:
    """The registry's person with this ID number, registered now as a person in no household if
    there is none (as for relatives living elsewhere, or a person helped where an emergency happens).

    A registered person whose name differs is refused (ValidationError on ``name``); a bad ID
    number or name is a ValidationError naming the field. Safe under concurrency: two sessions
    registering the same ID number at the same moment get the same one person (the unique ID
    number decides; the loser reads the winner's row). No access check here: the caller checks its
    own role and area and writes its own audit entry.
    """
    return _find_or_make_person(id_number, name, ethnic_minority, phone, facts)


# The one answer about a number registered outside the user's areas: neither the name nor the
# household is told (issue 16: no ID number → name oracle).
NOT_HERE = ("该身份证号不能在此使用：此人的档案不在您的辖区内。如确需登记，请与其所在地区的民政部门联系。")


def _find_or_make_person(id_number: str, name: str, ethnic_minority: bool, phone: str,
                         facts: Mapping[str, Any] | None, user: Any = None) -> Person:
    number = (id_number or "").strip().upper()
    person = Person.objects.filter(id_number=number).first()
    if person is not None:
        if name and person.name != name.strip():
            if user is not None and _sees(user, person):
                raise ValidationError({"name": f"身份证号 {person.masked_id} 已登记，姓名为 {person.name}，与所填不符"})
            raise ValidationError({"name": "姓名与身份证号不符：该号码已登记的姓名与所填不同，请核对证件"})
        return person
    person = Person(id_number=number, name=(name or "").strip(), ethnic_minority=ethnic_minority, phone=phone,
                    facts=dict(facts or {}))
    person.clean()
    try:
        person.full_clean(exclude=["sex", "birth_date", "name_initials"])
    except ValidationError as exc:
        if set(exc.message_dict) == {"id_number"} and Person.objects.filter(id_number=number).exists():
            return _find_or_make_person(id_number, name, ethnic_minority, phone, facts, user)  # registered meanwhile
        raise
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # registered at the same moment by another session: that row, its name compared
        return _find_or_make_person(id_number, name, ethnic_minority, phone, facts, user)
    return person


def _home_regions(person: Person) -> list[str]:
    """Where a registered person's file is kept: the current household's area, else the last one's."""
    current = [m.household.region_code for m in person.memberships.filter(end__isnull=True).select_related("household")]
    if current:
        return current
    last = person.memberships.select_related("household").order_by("-start", "-pk").first()
    return [last.household.region_code] if last else []


def _sees(user: Any, person: Person) -> bool:
    """Whether the person's file lies in the user's areas (household.view)."""
    regions = _home_regions(person)
    return bool(regions) and all(access.in_area(access.areas_of(user, Action.HOUSEHOLD_VIEW), r) for r in regions)


def _refuse_other_area(user: Any, number: str, here: str, *, kin: bool) -> None:
    """A registered number whose file is in another area, used here: refused with NOT_HERE, and the
    attempt audited both here and in the other area(s), so that the auditors of each see it."""
    from doudi.policy.identity import mask_id_number

    person = Person.objects.filter(id_number=(number or "").strip().upper()).first()
    if person is None or _sees(user, person):
        return
    others = _home_regions(person)
    if not others:
        return  # a person in no household (a relative, a person helped away from home): the name decides
    what = "登记亲属关系" if kin else "登记家庭成员"
    detail = {"id_number": mask_id_number(person.id_number), "attempted_in": here, "file_in": others}
    for area in dict.fromkeys([here, *others]):
        audit.record(user, AuditKind.READ, person if area != here else None, area=area,
                     action="person.other_area_refused", reason=f"{what}时使用了辖区外人员的身份证号（已拒绝）",
                     detail=detail)
    raise ValidationError({"relative_id_number" if kin else "id_number": NOT_HERE})


def add_member(user: Any, household: Household, *, id_number: str, name: str, relation: str,
               start: dt.date | None = None, ethnic_minority: bool = False, phone: str = "",
               facts: Mapping[str, Any] | None = None, on: dt.date | None = None) -> Membership:
    """增加家庭成员: the person (registered now if new) lives in the household from ``start``.

    A person already living in another household must first leave it (end_membership). Each live
    benefit of the household gets the change reported (``on``: the day recorded, default today).
    A person whose file is in another area is refused (NOT_HERE), the attempt audited in both areas.
    """
    access.require(user, Action.HOUSEHOLD_EDIT, household)
    _refuse_other_area(user, id_number, household.region_code, kin=False)
    return _add_member(user, household, id_number=id_number, name=name, relation=relation, start=start,
                       ethnic_minority=ethnic_minority, phone=phone, facts=facts, on=on)


@transaction.atomic
def _add_member(user: Any, household: Household, *, id_number: str, name: str, relation: str,
                start: dt.date | None = None, ethnic_minority: bool = False, phone: str = "",
                facts: Mapping[str, Any] | None = None, on: dt.date | None = None) -> Membership:
    access.require(user, Action.HOUSEHOLD_EDIT, household)
    if relation not in Relation.values:
        raise ValidationError({"relation": "与户主关系无效"})
    if relation == Relation.SELF and household.memberships.filter(end__isnull=True, relation=Relation.SELF).exists():
        raise ValidationError({"relation": "该户已有户主"})
    person = _find_or_make_person(id_number, name, ethnic_minority, phone, facts, user)
    current = Membership.objects.filter(person=person, end__isnull=True).select_related("household").first()
    if current is not None:
        where = "本户" if current.household_id == household.pk else f"另一户（{current.household.number}）"
        raise ValidationError({"id_number": f"此人目前已是{where}的成员，须先办理迁出"})
    try:
        with transaction.atomic():
            m = Membership.objects.create(household=household, person=person, relation=relation,
                                          start=start or dt.date.today())
    except IntegrityError:
        raise ValidationError({"id_number": "此人目前已是另一户的成员，须先办理迁出"}) from None
    _bump(household)
    if relation != Relation.SELF or household.memberships.exclude(pk=m.pk).exists():  # not a new household
        from doudi.registry import changes

        changes.member_added(user, m, on or timezone.localdate())
    return m


@transaction.atomic
def end_membership(user: Any, membership: Membership, end: dt.date, note: str = "", *, reason: str = EndReason.OTHER,
                   on: dt.date | None = None) -> Membership:
    """成员迁出: the person stops living in the household on ``end`` (exclusive), because of ``reason``
    (死亡 death, 迁出 moved, 其他 other).

    Each live benefit of the household gets the change reported (a review: a death within 3 months,
    another change within the working days of DB-11), in this transaction; ``on`` is the day it is
    recorded (default today).
    """
    from doudi.registry import changes

    access.require(user, Action.HOUSEHOLD_EDIT, membership.household)
    if reason not in EndReason.values:
        raise ValidationError({"end_reason": "请选择终止原因：死亡、迁出或其他"})
    m = Membership.objects.select_for_update().select_related("household", "person").get(pk=membership.pk)
    if m.end is not None:
        raise ValidationError({"end": "该成员已迁出"})
    if end < m.start:
        raise ValidationError({"end": f"迁出日期不能早于迁入日期 {m.start}"})
    if reason == EndReason.DEATH and end > (on or timezone.localdate()):
        raise ValidationError({"end": "死亡日期不能晚于今天"})
    m.end, m.end_reason, m.note = end, reason, note
    changes.membership_ending(user, m, end, reason, on or timezone.localdate())  # the member is still one in the db
    m.save(update_fields=["end", "end_reason", "note"])
    _bump(m.household)
    return m


def _bump(household: Household) -> None:
    from django.db.models import F

    Household.objects.filter(pk=household.pk).update(version=F("version") + 1)


def read_household(user: Any, pk: Any, reason: str = "查看家庭档案") -> Household:
    """查阅家庭档案: fetch through the access layer and log the read of the members' files."""
    hh = access.access_household(user, pk, Action.HOUSEHOLD_VIEW)
    audit.record(user, AuditKind.READ, hh, reason=reason, action="household.read")
    return hh


@transaction.atomic
def reveal_id_number(user: Any, person_pk: Any, reason: str) -> str:
    """查看完整身份证号: allowed to roles with person.full_id in the person's area; the request is logged."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写查看事由"})
    person = access.access_person(user, person_pk, Action.PERSON_FULL_ID)
    audit.record(user, AuditKind.REVEAL_ID, person, reason=reason.strip(), action="person.reveal_id")
    return person.id_number


_MASKED = re.compile(r"^(\d{0,6})\*+(\d{0,3}[\dXx]?)$")
_NUMBER = re.compile(r"^户\s*0*(\d{1,12})$")  # the household number as shown: 户000123


def search_households(user: Any, q: str = "", qs: QuerySet[Household] | None = None) -> QuerySet[Household]:
    """检索家庭 by a member's name, pinyin initials (zs for 张三), ID number, masked (620422********123X)
    or in part, or the household number (户000123); always within the user's areas."""
    qs = access.scope_queryset(user, qs if qs is not None else Household.objects.all(), Action.HOUSEHOLD_VIEW)
    q = (q or "").strip()
    if not q:
        return qs
    number = _NUMBER.match(q)
    if number:
        return qs.filter(pk=int(number.group(1)))
    ids = Membership.objects.filter(person_q(q), end__isnull=True).values("household_id")
    return qs.filter(pk__in=ids)


def person_q(q: str, prefix: str = "person__") -> Q:
    """Persons (at lookup ``prefix``) found by a word: the name, pinyin initials (zs for 张三), or the
    ID number — full, in part (4 digits or more), or masked (620422********123X)."""
    q = (q or "").strip()
    m = _MASKED.match(q)
    if m:
        head, tail = m.group(1), m.group(2).upper()
        return Q(**{f"{prefix}id_number__startswith": head, f"{prefix}id_number__endswith": tail})
    if re.fullmatch(r"[\dXx]{4,18}", q):
        number = q.upper()
        if len(number) == 18:
            return Q(**{f"{prefix}id_number": number})
        return Q(**{f"{prefix}id_number__startswith": number}) | Q(**{f"{prefix}id_number__endswith": number})
    if re.fullmatch(r"[A-Za-z]+", q):
        return Q(**{f"{prefix}name_initials__startswith": q.lower()})
    return Q(**{f"{prefix}name__contains": q})


home_regions = _home_regions  # where a person's file is kept (for other apps' checks)
file_in_area = _sees          # whether that lies in the user's household.view areas


class Conflict(ValidationError):
    """The object was changed by someone else since the user loaded it (optimistic locking)."""


HOUSEHOLD_EDITABLE = ("residence", "address", "phone", "facts")


@transaction.atomic
def update_household(user: Any, household: Household, version: int, **changes: Any) -> Household:
    """修改家庭信息: only if nobody changed the household since ``version`` was read (else Conflict).

    Changeable: residence, address, phone, facts. The region code is changed by moving the members.
    """
    access.require(user, Action.HOUSEHOLD_EDIT, household)
    unknown = set(changes) - set(HOUSEHOLD_EDITABLE)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "此项不能在此修改"})
    fresh = Household.objects.select_for_update().get(pk=household.pk)
    if fresh.version != version:
        raise Conflict({"version": "该家庭信息已被他人修改，请刷新后重新填写"})
    for key, value in changes.items():
        setattr(fresh, key, value)
    fresh.full_clean()
    fresh.version = version + 1
    fresh.save()
    return fresh


def add_kinship(user: Any, person: Person, *, relative_id_number: str, relative_name: str, kind: str) -> Any:
    """登记亲属关系: ``relative`` is the ``kind`` of ``person`` (registered as a person if new).

    Needs household.edit in the area of ``person``'s household. Used for legal supporters living
    elsewhere and for the kin check of NAT-DB-KIN (relatives of staff). A relative whose file is in
    another area is not linked from here: a KinRequest goes to that area (``request_kinship``) and is
    returned instead of a Kinship; the link is made when that area consents.
    """
    access.require(user, Action.HOUSEHOLD_EDIT, person)
    other = _other_areas_person(user, relative_id_number)
    if other is not None:
        return request_kinship(user, person, other, stated_name=relative_name, kind=kind)
    return _add_kinship(user, person, relative_id_number=relative_id_number, relative_name=relative_name, kind=kind)


def _other_areas_person(user: Any, number: str) -> Person | None:
    """The registered person of this number if their file lies outside the user's areas, else None."""
    person = Person.objects.filter(id_number=(number or "").strip().upper()).first()
    if person is None or _sees(user, person) or not _home_regions(person):
        return None
    return person


# What the requester is told when the relative's file is kept elsewhere: neither name nor household nor area.
KIN_REQUESTED = ("该人员的档案不在您的辖区内，已向其档案所在地区发出亲属关联请求（{number}）；"
                 "对方同意后亲属关系方才登记，结果可在「亲属关联请求」中查看。")


def request_kinship(user: Any, person: Person, relative: Person, *, stated_name: str, kind: str) -> Any:
    """亲属关联请求 (issue 16 item 2): ``relative``'s file is in another area, so no link is made from
    here; a request goes to the staff of that area (their worklist), who consent or refuse. The name
    typed is kept for them to compare and is not compared here (no ID number → name oracle). Audited in
    both areas: in the requesting one without the relative's name, in the other with their file."""
    from doudi.policy.identity import mask_id_number
    from doudi.registry.models import KinKind, KinRequest, KinRequestState, Kinship

    access.require(user, Action.HOUSEHOLD_EDIT, person)
    if kind not in KinKind.values:
        raise ValidationError({"kind": "亲属关系无效"})
    stated = (stated_name or "").strip()
    if not stated:
        raise ValidationError({"relative_name": "请填写亲属姓名"})
    if Kinship.objects.filter(person=person, relative=relative).exists():
        raise ValidationError({"relative_id_number": "该亲属关系已登记"})
    if KinRequest.objects.filter(person=person, relative=relative, state=KinRequestState.PENDING).exists():
        raise ValidationError({"relative_id_number": "已就此人发出亲属关联请求，正待对方地区处理"})
    here = person.area_code or ""
    there = _home_regions(relative)[0]
    try:
        with transaction.atomic():
            req = KinRequest.objects.create(person=person, relative=relative, kind=kind, stated_name=stated[:50],
                                            requested_area=here, file_area=there, requested_by=user)
    except IntegrityError:  # the same request sent at the same moment by another session
        raise ValidationError({"relative_id_number": "已就此人发出亲属关联请求，正待对方地区处理"}) from None
    detail = {"request": req.pk, "relative_id_number": mask_id_number(relative.id_number), "kind": kind,
              "requested_in": here, "file_in": there}
    audit.record(user, AuditKind.STEP, req, area=here, action="kin.requested",
                 reason="登记亲属关系：亲属档案在其他地区，已发出关联请求", detail=detail)
    audit.record(user, AuditKind.READ, relative, area=there, action="kin.requested",
                 reason=f"{here} 地区请求将此人登记为其辖区人员的亲属，待本地区同意", detail=detail)
    return req


def kin_requests_to_decide(user: Any) -> QuerySet:
    """Requests about persons whose file lies in the user's areas (household.edit), pending first."""
    from doudi.registry.models import KinRequest

    return (KinRequest.objects.filter(access.area_q(user, Action.HOUSEHOLD_EDIT, "file_area"))
            .select_related("person", "relative", "requested_by", "decided_by")
            .annotate(done=Case(When(state="pending", then=Value(0)), default=Value(1)))
            .order_by("done", "-requested_at", "-pk"))


def kin_requests_sent(user: Any) -> QuerySet:
    """Requests sent from the user's areas (household.view); the relative's name only once consented."""
    from doudi.registry.models import KinRequest

    return (KinRequest.objects.filter(access.area_q(user, Action.HOUSEHOLD_VIEW, "requested_area"))
            .select_related("person", "relative", "requested_by")
            .order_by("-requested_at", "-pk"))


def decide_kin_request(user: Any, pk: Any, *, consent: bool, note: str = "") -> Any:
    """同意 / 拒绝 a 亲属关联请求: staff with household.edit in the area of the relative's file, not the
    requester. Consent makes the link, and only if the name typed by the requester is the file's (the
    decider sees both); a refusal needs a reason. The decision is audited in both areas."""
    from django.core.exceptions import PermissionDenied

    from doudi.policy.identity import mask_id_number
    from doudi.registry.models import KinRequest, KinRequestState, Kinship

    note = (note or "").strip()
    with transaction.atomic():
        req = KinRequest.objects.select_for_update().filter(pk=pk).first()
        if req is None or not access.in_area(access.areas_of(user, Action.HOUSEHOLD_EDIT), req.file_area):
            raise PermissionDenied("您无权处理该亲属关联请求：此人的档案不在您的辖区内")
        if req.requested_by_id == user.pk:
            raise PermissionDenied("不能处理自己发出的亲属关联请求")
        if req.state != KinRequestState.PENDING:
            raise ValidationError({"note": f"该请求已处理（{req.get_state_display()}）"})
        if consent and req.stated_name != req.relative.name:
            raise ValidationError({"note": f"申请方填写的姓名「{req.stated_name}」与本地区档案不符，不能同意；"
                                           "请拒绝并说明理由"})
        if not consent and not note:
            raise ValidationError({"note": "拒绝时请填写理由"})
        if consent:
            req.kinship, _ = Kinship.objects.get_or_create(person=req.person, relative=req.relative,
                                                           defaults={"kind": req.kind})
        req.state = KinRequestState.APPROVED if consent else KinRequestState.REFUSED
        req.decided_by, req.decided_at, req.note = user, timezone.now(), note[:200]
        req.save()
        detail = {"request": req.pk, "relative_id_number": mask_id_number(req.relative.id_number),
                  "kind": req.kind, "consent": consent, "note": req.note}
        what = "同意" if consent else "拒绝"
        audit.record(user, AuditKind.DECISION, req.relative, area=req.file_area, action="kin.decided",
                     reason=f"{what}亲属关联请求（{req.requested_area} 地区发出）", detail=detail)
        audit.record(user, AuditKind.DECISION, req, area=req.requested_area, action="kin.decided",
                     reason=f"对方地区{what}亲属关联请求", detail=detail)
    return req


@transaction.atomic
def _add_kinship(user: Any, person: Person, *, relative_id_number: str, relative_name: str, kind: str) -> Any:
    from doudi.registry.models import KinKind, Kinship

    access.require(user, Action.HOUSEHOLD_EDIT, person)
    if kind not in KinKind.values:
        raise ValidationError({"kind": "亲属关系无效"})
    relative = _find_or_make_person(relative_id_number, relative_name, False, "", None, user)
    if relative.pk == person.pk:
        raise ValidationError({"relative_id_number": "亲属不能是本人"})
    if Kinship.objects.filter(person=person, relative=relative).exists():
        raise ValidationError({"relative_id_number": "该亲属关系已登记"})
    return Kinship.objects.create(person=person, relative=relative, kind=kind)


def export_households_csv(user: Any, q: str = "", reason: str = "") -> str:
    """导出家庭名单 (CSV, ID numbers masked): needs the export action; the export is logged."""
    import io

    access.require(user, Action.EXPORT)
    qs = access.scope_queryset(user, search_households(user, q), Action.EXPORT).prefetch_related("memberships__person")
    from doudi.web.lists import csv_writer

    out = io.StringIO()
    w = csv_writer(out)
    w.writerow(["户号", "区划代码", "城乡", "户主", "户主身份证号", "人数", "住址"])
    n = 0
    for hh in qs:
        current = [m for m in hh.memberships.all() if m.end is None]
        head = next((m.person for m in current if m.relation == Relation.SELF), None)
        w.writerow([hh.number, hh.region_code, hh.get_residence_display(), head.name if head else "",
                    head.masked_id if head else "", len(current), hh.address])
        n += 1
    for area in sorted(access.areas_of(user, Action.EXPORT)):  # one entry per area, seen by its auditors
        audit.record(user, AuditKind.EXPORT, None, area=area, action="households.export",
                     reason=reason or "导出家庭名单", detail={"query": q, "rows": n})
    return out.getvalue()


def kin_of_members(household: Household) -> QuerySet:
    """亲属关系 recorded for the current members of a household (fetched through access_household first)."""
    from doudi.registry.models import Kinship

    members = household.memberships.filter(end__isnull=True).values("person_id")
    return Kinship.objects.filter(person_id__in=members).select_related("person", "relative")
