"""Importing a county's existing caseload (数据迁移): the 花名册 it already keeps, one row per member.

`doudi import households FILE` registers the households and their members (through the registry's
services, as the acting user: household.edit in each household's area); `doudi import benefits FILE`
starts the 低保 and 特困 benefits the county already pays for households already registered (as the
acting user: case.approve in the county). A 特困 benefit belongs to one person (TK-4): the 户主 row's
person, at that person's own monthly amount. Both read the same template (data/caseload-template.xlsx,
docs/verification.md); each ignores the other's columns.

A dry run reports every problem by row and column — errors (a bad ID number, an unknown region, a
person in two households, …) and notes that are reported but do not refuse the file (a monthly
amount that differs from what the policy core decides for the household). A real run takes the
whole file or nothing: with any error nothing is written; otherwise everything is written in one
transaction, each household and benefit with its audit entry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.policy.identity import mask_id_number, normalise_id_number
from doudi.verification.checks import header_key, id_problem, parse_month, parse_yuan, region_exists
from doudi.verification.figures import yuan
from doudi.verification.reading import FileError, read_file

# (name, Chinese header, required, what it holds) — the template's columns, in order.
COLUMNS = (
    ("household_key", "户编号", True, "本县原有的户编号，同一户各成员相同"),
    ("name", "姓名", True, "成员姓名"),
    ("id_number", "身份证号", True, "18 位身份证号（15 位旧号码自动转换）；请将该列设为文本格式"),
    ("relation", "与户主关系", True, "户主（本人）、配偶、子女、父母、（外）祖父母、（外）孙子女、兄弟姐妹、其他；每户一名户主"),
    ("region", "所在地区划代码", True, "12 位村（社区）代码，或 9 位乡镇代码"),
    ("residence", "城乡类别", True, "城镇 或 农村"),
    ("monthly_income", "月收入", False, "成员月工资性收入（元），无则留空"),
    ("program", "救助项目", False, "低保 或 特困（导入待遇时必填，户主行填写即可；特困为户主本人的供养）"),
    ("dibao_class", "保障类别", False, "A、B、C（乌海分类施保，其他地区留空）"),
    ("amount", "月保障金额", False, "每月发放金额（元），户主行填写：低保为全户金额，特困为户主本人的供养金"),
    ("start_month", "起始发放月份", False, "YYYY-MM"),
    ("bank_account", "银行账号", False, "10–30 位数字，户主行填写"),
    ("bank", "开户银行", False, "银行代码或名称（如 ABC、中国农业银行），填写银行账号时必填，户主行填写；"
                              "导入待遇时按户主（户名）建立在用的收款账户"),
)
LABELS = {name: label for name, label, _r, _d in COLUMNS}
RELATIONS = {"户主": "self", "本人": "self", "配偶": "spouse", "子女": "child", "子": "child", "女": "child",
             "父母": "parent", "父亲": "parent", "母亲": "parent", "祖父母": "grandparent", "外祖父母": "grandparent",
             "（外）祖父母": "grandparent", "孙子女": "grandchild", "外孙子女": "grandchild", "（外）孙子女": "grandchild",
             "兄弟姐妹": "sibling", "其他": "other"}
_RELATION_KEYS = {header_key(k): v for k, v in RELATIONS.items()}  # "(外)祖父母" = "（外）祖父母" = "外祖父母"
RESIDENCES = {"城镇": "urban", "城市": "urban", "农村": "rural"}
PROGRAMS = {"低保": "dibao", "最低生活保障": "dibao", "特困": "tekun", "特困人员": "tekun", "特困供养": "tekun",
            "特困人员救助供养": "tekun"}
PROGRAM_NAMES = {"dibao": "低保", "tekun": "特困"}


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str
    error: bool = True

    def __str__(self) -> str:
        kind = "错误" if self.error else "提示"
        return f"{kind}：第 {self.row} 行「{self.column}」列：{self.message}" if self.column else \
            f"{kind}：第 {self.row} 行：{self.message}"


@dataclass
class Member:
    row: int
    name: str
    id_number: str | None
    relation: str | None
    wages_fen: int | None


@dataclass
class HouseholdRows:
    key: str
    first_row: int
    region: str = ""
    residence: str = ""
    members: list[Member] = field(default_factory=list)
    program: str = ""
    dibao_class: str = ""
    amount_fen: int | None = None
    start_month: dt.date | None = None
    bank_account: str = ""
    bank: str = ""
    bank_column: bool = False  # the file has the 开户银行 column (the template before it had none)

    @property
    def head(self) -> Member | None:
        heads = [m for m in self.members if m.relation == "self"]
        return heads[0] if len(heads) == 1 else None


@dataclass
class Outcome:
    """What a run found and did."""

    households: list[HouseholdRows]
    problems: list[Problem]
    imported: bool = False
    done: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if not p.error]

    def report(self) -> str:
        members = sum(len(h.members) for h in self.households)
        lines = [str(p) for p in sorted(self.problems, key=lambda p: (p.row, not p.error))]
        lines.append(f"共 {len(self.households)} 户 {members} 人；错误 {len(self.errors)} 处，提示 {len(self.notes)} 处；"
                     + (f"已导入 {self.done} 户" if self.imported else "未导入"))
        return "\n".join(lines)


class CaseloadError(Exception):
    """A file that cannot be read at all; message names the file's problem."""


