"""Medical assistance (MA-1…MA-5, NAT-MA): hospitals' one-stop settlement files decided bill by bill through the
policy core within the yearly cap, the premium subsidy list, the emergency-illness fund's cases, MA-4's allowance.

A settlement file (MA-3: the bill at discharge) is CSV or Excel (read by doudi.verification.reading, Excel
with python-calamine) with the columns of SETTLEMENT_COLUMNS. The whole file is checked first; one bad
row refuses the file with every problem listed by row, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.areas import region_q
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action as Perm
from doudi.cases.documents import yuan
from doudi.policy import regions
from doudi.procedure import steps
from doudi.programs import core
from doudi.programs.models import EmergencyFundCase, Reimbursement, SettlementImport
from doudi.programs.procedure import ProcedureError

_today = steps.today
SETTLEMENT_COLUMNS = {"bill": "结算单号", "id_number": "身份证号", "name": "姓名", "discharged": "出院日期",
                      "in_policy": "政策范围内个人自付", "illness": "病种"}
ILLNESS = {"": "other", "其他": "other", "精神病": "mental", "传染病": "infectious"}


def visible_reimbursements(user: Any):
    return access.scope_queryset(user, Reimbursement.objects.select_related("person", "settlement"), Perm.CASE_VIEW)


def visible_imports(user: Any):
    return access.scope_queryset(user, SettlementImport.objects.all(), Perm.CASE_VIEW)


def _money(text: str) -> int:
    d = Decimal(text.replace(",", "").strip())
    if not d.is_finite() or d < 0 or d != d.quantize(Decimal("0.01")):
        raise InvalidOperation
    return int(d * 100)


def _rows(user: Any, data: bytes, name: str, region: str) -> tuple[list[dict], list[str]]:
    """The file's rows checked: each with its person and household (in the user's areas), or the problems."""
    from doudi.registry.models import Person
    from doudi.verification.checks import header_key
    from doudi.verification.reading import FileError, read_file

    try:
        sheet = read_file(data, name)
    except FileError as exc:
        raise ProcedureError(exc.message, "file") from None
    col = {}
    header = [header_key(h) for h in sheet.header]  # either width of punctuation, spaces aside
    for key, label in SETTLEMENT_COLUMNS.items():
        if header_key(label) in header:
            col[key] = header.index(header_key(label))
        elif key != "illness":
            raise ProcedureError(f"缺少列「{label}」（须有：{'、'.join(v for k, v in SETTLEMENT_COLUMNS.items() if k != 'illness')}）", "file")
    people = access.scope_queryset(user, Person.objects.all(), Perm.CASE_VIEW,
                                   field="memberships__household__region_code")
    problems, out, seen = [], [], set()
    for n, r in enumerate(sheet.rows, 2):
        cell = {k: r[i].strip() for k, i in col.items()}
        if not any(cell.values()):
            continue
        bad = []
        if not cell["bill"]:
            bad.append("结算单号为空")
        elif cell["bill"] in seen:
            bad.append(f"结算单号 {cell['bill']} 重复")
        seen.add(cell["bill"])
        person = people.filter(id_number=cell["id_number"].upper()).first()
        if person is None:
            bad.append(f"身份证号 {cell['id_number'][:6]}…不在本辖区登记")
        elif cell["name"] and cell["name"] != person.name:
            bad.append(f"姓名「{cell['name']}」与登记不符")
        try:
            discharged = dt.date.fromisoformat(cell["discharged"][:10])
        except ValueError:
            bad.append(f"出院日期「{cell['discharged']}」应为 YYYY-MM-DD")
            discharged = None
        try:
            fen = _money(cell["in_policy"])
        except (InvalidOperation, ValueError):
            bad.append(f"政策范围内个人自付「{cell['in_policy']}」应为不小于0的金额（元）")
            fen = None
        illness = ILLNESS.get(cell.get("illness", ""))
        if illness is None:
            bad.append(f"病种「{cell['illness']}」应为 精神病、传染病 或 其他")
        membership = person.current_membership() if person is not None else None
        if person is not None and (membership is None or not regions.contains(region, membership.household.region_code)):
            bad.append("患者不在本县（区）的家庭中")
        if cell["bill"] and Reimbursement.objects.filter(region_q("region", region[:6]), bill_number=cell["bill"]).exists():
            bad.append(f"结算单号 {cell['bill']} 已导入")
        if bad:
            problems.append(f"第 {n} 行：" + "；".join(bad))
            continue
        out.append({"row": n, "bill": cell["bill"], "person": person, "household": membership.household,
                    "discharged": discharged, "fen": fen, "illness": illness})
    return out, problems


def paid_this_year(person: Any, year: int) -> int:
    """MA-2: medical assistance already paid to the patient this year (counted against the yearly cap)."""
    return int(Reimbursement.objects.filter(person=person, discharged_on__year=year)
               .aggregate(s=Sum("amount_fen"))["s"] or 0)


def decide_bill(household: Any, person: Any, *, fen: int, illness: str, on: dt.date) -> tuple[int, int, dict]:
    """MA-2, MA-3, NAT-MA: the policy core's reimbursement of one bill: (amount fen, paid before fen, decision)."""
    from doudi.registry.documents import household_document

    doc = household_document(household, on)
    index = next(i for i, m in enumerate(doc["members"]) if m["id_number"] == person.id_number)
    before = paid_this_year(person, on.year)
    doc["medical_bill"] = {"in_policy_out_of_pocket": yuan(fen), "illness": illness, "patient": index,
                           "paid_this_year": yuan(before)}
    decision, _ = core.decide_members(doc)
    result = core.program(decision, "medical")
    return core.fen(result.get("reimbursement")), before, decision


