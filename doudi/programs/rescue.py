"""Street-homeless rescue (ST-1): patrol finds and station intake, identity searches (DNA, fingerprint, face as
external results), family search, return home with the receiving area told, long stayers registered and
placed as 特困 (NAT-TK-COND) or as orphans (NAT-CH-ORPHAN) by age — opening that case.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action as Perm
from doudi.procedure import steps
from doudi.programs import procedure as proc
from doudi.programs.models import IdentitySearch, RescueCase, ReturnNotice
from doudi.programs.procedure import ProcedureError

_today = steps.today
OPEN = ("in_station", "family_found", "long_stay")


def visible_cases(user: Any):
    return access.scope_queryset(user, RescueCase.objects.all(), Perm.CASE_VIEW)


def access_case(user: Any, pk: Any) -> RescueCase:
    c = access.access_object(user, RescueCase.objects.all(), pk, Perm.CASE_VIEW)
    audit.record(user, AuditKind.READ, c, action="programs.rescue.view", reason="查看流浪乞讨人员救助")
    return c


def _lock(user: Any, pk: Any, version: Any, states: tuple[str, ...], what: str) -> RescueCase:
    c = access.access_object(user, RescueCase.objects.select_for_update(), pk, Perm.CASE_ACCEPT,
                             view_action=Perm.CASE_VIEW)
    if c.state not in states:
        raise ProcedureError(f"当前为「{c.get_state_display()}」，不能{what}", "state")
    if version not in (None, "") and int(version) != c.version:
        raise ProcedureError("已被他人办理，请刷新页面后重试", "version")
    c.version += 1
    return c


@transaction.atomic
def intake(user: Any, *, region: str, name: str, estimated_age: int, sex: str, found_how: str,
           found_on: dt.date | None = None, found_at: str = "") -> RescueCase:
    """巡查发现或进站求助 (ST-1)."""
    if not access.in_area(access.areas_of(user, Perm.CASE_ACCEPT), region):
        raise PermissionDenied("您的角色不能在该区域登记救助")
    steps.required(name, "name", "姓名或体貌特征", ProcedureError)
    if found_how not in ("patrol", "walk_in"):
        raise ProcedureError("请选择来源（巡查发现或主动求助）", "found_how")
    if sex not in ("M", "F"):
        raise ProcedureError("请选择性别", "sex")
    if estimated_age is None or not 0 <= int(estimated_age) <= 120:
        raise ProcedureError("年龄应在 0 至 120 之间", "estimated_age")
    today = _today(found_on)
    c = RescueCase.objects.create(number=f"tmp-{secrets.token_hex(6)}", region=region, name=name.strip(),
                                  estimated_age=int(estimated_age), sex=sex, found_how=found_how, found_on=today,
                                  found_at=found_at.strip(), recorded_by=user)
    c.number = f"JZ{region[:6]}{today:%Y}{c.pk:06d}"
    c.save()
    audit.record(user, AuditKind.STEP, c, action="programs.rescue.intake", reason=f"{c.get_found_how_display()}：{c.name}")
    return c


@transaction.atomic
def record_search(user: Any, pk: Any, *, kind: str, result: str, matched: bool = False, person_id: Any = None,
                  home_region: str = "", version: Any = None, on: dt.date | None = None) -> IdentitySearch:
    """甄别查询 (ST-1): a DNA, fingerprint or face comparison or a family-search notice, its external result;
    a match names the person of the registry (if registered) and the home area, and the family is found."""
    c = _lock(user, pk, version, OPEN, "记录甄别查询")
    if kind not in proc.SEARCH_NAMES:
        raise ProcedureError("请选择查询方式", "kind")
    steps.required(result, "result", "查询结果", ProcedureError)
    if matched:
        if not home_region:
            raise ProcedureError("比对成功须填写户籍地区划代码", "home_region")
        c.home_region = _region(home_region, "home_region", "户籍地区划代码")
        if person_id:
            from doudi.registry.models import Person

            c.person = Person.objects.filter(pk=person_id).first()  # access-checked: the match comes from the external search
        c.state = "family_found"
    c.save()
    s = IdentitySearch.objects.create(case=c, kind=kind, searched_on=_today(on), result=result.strip(), matched=matched,
                                      recorded_by=user)
    audit.record(user, AuditKind.STEP, c, action="programs.rescue.search",
                 reason=f"{proc.SEARCH_NAMES[kind]}：{'比对成功' if matched else '未比中'}")
    return s


def _region(code: Any, field: str, label: str) -> str:
    """A region code that the region list knows (6, 9 or 12 digits), or the error naming the field."""
    from doudi.accounts.areas import is_valid_region_code

    c = str(code or "").strip()
    if not c.isdigit() or len(c) not in (6, 9, 12):
        raise ProcedureError(f"{label}应为 6 位（县）、9 位（乡镇）或 12 位（村）区划代码，收到 {c or '空'}", field)
    if not is_valid_region_code(c):
        raise ProcedureError(f"{label} {c} 不在区划代码表中", field)
    return c


def visible_notices(user: Any):
    """返乡接收通知 to the user's areas (the receiving area's side: ``region`` is the receiving area)."""
    return access.scope_queryset(user, ReturnNotice.objects.select_related("case", "sent_by", "acknowledged_by"),
                                 Perm.CASE_VIEW)


@transaction.atomic
def return_home(user: Any, pk: Any, *, returned_on: dt.date, receiving_office: str, escort: str,
                receiving_region: str = "", receiving_contact: str = "", note: str = "", version: Any = None,
                on: dt.date | None = None) -> RescueCase:
    """返乡 (ST-1): the receiving area is told as data — its region code (checked against the region list;
    the 户籍地 found by the search unless another is given), its station or civil-affairs office, how the
    person travels — in a ReturnNotice that the receiving area sees on its worklist and confirms."""
    c = _lock(user, pk, version, ("family_found",), "办理返乡")
    today = _today(on)
    region = _region(receiving_region or c.home_region, "receiving_region", "接收地区划代码")
    office = steps.required(receiving_office, "receiving_office", "接收单位", ProcedureError)
    if escort not in dict(ReturnNotice.ESCORTS):
        raise ProcedureError("请选择返乡方式", "escort")
    if returned_on is None:
        raise ProcedureError("请填写返乡日期", "returned_on")
    if returned_on < c.found_on:
        raise ProcedureError(f"返乡日期不能早于进站日期 {c.found_on}", "returned_on")
    d = steps.add_working_days(today, int(proc.param("return_notice_working_days")))
    n = ReturnNotice.objects.create(
        case=c, region=region, receiving_office=office, receiving_contact=(receiving_contact or "").strip(),
        escort=escort, returned_on=returned_on, person_name=c.person.name if c.person_id else c.name, sex=c.sex,
        estimated_age=c.estimated_age, masked_id=c.person.masked_id if c.person_id else "", sent_from=c.region,
        note=(note or "").strip(), sent_by=user, sent_on=today, due_on=getattr(d, "date", d))
    c.state, c.returned_on = "returned", returned_on
    c.receiving_told = (f"{returned_on} {n.get_escort_display()}，已通知接收地 {place_name(region)} {office}"
                        f"{'（' + n.receiving_contact + '）' if n.receiving_contact else ''}")
    c.save()
    audit.record(user, AuditKind.STEP, c, action="programs.rescue.return", reason=f"返乡，接收地 {region} {office}",
                 detail={"receiving_region": region, "notice": n.pk})
    audit.record(user, AuditKind.STEP, n, action="programs.rescue.return_notice", area=c.region,
                 reason=f"返乡接收通知：{c.number}", detail={"case": c.number, "sent_from": c.region})
    return c


@transaction.atomic
def acknowledge_return(user: Any, notice_id: Any, *, reply: str, version: Any = None,
                       on: dt.date | None = None) -> ReturnNotice:
    """接收确认 (ST-1): the receiving area records that it received the person and what it will do
    (family, 低保 or 特困 screening); the station sees the reply on its case."""
    try:
        n = visible_notices(user).select_for_update(of=("self",)).get(pk=notice_id)
    except (ReturnNotice.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该返乡接收通知，或不在您的辖区内") from None
    if not access.in_area(access.areas_of(user, Perm.CASE_ACCEPT), n.region):
        raise PermissionDenied("您的角色不能办理返乡接收")
    if n.acknowledged_on:
        raise ProcedureError("该通知已经确认接收", "reply")
    if version not in (None, "") and int(version) != n.version:
        raise ProcedureError("通知已被他人办理，请刷新页面后重试", "version")
    n.reply = steps.required(reply, "reply", "接收地落实情况", ProcedureError)
    n.acknowledged_on, n.acknowledged_by = _today(on), user
    n.version += 1
    n.save()
    audit.record(user, AuditKind.STEP, n, action="programs.rescue.return_notice.acknowledge", reason=n.reply,
                 detail={"case": n.case.number})
    return n


def place_name(code: str) -> str:
    from doudi.accounts.areas import full_region_name

    name = full_region_name(code) if code else ""
    return f"{name}（{code}）" if name and name != code else code


@transaction.atomic
def mark_long_stay(user: Any, pk: Any, *, version: Any = None) -> RescueCase:
    c = _lock(user, pk, version, ("in_station",), "登记为长期滞留")
    c.state = "long_stay"
    c.save()
    audit.record(user, AuditKind.STEP, c, action="programs.rescue.long_stay", reason="身份无法查明，长期滞留")
    return c


@transaction.atomic
def place(user: Any, pk: Any, *, id_number: str, birth_name: str = "", able_to_work: bool = False,
          has_income: bool = False, has_supporter: bool = False, disabled: bool = False, version: Any = None,
          on: dt.date | None = None) -> RescueCase:
    """落户安置 (ST-1): the long stayer is registered (a household of his own at the station's place, with the
    ID number the police issued) and placed by age — a minor as an orphan (his child file and the
    protection case are opened), an adult as 特困 when NAT-TK-COND holds (a 特困 application opened)."""
    from doudi.registry.models import Household, Membership, Person

    c = _lock(user, pk, version, ("long_stay",), "落户安置")
    today = _today(on)
    steps.required(id_number, "id_number", "公安机关登记的身份证号", ProcedureError)
    try:
        person = Person(id_number=id_number.strip().upper(), name=(birth_name or c.name).strip())
        person.full_clean(exclude=["name_initials"])
    except Exception as exc:  # noqa: BLE001 - the registry's validation message, in Chinese
        msgs = getattr(exc, "message_dict", {}).get("id_number") or [str(exc)]
        raise ProcedureError(f"身份证号：{msgs[0]}", "id_number") from None
    age = proc.age_on(person.birth_date, today) if person.birth_date else c.estimated_age
    placement, reason = proc.placement_for(age, able_to_work=able_to_work, has_income=has_income,
                                           has_supporter=has_supporter, disabled=disabled)
    if not placement:
        raise ProcedureError(reason, "__all__")
    person.save()
    hh = Household.objects.create(region_code=c.region, residence="urban", address=f"救助站集中安置（{c.number}）",
                                  facts={})
    Membership.objects.create(household=hh, person=person, relation="self", start=today)
    c.person, c.state, c.placement, c.placement_reason = person, "placed", placement, reason
    c.placement_ref = _open_placement(user, c, person, placement, today)
    c.save()
    audit.record(user, AuditKind.DECISION, c, action="programs.rescue.place", reason=reason)
    return c


def _open_placement(user: Any, c: RescueCase, person: Any, placement: str, today: dt.date) -> str:
    """The case the placement opens: a child's file and protection case (orphan), or a 特困 application."""
    if placement == "orphan":
        from doudi.programs import children

        f = children.open_file(user, person_id=person.pk, category="orphan", guardian_name="救助管理站",
                               guardian_relation="临时监护", situation=f"流浪未成年人，{c.number} 长期滞留，父母查找不到",
                               father_status="missing", mother_status="missing", institutional=True, on=today)
        case = children.submit(user, file_id=f.pk, kind="orphan", applicant_name="救助管理站", on=today)
        return f"儿童基本生活保障 {case.number}"
    from doudi.support import services as support

    try:
        with transaction.atomic():
            case = support.submit(user, household_id=person.current_membership().household_id, person_id=person.pk,
                                  on=today)
    except (ValueError, PermissionDenied) as exc:  # the 特困 procedure refuses: the placement stands
        return f"特困人员申请未能自动登记（{getattr(exc, 'message', exc)}），请在特困人员救助供养中登记"
    return f"特困人员申请 {case.number}"