# --- reading the 花名册 --------------------------------------------------------------------------

def read_rows(data: bytes, name: str) -> tuple[list[HouseholdRows], list[Problem]]:
    """The file's households (rows grouped by 户编号, in file order) and the problems of each cell."""
    try:
        sheet = read_file(data, name)
    except FileError as exc:
        raise CaseloadError(exc.message) from None
    by_label = {header_key(label): n for n, label, _r, _d in COLUMNS} | {n: n for n, *_ in COLUMNS}
    where = {}
    for i, h in enumerate(sheet.header):
        n = by_label.get(header_key(h))
        if n is not None and n not in where:
            where[n] = i
    problems = [Problem(1, label, f"缺少必填列「{label}」") for n, label, req, _d in COLUMNS if req and n not in where]
    if problems:
        return [], problems
    households: OrderedDict[str, HouseholdRows] = OrderedDict()
    seen_ids: dict[str, tuple[str, int]] = {}
    for offset, cells in enumerate(sheet.rows):
        row = offset + 2
        get = lambda n, cells=cells: cells[where[n]].strip() if n in where else ""  # noqa: E731
        if not any(c.strip() for c in cells):
            continue
        key = get("household_key")
        if not key:
            problems.append(Problem(row, LABELS["household_key"], "「户编号」不能为空"))
            continue
        hh = households.setdefault(key, HouseholdRows(key, row, bank_column="bank" in where))
        member = _member(row, get, problems)
        hh.members.append(member)
        if member.id_number:
            if member.id_number in seen_ids and seen_ids[member.id_number][0] != key:
                other, other_row = seen_ids[member.id_number]
                problems.append(Problem(row, LABELS["id_number"],
                                        f"身份证号 {mask_id_number(member.id_number)} 同时出现在户编号「{other}」"
                                        f"（第 {other_row} 行）：同一人不能属于两户"))
            seen_ids.setdefault(member.id_number, (key, row))
        _household_fields(hh, row, get, problems)
    for hh in households.values():
        heads = [m for m in hh.members if m.relation == "self"]
        if len(heads) != 1:
            problems.append(Problem(hh.first_row, LABELS["relation"],
                                    f"户编号「{hh.key}」应有且只有一名户主，现有 {len(heads)} 名"))
    return list(households.values()), problems