@transaction.atomic
def import_settlement(user: Any, *, data: bytes, name: str, hospital: str, region: str) -> SettlementImport:
    """导入一站式结算文件 (MA-3): every bill decided in the file's order (the yearly cap counts the earlier ones)."""
    region = (region or "").strip()
    if not access.in_area(access.areas_of(user, Perm.CASE_APPROVE), region) or len(region) < 6:
        raise PermissionDenied("只有县级审批人能导入本县（区）的结算文件")
    steps.required(hospital, "hospital", "定点医院", ProcedureError)
    digest = hashlib.sha256(data).hexdigest()
    if SettlementImport.objects.filter(region=region[:6], sha256=digest).exists():
        raise ProcedureError("该文件已导入过", "file")
    rows, problems = _rows(user, data, name, region[:6])
    if problems:
        shown = problems[:20]
        more = f"；另有 {len(problems) - 20} 处问题" if len(problems) > 20 else ""
        raise ProcedureError("文件未导入：" + "；".join(shown) + more, "file")
    if not rows:
        raise ProcedureError("文件中没有结算记录", "file")
    imp = SettlementImport.objects.create(region=region[:6], hospital=hospital.strip(), filename=name[:200],
                                          sha256=digest, imported_by=user, imported_at=timezone.now(), rows=len(rows))
    total = 0
    for r in rows:
        amount, before, decision = decide_bill(r["household"], r["person"], fen=r["fen"], illness=r["illness"],
                                               on=r["discharged"])
        Reimbursement.objects.create(settlement=imp, person=r["person"], household=r["household"],
                                     region=r["household"].region_code, bill_number=r["bill"],
                                     discharged_on=r["discharged"], illness=r["illness"], in_policy_fen=r["fen"],
                                     paid_before_fen=before, amount_fen=amount, assessment=decision,
                                     decided_at=timezone.now())
        total += amount
    imp.total_fen = total
    imp.save()
    audit.record(user, AuditKind.DECISION, imp, action="programs.medical.import",
                 reason=f"导入{imp.hospital}一站式结算 {len(rows)} 条，救助合计 {yuan(total)} 元（MA-3）")
    return imp


# --- MA-1: the premium subsidy list for the medical-insurance office ------------------------------------------

def premium_list(user: Any, year: int) -> list[dict]:
    """MA-1, NAT-MA: who gets how much of the residents' medical-insurance premium paid, for the year: the
    members of households with a live 低保 or 特困 benefit or a child's allowance, in the user's areas."""
    from doudi.benefits.models import LIVE, Benefit
    from doudi.policy.money import micro_to_fen
    from doudi.registry.documents import household_document

    today = timezone.localdate()
    on = today if today.year == year else dt.date(year, 1, 1)
    benefits = access.scope_queryset(user, Benefit.objects.filter(status__in=LIVE, household__isnull=False,
                                                                  program__in=("dibao", "tekun", "children")),
                                     Perm.CASE_VIEW)
    rows = []
    for hh_id in sorted(set(benefits.values_list("household_id", flat=True))):
        from doudi.registry.models import Household

        hh = Household.objects.get(pk=hh_id)  # access-checked: from the scoped benefits above
        doc = household_document(hh, on)
        decision, by_id = core.decide_members(doc)
        for m in doc["members"]:
            micro = by_id.get(m["id_number"], {}).get("medical.premium_subsidy_micro", 0)
            if micro > 0:
                rows.append({"household": hh, "name": m["name"], "id_number": m["id_number"],
                             "amount": yuan(int(micro_to_fen(micro))), "year": year})
    return rows


