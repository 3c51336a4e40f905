"""Every decision reads the parameter store (issue 10, done means): an approved standard change
in Huining decides the next new case on the new figure and recomputes the county's live
benefits; a city change reaches all its counties; a future-dated change takes effect on its
date and not before; `doudi policy export` + `batch assess --policy` gives the web's amounts.

Expected amounts by hand from DB-2 (standard × members − counted income): the Huining household
of tests/web/conftest.py has 3 members and 600.00 wages a month; Baotou's has 1 member, no income.
"""

from __future__ import annotations

import datetime as dt
import io
from contextlib import redirect_stdout

import pytest

from doudi.benefits import services as benefits
from doudi.benefits.models import Benefit, StandardChange
from doudi.cases import services as cases
from doudi.params import services as params
from doudi.params.models import ParameterValue

D = dt.date


@pytest.fixture
def start(db):
    from doudi.benefits.services import start_benefit
    from doudi.registry.documents import household_document

    def make(household, amount_fen, month=None):
        month = month or D(2026, 1, 1)
        on = month - dt.timedelta(days=5)
        return start_benefit(None, household=household, program="dibao", amount_fen=amount_fen, start_month=month,
                             household_document=household_document(household, on), on=on)

    return make


def dibao_of(case, on):
    _doc, decision, rows = cases.assess_case(case, on)
    standard = next(r for r in rows if r["name"] == "dibao.standard.urban")
    return decision["programs"]["dibao"]["amount"], standard


def test_an_approved_standard_change_in_huining_decides_the_next_case_and_recomputes_live_benefits(
        start, huining_household, make_household, huining_approver, huining_approver_2, huining_caseworker):
    live = start(huining_household, 150000)  # 700.00 × 3 − 600.00
    change = benefits.start_standard_change(huining_approver, region="620422", residence="urban", new_standard="750",
                                            effective_from=D(2026, 7, 1), consumption_growth="5.2",
                                            source="会民发〔2026〕1号", consumption_spending="24000",
                                            standard_ratio="0.375")
    value = ParameterValue.objects.get(origin=f"benefits.standard#{change.pk}")
    assert value.state == "pending" and value.value == "750.00" and value.region == "620422"
    assert "DB-13" in value.figures and "24000.00 元/年 × 0.375 ÷ 12 = 750.00" in value.figures["NAT-DB-STANDARD"]
    benefits.approve_standard_change(huining_approver_2, change.pk, on=D(2026, 6, 20))
    assert ParameterValue.objects.get(pk=value.pk).state == "approved"
    assert Benefit.objects.get(pk=live.pk).amount_fen == 165000  # 750.00 × 3 − 600.00 = 1650.00

    newcomer = make_household("620422100201", "urban", [
        ("钱进", "self", D(1979, 1, 1), "M", {"monthly_income": {"wages": 600}}),
        ("孙红", "spouse", D(1980, 1, 1), "F", {}),
        ("钱小", "child", D(2013, 1, 1), "M", {}),
    ])
    case = cases.submit_application(huining_caseworker, newcomer.pk, on=D(2026, 7, 2))
    amount, standard = dibao_of(case, D(2026, 7, 2))
    assert amount == "1650.00"  # 750.00 × 3 − 600.00
    assert (standard["value"], standard["level"], standard["source"], standard["placeholder"]) == (
        "750.00", "county", "会民发〔2026〕1号", False)
    assert dibao_of(case, D(2026, 6, 30))[0] == "1500.00"  # before its date: 700.00 × 3 − 600.00


def test_a_future_dated_change_takes_effect_on_its_date_only(
        huining_household, huining_approver, huining_approver_2, huining_caseworker):
    v = params.enter(huining_approver, parameter="dibao.standard.urban", region="620422", value="800.00",
                     effective_from=D(2027, 1, 1), document="会民发〔2026〕9号")
    params.approve(huining_approver_2, v.pk)
    case = cases.submit_application(huining_caseworker, huining_household.pk, on=D(2026, 12, 1))
    assert dibao_of(case, D(2026, 12, 31))[0] == "1500.00"  # 700.00 × 3 − 600.00
    assert dibao_of(case, D(2027, 1, 1))[0] == "1800.00"  # 800.00 × 3 − 600.00