def _member(row: int, get: Any, problems: list[Problem]) -> Member:
    name = get("name")
    if not name:
        problems.append(Problem(row, LABELS["name"], "「姓名」不能为空"))
    raw = get("id_number")
    number = normalise_id_number(raw) if raw and not raw.startswith("#NUMBER:") else None
    if number is None:
        problems.append(Problem(row, LABELS["id_number"], id_problem(raw) if raw else "「身份证号」不能为空"))
    rel_text = get("relation")
    relation = _RELATION_KEYS.get(header_key(rel_text))
    if relation is None:
        problems.append(Problem(row, LABELS["relation"], f"应为 {'、'.join(dict.fromkeys(RELATIONS))} 之一，"
                                                         f"收到「{rel_text}」"))
    wages = None
    if get("monthly_income"):
        try:
            wages = parse_yuan(get("monthly_income"))
        except ValueError as exc:
            problems.append(Problem(row, LABELS["monthly_income"], f"{exc}，收到「{get('monthly_income')}」"))
    return Member(row, name, number, relation, wages)


def _same(hh: HouseholdRows, attr: str, value: Any, row: int, column: str, problems: list[Problem]) -> None:
    """A household-level field: the first value given holds; a different one on another row is an error."""
    if value in ("", None):
        return
    have = getattr(hh, attr)
    if have in ("", None):
        setattr(hh, attr, value)
    elif have != value:
        problems.append(Problem(row, column, f"与同户第 {hh.first_row} 行不一致（同一户应相同）"))


def _household_fields(hh: HouseholdRows, row: int, get: Any, problems: list[Problem]) -> None:
    from doudi.accounts.areas import is_valid_region_code

    region = get("region")
    if not region:
        problems.append(Problem(row, LABELS["region"], "「所在地区划代码」不能为空"))
    elif not (region_exists(region) and is_valid_region_code(region)):
        problems.append(Problem(row, LABELS["region"], f"区划代码「{region}」不存在：应为存在的 12 位村（社区）或 9 位乡镇代码"))
    else:
        _same(hh, "region", region, row, LABELS["region"], problems)
    residence = get("residence")
    if residence and residence not in RESIDENCES:
        problems.append(Problem(row, LABELS["residence"], f"应为 城镇 或 农村，收到「{residence}」"))
    elif not residence:
        problems.append(Problem(row, LABELS["residence"], "「城乡类别」不能为空"))
    else:
        _same(hh, "residence", RESIDENCES[residence], row, LABELS["residence"], problems)
    program = get("program")
    if program and program not in PROGRAMS:
        problems.append(Problem(row, LABELS["program"], f"目前可导入的救助项目为 低保、特困，收到「{program}」"))
    else:
        _same(hh, "program", PROGRAMS.get(program, ""), row, LABELS["program"], problems)
    cls = get("dibao_class").upper()
    if cls and cls not in ("A", "B", "C"):
        problems.append(Problem(row, LABELS["dibao_class"], f"应为 A、B、C 之一，收到「{cls}」"))
    else:
        _same(hh, "dibao_class", cls, row, LABELS["dibao_class"], problems)
    for name, parse, attr in (("amount", parse_yuan, "amount_fen"), ("start_month", parse_month, "start_month")):
        if get(name):
            try:
                _same(hh, attr, parse(get(name)), row, LABELS[name], problems)
            except ValueError as exc:
                problems.append(Problem(row, LABELS[name], f"{exc}，收到「{get(name)}」"))
    account = get("bank_account").replace(" ", "")
    if account and not re.fullmatch(r"\d{10,30}", account):
        problems.append(Problem(row, LABELS["bank_account"], "应为 10–30 位数字"))
    else:
        _same(hh, "bank_account", account, row, LABELS["bank_account"], problems)
    bank = get("bank")
    if bank:
        code = _bank_code(bank)
        if code is None:
            problems.append(Problem(row, LABELS["bank"], f"未知的开户银行「{bank}」，应为 {_bank_list()} 之一"))
        else:
            _same(hh, "bank", code, row, LABELS["bank"], problems)


def _bank_code(text: str) -> str | None:
    """The payments app's code of a bank given by code (ABC) or by name (中国农业银行); None if unknown."""
    from doudi.payments.banks import banks

    t = text.strip()
    return next((code for code, b in banks().items() if t.upper() == code or t == b["name"]), None)


def _bank_list() -> str:
    from doudi.payments.banks import banks

    return "、".join(f"{code}（{b['name']}）" for code, b in banks().items())


# --- households ---------------------------------------------------------------------------------