# --- MA-5: the emergency-illness fund ------------------------------------------------------------------------

@transaction.atomic
def open_emergency(user: Any, *, region: str, hospital: str, patient: str, identified: bool, admitted_on: dt.date,
                   cost: Any, ground: str, note: str = "") -> EmergencyFundCase:
    """疾病应急救助 (MA-5): an emergency patient unidentified or unable to pay; the county decides."""
    if not access.in_area(access.areas_of(user, Perm.CASE_ACCEPT), region):
        raise PermissionDenied("您的角色不能在该区域登记疾病应急救助")
    if ground not in ("unidentified", "unable"):
        raise ProcedureError("请选择救助情形（身份不明或无力支付）", "ground")
    if ground == "unidentified" and identified:
        raise ProcedureError("身份已明的患者不属于身份不明情形", "ground")
    steps.required(hospital, "hospital", "医院", ProcedureError)
    steps.required(patient, "patient", "患者", ProcedureError)
    try:
        fen = _money(str(cost))
    except (InvalidOperation, ValueError):
        raise ProcedureError(f"急救费用应为不小于0的金额（元），收到「{cost}」", "cost") from None
    c = EmergencyFundCase.objects.create(region=region, hospital=hospital.strip(), patient=patient.strip(),
                                         identified=identified, admitted_on=admitted_on, cost_fen=fen, ground=ground,
                                         recorded_by=user, note=note)
    audit.record(user, AuditKind.STEP, c, action="programs.emergency.open", reason="登记疾病应急救助（MA-5）")
    return c


@transaction.atomic
def decide_emergency(user: Any, pk: Any, *, approved: bool, note: str = "", on: dt.date | None = None) -> EmergencyFundCase:
    c = access.access_object(user, EmergencyFundCase.objects.select_for_update(), pk, Perm.CASE_APPROVE,
                             view_action=Perm.CASE_VIEW)
    if c.state != "open":
        raise ProcedureError("该案件已办结", "state")
    if c.recorded_by_id == user.pk:
        raise PermissionDenied("您登记了本案，不能审核本案")
    c.state, c.decided_by, c.decided_on = ("approved" if approved else "refused"), user, _today(on)
    c.note = "\n".join(x for x in (c.note, note.strip()) if x)
    c.save()
    audit.record(user, AuditKind.DECISION, c, action="programs.emergency.decide",
                 reason=("疾病应急救助基金支付 " + yuan(c.cost_fen) + " 元（MA-5）") if approved else "不予支付")
    return c


# --- MA-4: the daily medical allowance, paid monthly with the 低保 benefit ------------------------------------

@transaction.atomic
def start_daily_allowance(user: Any, *, household_id: Any, on: dt.date | None = None) -> Any:
    """MA-4: the household's 日常医疗补贴 as the policy core decides it (class A, elderly, grade 1–3 disabled 低保
    recipients), a monthly benefit beside the live 低保 benefit, from next month."""
    from doudi.benefits import services as benefits
    from doudi.benefits.models import LIVE, Benefit
    from doudi.benefits.months import month_of, next_month
    from doudi.registry.documents import household_document

    household = access.access_household(user, household_id)
    today = _today(on)
    if not Benefit.objects.filter(household=household, program="dibao", status__in=LIVE).exists():
        raise ProcedureError("该家庭没有在保的低保待遇，日常医疗补贴随低保发放（MA-4）", "household_id")
    if Benefit.objects.filter(household=household, program="medical_daily", status__in=LIVE).exists():
        raise ProcedureError("该家庭已有在发的日常医疗补贴", "household_id")
    doc = household_document(household, today)
    decision, _ = core.decide_members(doc)
    fen = core.fen(core.program(decision, "medical").get("daily_allowance_monthly"))
    if fen <= 0:
        raise ProcedureError("政策核算结果：本户无日常医疗补贴对象或本地未设定补贴标准（MA-4）", "household_id")
    try:
        return benefits.start_benefit(user, household=household, program="medical_daily", amount_fen=fen,
                                      start_month=next_month(month_of(today)), assessment=decision,
                                      parameters=core.parameters(household.region_code, today, household.residence,
                                                                 ("medical.daily_allowance",)),
                                      household_document=doc, on=today)
    except ValueError as exc:
        raise ProcedureError(f"待遇：{getattr(exc, 'message', exc)}", "__all__") from None