def test_a_city_standard_entered_on_the_parameter_pages_recomputes_every_county_under_it(
        start, baotou_household, baotou_city, baotou_city_2):
    live = start(baotou_household, 10000)
    v = params.enter(baotou_city, parameter="dibao.standard.urban", region="150200", value="900.00",
                     effective_from=D(2026, 7, 1), document="包民发〔2026〕3号")
    params.approve(baotou_city_2, v.pk, on=D(2026, 6, 20))
    change = StandardChange.objects.get(region="150200")
    assert change.state == "approved" and change.lines.count() == 1  # the household of county 150202
    assert Benefit.objects.get(pk=live.pk).amount_fen == 90000  # 900.00 × 1 − 0


def test_a_city_change_started_in_the_benefits_app_reaches_its_counties(start, baotou_household, baotou_city,
                                                                        baotou_city_2):
    live = start(baotou_household, 10000)
    change = benefits.start_standard_change(baotou_city, region="150200", residence="urban", new_standard="900",
                                            effective_from=D(2026, 7, 1), source="包民发〔2026〕3号")
    assert [ln.benefit_id for ln in change.lines.all()] == [live.pk]  # was 0 with startswith("150200")
    benefits.approve_standard_change(baotou_city_2, change.pk, on=D(2026, 6, 20))
    assert Benefit.objects.get(pk=live.pk).amount_fen == 90000


def test_export_and_batch_with_the_file_give_the_amounts_of_the_web(
        tmp_path, huining_household, make_household, huining_approver, huining_approver_2, huining_caseworker):
    from doudi.batch.cli import policy_file
    from doudi.batch.engine import assess_table
    from doudi.batch.io import table_from_documents
    from doudi.cli import main
    from doudi.registry.documents import household_document

    v = params.enter(huining_approver, parameter="dibao.standard.urban", region="620422", value="760.00",
                     effective_from=D(2026, 7, 1), document="会民发〔2026〕5号")
    params.approve(huining_approver_2, v.pk)
    rural = make_household("620422100201", "rural", [("何文华", "self", D(1960, 2, 2), "M", {})])
    households = [huining_household, rural]
    on = D(2026, 7, 15)
    web = []
    for h in households:
        case = cases.submit_application(huining_caseworker, h.pk, on=on)
        web.append(cases.assess_case(case, on)[1]["programs"]["dibao"]["amount"])
    assert web[0] == "1680.00"  # 760.00 × 3 − 600.00
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["policy", "export", "620422", "--date", "2026-07-01", "--database"]) == 0
    path = tmp_path / "params.yaml"
    path.write_text(out.getvalue(), encoding="utf-8")
    table = table_from_documents([household_document(h, on) for h in households])
    result = assess_table(table, policy=policy_file(str(path)), date=on.isoformat())
    col = next(c for c in result.column_names if c in ("dibao.amount", "dibao_amount"))
    got = [f"{x:.2f}" if not isinstance(x, str) else x for x in result.column(col).to_pylist()]
    assert got == web


def test_doudi_assess_with_database_reads_the_store(tmp_path, huining_household, huining_approver,
                                                    huining_approver_2):
    import json

    from doudi.cli import main
    from doudi.registry.documents import household_document

    v = params.enter(huining_approver, parameter="dibao.standard.urban", region="620422", value="750.00",
                     effective_from=D(2026, 7, 1), document="会民发〔2026〕1号")
    params.approve(huining_approver_2, v.pk)
    path = tmp_path / "household.json"
    path.write_text(json.dumps(household_document(huining_household, D(2026, 7, 2)), ensure_ascii=False),
                    encoding="utf-8")
    for flag, amount in (([], "1500.00"), (["--database"], "1650.00")):  # 700/750 × 3 − 600.00
        out = io.StringIO()
        with redirect_stdout(out):
            assert main(["assess", str(path), "--format", "json", *flag]) == 0
        assert json.loads(out.getvalue())["programs"]["dibao"]["amount"] == amount
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["policy", "show", "620422", "--date", "2026-07-02", "--database"]) == 0
    line = next(x for x in out.getvalue().splitlines() if x.startswith("dibao.standard.urban "))
    assert "750.00" in line and "county" in line and "会民发〔2026〕1号" in line and "placeholder" not in line
