"""Per-application verification: 提请核对 with the 授权书, the run, the 核对报告, the recheck (复查)."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.cases import services as cases
from doudi.cases.procedure import ProcedureError
from doudi.verification import services
from doudi.verification.models import RequestState, VerificationRequest

from .conftest import DAY, PDF

pytestmark = pytest.mark.django_db

SI = ["身份证号", "姓名", "缴费月份", "缴费基数", "缴费单位"]
DEATH = ["身份证号", "姓名", "出生日期", "区划代码", "死亡日期"]


def _request(case, user, day=DAY):
    cases.request_verification(user, case.pk, authorisation=(PDF, "授权书.pdf"), on=day)
    return VerificationRequest.objects.get(case=case, recheck_of__isnull=True)


def test_a_request_without_the_signed_authorisation_is_refused(investigated, huining_household, huining_caseworker):
    case = investigated(huining_household)
    with pytest.raises(ProcedureError) as e:
        cases.request_verification(huining_caseworker, case.pk, on=DAY)
    assert e.value.field == "authorisation"
    with pytest.raises(ProcedureError) as e:
        cases.request_verification(huining_caseworker, case.pk, authorisation=(b"GIF89a", "x.gif"), on=DAY)
    assert "PDF" in e.value.message
    case.refresh_from_db()
    assert case.state == "investigated" and not VerificationRequest.objects.exists()


def test_department_income_makes_the_household_ineligible_and_the_case_shows_it(
        investigated, huining_household, huining_caseworker, huining_verifier, huining_reviewer, upload, client_for):
    head = huining_household.head
    # 人社: the head's contribution base in 2026-10 is 3000 yuan (declared wages 600)
    assert upload("social_insurance", SI, [[head.id_number, head.name, "2026-10", "3000", "某建筑公司"]]).ok
    case = investigated(huining_household)
    req = _request(case, huining_caseworker)
    assert req.state == RequestState.REQUESTED and req.due_on == dt.date(2026, 11, 5)  # Mon + 3 working days

    rep = services.run(huining_verifier, req.pk, on=DAY + dt.timedelta(days=1))
    wages = [i for i in rep.items if i["item"] == "wages"]
    assert wages == [{**wages[0], "declared": "600.00", "department": "3000.00", "difference": "+2400.00"}]
    assert wages[0]["sources"][0]["extracted_on"] == DAY.isoformat()
    # declared: 600 / 3 = 200 per head < 700: (700 - 200) × 3 = 1500.00
    assert rep.declared_decision["programs"]["dibao"]["eligible"] is True
    assert rep.declared_decision["programs"]["dibao"]["amount"] == "1500.00"
    # department: 3000 / 3 = 1000 per head, not below the standard 700: not eligible (DB-1)
    assert rep.department_decision["programs"]["dibao"]["eligible"] is False
    assert rep.department_decision["household"]["per_capita_income"] == "1000.00"
    assert rep.changes_decision and not rep.consistent
    assert "不符合低保条件" in rep.summary

    services.issue(huining_verifier, req.pk, on=DAY + dt.timedelta(days=1))
    case.refresh_from_db()
    assert case.state == "verified"
    assert case.verifications.get().result == rep.summary

    page = client_for(huining_caseworker).get(f"/cases/{case.pk}/").content.decode()
    assert "部门数据改变核算结果" in page and "按部门数据 不符合低保条件" in page

    with pytest.raises(ProcedureError) as e:
        cases.propose(huining_reviewer, case.pk, recommend=True, opinion="符合", on=DAY + dt.timedelta(days=2))
    assert "按部门数据核算不符合低保条件" in e.value.message
    cases.propose(huining_reviewer, case.pk, recommend=False, opinion="核对发现工资收入超标",
                  on=DAY + dt.timedelta(days=2))


def test_an_objection_leads_to_a_recheck_whose_report_replaces_the_first(
        investigated, huining_household, huining_caseworker, huining_verifier, huining_reviewer, upload):
    head = huining_household.head
    assert upload("social_insurance", SI, [[head.id_number, head.name, "2026-10", "3000", "某公司"]]).ok
    case = investigated(huining_household)
    req = _request(case, huining_caseworker)
    first = services.run(huining_verifier, req.pk, on=DAY)
    services.issue(huining_verifier, req.pk, on=DAY)

    recheck = services.object_to(huining_caseworker, first.pk, objection="已于10月底离职,附解除劳动合同证明",
                                 on=DAY + dt.timedelta(days=1))
    assert recheck.is_recheck and recheck.due_on == dt.date(2026, 11, 6)
    with pytest.raises(ProcedureError) as e:  # no proposal while the recheck is open
        cases.propose(huining_reviewer, case.pk, recommend=False, opinion="x", on=DAY + dt.timedelta(days=2))
    assert "复查尚未完成" in e.value.message
    with pytest.raises(services.VerificationError):  # one objection per report
        services.object_to(huining_caseworker, first.pk, objection="again")

    # 人社's new snapshot: in 2026-11 the contribution base is 0-free: no record for November, October kept,
    # but the new extraction shows the job ended with a November base of 500 (part-time)
    assert upload("social_insurance", SI, [[head.id_number, head.name, "2026-11", "500", "某公司"]],
                  extracted=DAY + dt.timedelta(days=2)).ok
    second = services.run(huining_verifier, recheck.pk, on=DAY + dt.timedelta(days=3))
    # the latest snapshot only: 500 < declared 600, so the declared 600 stands: (700 - 200) × 3 = 1500.00
    assert second.department_decision["programs"]["dibao"]["amount"] == "1500.00"
    assert not second.changes_decision
    services.issue(huining_verifier, recheck.pk, on=DAY + dt.timedelta(days=3))
    assert services.current_report(case) == second
    cases.propose(huining_reviewer, case.pk, recommend=True, opinion="复查后符合条件", on=DAY + dt.timedelta(days=4))
    # the issued first report was not changed
    first.refresh_from_db()
    assert first.department_decision["programs"]["dibao"]["eligible"] is False


def test_a_record_without_id_number_is_shown_as_possible_and_not_acted_on(
        investigated, huining_household, huining_caseworker, huining_verifier, upload):
    spouse = [m.person for m in huining_household.memberships_on(None) if m.relation == "spouse"][0]
    # a death record without an ID number: same name and birth date, same village
    assert upload("death", DEATH, [["", spouse.name, spouse.birth_date.isoformat(), "620422100201",
                                    "2026-10-20"]]).ok
    case = investigated(huining_household)
    req = _request(case, huining_caseworker)
    rep = services.run(huining_verifier, req.pk, on=DAY)
    assert [p["member"] for p in rep.possible] == [spouse.name]
    # 0.8 × 1.0 (same name) + 0.2 × 1.0 (same village) = 1.000
    assert rep.possible[0]["score"] == 1.0
    assert not [i for i in rep.items if i["item"] == "death"]
    assert len(rep.department_document["members"]) == 3 and not any(
        m.get("lives_together") is False for m in rep.department_document["members"])
    assert not rep.changes_decision


def test_a_request_not_started_within_3_working_days_is_overdue_on_the_worklist(
        investigated, huining_household, huining_caseworker, huining_verifier):
    from doudi.verification.worklist import items

    case = investigated(huining_household)
    req = _request(case, huining_caseworker)  # Mon 2026-11-02: due Thu 2026-11-05
    on_time = [i for i in items(huining_verifier, dt.date(2026, 11, 5)) if "核对请求" in i["title"]]
    assert on_time and not on_time[0]["overdue"] and on_time[0]["due_today"]
    late = [i for i in items(huining_verifier, dt.date(2026, 11, 6)) if "核对请求" in i["title"]]
    assert late[0]["overdue"]
    services.start(huining_verifier, req.pk, on=dt.date(2026, 11, 6))
    started = [i for i in items(huining_verifier, dt.date(2026, 11, 9)) if "核对请求" in i["title"]]
    assert started and not started[0]["overdue"] and "核对中" in started[0]["title"]


def test_the_report_is_readable_by_the_cases_users_and_printable(
        investigated, huining_household, huining_caseworker, huining_verifier, baotou_caseworker, client_for):
    case = investigated(huining_household)
    req = _request(case, huining_caseworker)
    services.run(huining_verifier, req.pk, on=DAY)
    c = client_for(huining_caseworker)
    assert c.get(f"/verification/requests/{req.pk}/").status_code == 200
    r = c.get(f"/verification/requests/{req.pk}/report/")
    assert r.status_code == 200 and "家庭经济状况核对报告" in r.content.decode()
    a = c.get(f"/verification/requests/{req.pk}/authorisation/")
    assert a.status_code == 200 and a.content == PDF
    assert client_for(baotou_caseworker).get(f"/verification/requests/{req.pk}/").status_code == 404
    # the township may not run or issue (verification officer only)
    with pytest.raises(Exception) as e:
        services.issue(huining_caseworker, req.pk)
    assert "核对员" in str(e.value)
