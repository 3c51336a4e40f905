"""The small known population of the statistics tests (Huining, plus a Baotou household beside it).

Built through the services, dated in 2026 (the refresh is run for January–April 2026):

- 张建国's household (tests/web/conftest.py: Huining village 620422100201, urban, 3 members, wages
  600): 低保 1500.00 from January (started by the system); found work in March (wages 2500, reviewed
  on 2026-03-10) → 渐退 from April, amount kept.
- 刘大山's household (Huining village 620422101201 of the other township, rural, 2 members): 低保
  800.00 from February; rental income 1900 reported, reviewed 2026-03-10 → stopped from April.
- 王老汉 (Huining village 620422100201, urban, alone, born 1951): 特困 case submitted and accepted
  2026-03-02, approved 2026-03-11, dispersed, bathing and dressing unable (partly lost self-care)
  → support from April at 910.00 + 350.00 = 1260.00 (docs/benefits.md: TK-1 700 × 1.3, TK-2 partial).
- 孙富 (Huining village 620422100201, urban, alone, wages 3000): 低保 application 2026-03-02,
  refused 2026-03-16; 钱多 (same village, urban): application 2026-03-03, withdrawn 2026-03-04.
- 张建国's household again: a fire, helped first 2026-03-02 with 800.00 (the township approves within
  its 1000.00 ceiling), paid the same day in one stage.
- 包头 household (150202001012, urban, 1 member): 低保 1000.00 from January — another city.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ..support.conftest import walk as support_walk  # noqa: F401, F811 - the support tests" fixture, reused

D = dt.date
TODAY = D(2026, 4, 15)
OTHER_VILLAGE = "620422101201"
VILLAGE = "620422100201"


def dibao_case(cast, household, until: str, start: dt.date):
    """A 低保 case walked from the window to the county (then refused) or withdrawn."""
    from doudi.cases import services as s

    cw, cw2, rev, ver, app = (cast[n] for n in ("huining_caseworker", "huining_caseworker_2", "huining_reviewer",
                                                 "huining_verifier", "huining_approver"))
    case = s.submit_application(cw, household.pk, on=start)
    if until == "withdrawn":
        s.withdraw(cw, case.pk, reason="申请人主动撤回", on=start + dt.timedelta(days=1))
        return case
    s.accept(cw, case.pk, on=start)
    s.investigate(cw, case.pk, investigators=[cw.pk, cw2.pk], visited_on=start + dt.timedelta(days=1),
                  findings="入户调查", signed_by_investigators=True, signed_by_family=True, authorisation=True,
                  on=start + dt.timedelta(days=1))
    s.request_verification(cw, case.pk, on=start + dt.timedelta(days=1))
    s.record_verification(ver, case.pk, result="核对一致", consistent=True, on=start + dt.timedelta(days=2))
    s.propose(rev, case.pk, recommend=False, opinion="收入高于标准,建议不予批准", on=start + dt.timedelta(days=3))
    s.close_notice(cw, case.pk, on=start + dt.timedelta(days=10))
    if until == "refused":
        s.refuse(app, case.pk, reasons="家庭人均收入高于低保标准", on=start + dt.timedelta(days=14))
    return case


def report_and_decide(cast, benefit, kind: str, facts: dict, on: dt.date, reporter: str = "huining_caseworker"):
    from doudi.benefits import services

    person = benefit.household.memberships_on(on).get(relation="self").person
    report = services.report_change(cast[reporter], benefit.pk, kind=kind, person_id=person.pk,
                                    member_facts=facts, occurred_on=on - dt.timedelta(days=3),
                                    description="情况变化", on=on)
    return services.decide_review(cast["huining_approver"], report.reviews.get().pk, reasons="复核", on=on)


@pytest.fixture
def known(cast, make_household, huining_household, baotou_household, support_walk, calendar):  # noqa: F811
    """The known population; returns its objects by name."""
    from doudi.benefits.services import start_benefit
    from doudi.registry.documents import household_document
    from doudi.relief import services as relief

    def start(household, fen, month, program="dibao"):
        return start_benefit(None, household=household, program=program, amount_fen=fen, start_month=month,
                             household_document=household_document(household, month - dt.timedelta(days=5)),
                             on=month - dt.timedelta(days=5))

    rural = make_household(OTHER_VILLAGE, "rural", [("刘大山", "self", D(1970, 5, 1), "M", {}),
                                                    ("刘二妮", "child", D(2010, 6, 1), "F", {})])
    elder = make_household(VILLAGE, "urban", [("王老汉", "self", D(1951, 4, 2), "M", {})])
    refused = make_household(VILLAGE, "urban", [("孙富", "self", D(1980, 2, 2), "M",
                                                 {"monthly_income": {"wages": 3000}})])
    withdrawn = make_household(VILLAGE, "urban", [("钱多", "self", D(1982, 3, 3), "M", {})])
    a = start(huining_household, 150000, D(2026, 1, 1))
    b = start(rural, 80000, D(2026, 2, 1))
    start(baotou_household, 100000, D(2026, 1, 1))
    report_and_decide(cast, a, "found_work", {"monthly_income": {"wages": 2500}}, D(2026, 3, 10))
    report_and_decide(cast, b, "income", {"monthly_income": {"property": 1900}}, D(2026, 3, 10),
                      reporter="other_town_caseworker")
    tekun = support_walk(elder, unable=("bathing", "dressing"), mode="dispersed", start=D(2026, 3, 2))
    dibao_case(cast, refused, "refused", D(2026, 3, 2))
    dibao_case(cast, withdrawn, "withdrawn", D(2026, 3, 3))
    fire = relief.help_first(cast["huining_caseworker"], household_id=huining_household.pk, kind="fire",
                             description="住房失火", simplified_check="现场查看属实", amount="800",
                             reasoning="衣物被褥烧毁", on=D(2026, 3, 2))
    relief.approve(cast["huining_reviewer"], fire.pk, on=D(2026, 3, 2))
    relief.pay_stage(cast["huining_finance"], fire.pk, on=D(2026, 3, 2))
    return {"a": a, "b": b, "tekun": tekun, "elder": elder, "rural": rural, "fire": fire}


@pytest.fixture
def refreshed(known):
    from doudi.reports import jobs

    jobs.refresh(TODAY, months=4)
    return known