def _registry_problems(user: Any, hh: HouseholdRows, problems: list[Problem]) -> None:
    """What the registry would refuse: the area, a person already in another household, a name that differs."""
    from doudi.registry.models import Membership, Person

    if hh.region and not access.in_area(access.areas_of(user, Action.HOUSEHOLD_EDIT), hh.region):
        problems.append(Problem(hh.first_row, LABELS["region"], f"您无权在 {hh.region} 登记家庭"))
    for m in hh.members:
        if not m.id_number:
            continue
        person = Person.objects.filter(id_number=m.id_number).first()
        if person is None:
            continue
        from doudi.registry.services import NOT_HERE, file_in_area, home_regions

        if home_regions(person) and not file_in_area(user, person):  # no ID number → name oracle (issue 16)
            problems.append(Problem(m.row, LABELS["id_number"], NOT_HERE))
            continue
        if m.name and person.name != m.name:
            shown = f"，姓名为 {person.name}" if file_in_area(user, person) else "，与所填姓名不符"
            problems.append(Problem(m.row, LABELS["name"], f"身份证号 {person.masked_id} 已登记{shown}"))
        current = Membership.objects.filter(person=person, end__isnull=True).select_related("household").first()
        if current is not None:
            problems.append(Problem(m.row, LABELS["id_number"],
                                    f"此人已是登记家庭 {current.household.number} 的成员：同一人不能属于两户"))


def import_households(user: Any, data: bytes, name: str, *, dry_run: bool, start: dt.date | None = None) -> Outcome:
    """导入家庭: check everything; unless a dry run and only without errors, register them all (one transaction)."""
    households, problems = read_rows(data, name)
    for hh in households:
        _registry_problems(user, hh, problems)
    out = Outcome(households, problems)
    if dry_run or out.errors:
        return out
    try:
        with transaction.atomic():
            for hh in households:
                _register(user, hh, start or dt.date.today(), name)
            audit.record(user, AuditKind.STEP, None, action="verification.import_households",
                         area=_area_of(households), reason=f"数据迁移：导入家庭 {len(households)} 户（{name}）",
                         detail={"households": len(households), "members": sum(len(h.members) for h in households)})
    except (ValidationError, PermissionDenied) as exc:  # refused by the registry after the checks: nothing kept
        out.problems.append(Problem(0, "", f"登记失败，未导入：{_message(exc)}"))
        return out
    out.imported, out.done = True, len(households)
    return out


def _register(user: Any, hh: HouseholdRows, start: dt.date, name: str) -> None:
    from doudi.registry.services import add_member, register_household

    head = hh.head
    facts = lambda m: {"monthly_income": {"wages": yuan(m.wages_fen)}} if m.wages_fen else {}  # noqa: E731
    household = register_household(user, region_code=hh.region, residence=hh.residence, start=start,
                                   head={"id_number": head.id_number, "name": head.name, "facts": facts(head)})
    for m in hh.members:
        if m is not head:
            add_member(user, household, id_number=m.id_number, name=m.name, relation=m.relation, start=start,
                       facts=facts(m))
    audit.record(user, AuditKind.STEP, household, action="verification.import_household",
                 reason=f"数据迁移：花名册 {name} 户编号 {hh.key}", detail={"key": hh.key, "members": len(hh.members)})


def _area_of(households: list[HouseholdRows]) -> str:
    counties = {h.region[:6] for h in households if h.region}
    return counties.pop() if len(counties) == 1 else ""


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
        return "；".join(f"{k}：{'、'.join(v)}" for k, v in exc.message_dict.items())
    return str(exc)


# --- benefits -----------------------------------------------------------------------------------

@dataclass
class Found:
    household: Any
    decision: dict
    document: dict
    person: Any = None


