"""Medical assistance (MA-1…MA-5, NAT-MA) through the services.

Huining urban (huining-2022 二（三）一.4): 低保 recipients get at least 70% of the in-policy
out-of-pocket cost reimbursed, within the yearly cap. No seed region sets a cap, so the tests that
need one set it through the household document's overrides (the policy core's per-document
parameters). Expected amounts are worked by hand from the rule text.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied

from doudi.programs import medical as s
from doudi.programs.models import Reimbursement
from doudi.programs.procedure import ProcedureError

D = dt.date
pytestmark = pytest.mark.django_db
HEADER = "结算单号,身份证号,姓名,出院日期,政策范围内个人自付,病种\n"


@pytest.fixture
def poor(make_household):
    """One person alone, no income: 0 < 700.00 → 低保 (MA-2's 低保 group)."""
    return make_household(members=[("周病", "self", D(1966, 1, 1), "M", {})])


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode("utf-8")


def _p(hh):
    return hh.memberships.get().person


def test_a_csv_bill_is_reimbursed_at_70_percent(huining_approver, poor):
    # MA-3: one-stop settlement — the assistance is computed at discharge from the hospital's bill
    p = _p(poor)
    imp = s.import_settlement(huining_approver, data=_csv(f"B001,{p.id_number},周病,2026-03-05,10000.00,"),
                              name="jiesuan.csv", hospital="会宁县人民医院", region="620422")
    r = Reimbursement.objects.get()
    # MA-2: 10000.00 × 70% = 7000.00 (no cap set in Huining)
    assert r.amount_fen == 700000 and imp.total_fen == 700000 and r.paid_before_fen == 0
    from doudi.accounts.models import AuditEntry

    assert r.discharged_on == D(2026, 3, 5)
    assert "MA-3" in AuditEntry.objects.get(action="programs.medical.import").reason
    assert "MA-2" in [t["rule"] for t in r.assessment["programs"]["medical"]["trace"]]


def test_the_yearly_cap_counts_what_was_paid_earlier_this_year(huining_approver, poor):
    poor.facts = {"overrides": {"medical.reimburse.yearly_cap": "10000.00"}}
    poor.save()
    p = _p(poor)
    s.import_settlement(huining_approver, data=_csv(f"B1,{p.id_number},周病,2026-02-01,10000.00,",
                                                   f"B2,{p.id_number},周病,2026-03-01,10000.00,"),
                        name="a.csv", hospital="医院", region="620422")
    first, second = Reimbursement.objects.order_by("discharged_on")
    # first bill 7000.00; second 10000 × 70% = 7000.00 > room 10000 − 7000 = 3000.00 → 3000.00 (MA-2 cap)
    assert (first.amount_fen, second.amount_fen, second.paid_before_fen) == (700000, 300000, 700000)


def test_an_xlsx_file_is_read_through_calamine(huining_approver, poor):
    import xlsxwriter

    p = _p(poor)
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet()
    for c, v in enumerate(HEADER.strip().split(",")):
        ws.write(0, c, v)
    for c, v in enumerate(["X9", p.id_number, "周病", "2026-03-05", 2000, "精神病"]):
        ws.write_string(1, c, v) if isinstance(v, str) else ws.write_number(1, c, v)
    wb.close()
    s.import_settlement(huining_approver, data=out.getvalue(), name="jiesuan.xlsx", hospital="医院", region="620422")
    # Huining sets no illness share: 2000.00 × 70% = 1400.00
    assert Reimbursement.objects.get().amount_fen == 140000


def test_a_bad_file_is_refused_whole_with_each_row_named(huining_approver, poor, baotou_household):
    p = _p(poor)
    other = baotou_household.memberships.get().person
    data = _csv(f"B1,{p.id_number},周病,2026-03-05,100.00,", f"B2,{other.id_number},高志红,2026-03-05,100,",
                f"B3,{p.id_number},周病,2026-13-05,abc,")
    with pytest.raises(ProcedureError) as e:
        s.import_settlement(huining_approver, data=data, name="x.csv", hospital="医院", region="620422")
    msg = e.value.message
    assert "第 3 行" in msg and "不在本辖区" in msg and "第 4 行" in msg and "出院日期" in msg and "政策范围内个人自付" in msg
    assert not Reimbursement.objects.exists()


def test_the_same_file_twice_and_a_caseworker_are_refused(huining_approver, huining_caseworker, poor):
    data = _csv(f"B1,{_p(poor).id_number},周病,2026-03-05,100.00,")
    with pytest.raises(PermissionDenied):
        s.import_settlement(huining_caseworker, data=data, name="x.csv", hospital="医院", region="620422")
    s.import_settlement(huining_approver, data=data, name="x.csv", hospital="医院", region="620422")
    with pytest.raises(ProcedureError):
        s.import_settlement(huining_approver, data=data, name="x.csv", hospital="医院", region="620422")


def test_ma1_premium_list_lists_the_dibao_members(huining_approver, poor, other_town_caseworker):
    from doudi.benefits import services as benefits

    benefits.start_benefit(None, household=poor, program="dibao", amount_fen=70000, start_month=D(2026, 1, 1))
    rows = s.premium_list(huining_approver, 2026)
    assert [r["name"] for r in rows] == ["周病"] and float(rows[0]["amount"]) > 0
    assert s.premium_list(other_town_caseworker, 2026) == []


def test_ma5_emergency_fund_case_four_eyes(huining_caseworker, huining_approver):
    c = s.open_emergency(huining_caseworker, region="620422100", hospital="会宁县人民医院", patient="无名氏（男，约50岁）",
                         identified=False, admitted_on=D(2026, 3, 1), cost="8600.50", ground="unidentified")
    assert c.cost_fen == 860050
    c = s.decide_emergency(huining_approver, c.pk, approved=True, on=D(2026, 3, 3))
    assert c.state == "approved"
    with pytest.raises(ProcedureError):
        s.open_emergency(huining_caseworker, region="620422100", hospital="医院", patient="张三", identified=True,
                         admitted_on=D(2026, 3, 1), cost="1", ground="unidentified")


def test_ma4_daily_allowance_in_wuhai_is_a_monthly_benefit(cast, make_household):
    from doudi.accounts.models import RoleAssignment, User
    from doudi.benefits import services as benefits

    approver = User.objects.create_user(username="wuhai_approver", password="x", full_name="乌审批")
    RoleAssignment.objects.create(user=approver, role="county_approver", area="150302")

    hh = make_household(region="150302001002", members=[("老低保", "self", D(1950, 1, 1), "M", {})])
    benefits.start_benefit(None, household=hh, program="dibao", amount_fen=60000, start_month=D(2026, 1, 1))
    b = s.start_daily_allowance(approver, household_id=hh.pk, on=D(2026, 3, 2))
    # MA-4 (wuhai-2014 五.6): alone, no member able to work → 低保 class A (DB-15); class A 60.00 beats
    # elderly 40.00 (the best of his groups): 60.00 yuan a month
    assert b.program == "medical_daily" and b.amount_fen == 6000 and b.start_month == D(2026, 4, 1)