def _benefit_problems(user: Any, hh: HouseholdRows, on: dt.date, problems: list[Problem]) -> Found | None:
    from doudi.benefits.models import LIVE_VALUES, Benefit
    from doudi.benefits.persons import assess_with_lines
    from doudi.registry.documents import household_document
    from doudi.registry.models import Membership, Person

    head = hh.head
    if head is None or not head.id_number:
        return None
    row = head.row
    for attr, col, what in (("program", "program", "救助项目"), ("amount_fen", "amount", "月保障金额"),
                            ("start_month", "start_month", "起始发放月份")):
        if getattr(hh, attr) in ("", None):
            problems.append(Problem(row, LABELS[col], f"导入待遇须填写「{what}」"))
    m = Membership.objects.filter(person__id_number=head.id_number, end__isnull=True, relation="self").select_related(
        "household").first()
    if m is None:
        problems.append(Problem(row, LABELS["id_number"], "户主尚未登记家庭:请先导入家庭(doudi import households)"))
        return None
    household = m.household
    if not access.in_area(access.areas_of(user, Action.CASE_APPROVE), household.region_code):
        problems.append(Problem(row, LABELS["region"], f"您无权在 {household.region_code} 批准待遇（须县级审批人）"))
    registered = {x.person.id_number for x in household.memberships_on(None)}
    for member in hh.members:
        if member.id_number and member.id_number not in registered:
            problems.append(Problem(member.row, LABELS["id_number"],
                                    f"不是登记家庭 {household.number} 的成员：花名册与登记不一致"))
    person = None
    if hh.program == "tekun":
        person = Person.objects.filter(id_number=head.id_number).first()
        if Benefit.objects.filter(person=person, program="tekun", status__in=LIVE_VALUES).exists():
            problems.append(Problem(row, LABELS["program"], f"{person.name} 已有在保的特困待遇"))
    elif Benefit.objects.filter(household=household, program="dibao", status__in=LIVE_VALUES).exists():
        problems.append(Problem(row, LABELS["program"], f"家庭 {household.number} 已有在保的低保待遇"))
    if hh.bank or (hh.bank_account and hh.bank_column):
        _account_problems(hh, household, person, row, problems)
    doc = household_document(household, on)
    if not doc["members"]:
        problems.append(Problem(row, LABELS["start_month"], f"家庭 {household.number} 在 {on} 没有登记的成员"))
        return None
    if hh.dibao_class:
        doc["dibao_class"] = hh.dibao_class
    decision = assess_with_lines(doc, date=on.isoformat())
    if hh.amount_fen is not None and hh.program in PROGRAM_NAMES:
        core = _core_fen(decision, hh.program, head.id_number)
        if core != hh.amount_fen:
            name = PROGRAM_NAMES[hh.program]
            why = "" if core else f"（按政策核算不符合{name}条件）"
            problems.append(Problem(row, LABELS["amount"], f"月保障金额 {yuan(hh.amount_fen)} 元与政策核算的 {yuan(core)} 元"
                                    f"不一致{why}，差 {yuan(hh.amount_fen - core)} 元；按花名册金额导入，请复核",
                                    error=False))
    return Found(household, decision, doc, person)


def _account_problems(hh: HouseholdRows, household: Any, person: Any, row: int, problems: list[Problem]) -> None:
    """The payee account of the 花名册 (PR-8), stored when both bank and number are given: the number by
    the bank's rule (digits, length, Luhn: doudi.payments), an error otherwise. Only one of the two (a
    花名册 of the old template without the bank column) or an account already in use for the payee:
    a note, the benefit is imported without a new account. (A file without the column at all says
    nothing of its accounts.)"""
    from doudi.payments.banks import PaymentError, check_number
    from doudi.payments.services import payee_account

    if not hh.bank:
        problems.append(Problem(row, LABELS["bank"], "未填写「开户银行」：收款账户未导入，须在资金发放中登记",
                                error=False))
        return
    if not hh.bank_account:
        problems.append(Problem(row, LABELS["bank_account"], "未填写「银行账号」：收款账户未导入，须在资金发放中登记",
                                error=False))
        return
    try:
        number = check_number(hh.bank, hh.bank_account)
    except PaymentError as exc:
        problems.append(Problem(row, LABELS["bank_account"], exc.message))
        return
    have = payee_account(household, person)
    if have is not None and have.number != number:
        problems.append(Problem(row, LABELS["bank_account"], f"已有在用的收款账户 {have.masked}，不按花名册更换"
                                                             "（更换账户须在资金发放中登记并复核）", error=False))


def _core_fen(decision: dict, program: str, id_number: str) -> int:
    """What the policy core pays: the household's 低保 amount; for 特困 the person's own line (TK-4:
    decided per person, the basic-living standard of TK-1 plus the care standard of TK-2 of his tier)."""
    from doudi.benefits import persons

    result = decision["programs"].get(program) or {}
    if program == "tekun" and persons.has_lines(decision, program):
        return persons.person_fen(decision, program, id_number) or 0
    return int(Decimal(result.get("amount", "0")) * 100) if result.get("eligible") else 0


def import_benefits(user: Any, data: bytes, name: str, *, dry_run: bool, on: dt.date | None = None) -> Outcome:
    """导入待遇: the 低保 and 特困 benefits of registered households at the amounts the county pays (an amount
    other than the policy core's is reported, not refused); whole file or nothing."""
    on = on or dt.date.today()
    households, problems = read_rows(data, name)
    found = [(hh, _benefit_problems(user, hh, on, problems)) for hh in households]
    out = Outcome(households, problems)
    if dry_run or out.errors:
        return out
    from doudi.benefits.reckon import BenefitError
    from doudi.benefits.services import start_benefit
    from doudi.payments.banks import PaymentError

    try:
        with transaction.atomic():
            for hh, f in found:
                b = start_benefit(user, household=f.household, person=f.person, program=hh.program,
                                  amount_fen=hh.amount_fen, start_month=hh.start_month, assessment=f.decision, household_document=f.document,
                                  on=on)
                audit.record(user, AuditKind.DECISION, b, action="verification.import_benefit",
                             reason=f"数据迁移：花名册 {name} 户编号 {hh.key}，{PROGRAM_NAMES[hh.program]} 月 {yuan(hh.amount_fen)} 元",
                             detail={"key": hh.key, "bank_account_last4": hh.bank_account[-4:]})
                if hh.bank and hh.bank_account:
                    from doudi.payments.services import import_account

                    import_account(user, f.household, person=f.person, bank=hh.bank, number=hh.bank_account,
                                   holder_name=hh.head.name, reason=f"数据迁移：花名册 {name} 户编号 {hh.key}")
    except (BenefitError, PaymentError, PermissionDenied) as exc:
        out.problems.append(Problem(0, "", f"待遇未能建立，未导入：{getattr(exc, 'message', str(exc))}"))
        return out
    out.imported, out.done = True, len(found)
    return out


# --- the template ---------------------------------------------------------------------------------

def write_template(path: Any) -> None:
    """The .xlsx template (data/caseload-template.xlsx): the header, a sheet explaining each column."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = wb.add_format({"num_format": "@"})
    ws = wb.add_worksheet("花名册")
    for i, (_n, label, _req, _d) in enumerate(COLUMNS):
        ws.write_string(0, i, label, head)
        ws.set_column(i, i, 20 if label == "身份证号" else 14, text)
    ws.write_comment(0, 2, "请将身份证号列设为文本格式，避免 Excel 截断末几位")
    doc = wb.add_worksheet("填写说明")
    doc.write_row(0, 0, ["列", "必填", "说明", "示例（户主行）"], head)
    example = ["H0001", "张建国", "62042219750308xxxx", "户主", "620422100201", "城镇", "600", "低保", "", "1500",
               "2026-01", "6228480000000000000", "中国农业银行"]
    for i, ((_n, label, req, what), ex) in enumerate(zip(COLUMNS, example, strict=True), 1):
        doc.write_row(i, 0, [label, "是" if req else "否", what, ex])
    doc.write(len(COLUMNS) + 2, 0, "每行一名家庭成员；同一户各行的户编号、区划代码、城乡类别相同；救助项目、月保障金额、"
                                   "起始发放月份、银行账号、开户银行填在户主行。先 doudi import households 导入家庭，再 "
                                   "doudi import benefits 导入待遇；均可先加 --dry-run 检查。")
    doc.set_column(0, 0, 14)
    doc.set_column(2, 2, 70)
    doc.set_column(3, 3, 22)
    wb.close()
