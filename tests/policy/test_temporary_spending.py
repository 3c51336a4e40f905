"""NAT-TA-KINDS income condition of spending-driven (支出型) temporary assistance.

Spending-driven help is for households whose per-capita disposable income is below last year's
local average (`temporary.spending.income_limit`, yuan per person per month, set with `sets`).
Per-capita income = 低保 counted monthly income ÷ members. Huining urban (TA-1 formula in force),
urban 低保 standard pinned at 700.00, no work-cost deduction. Assessment date 2023-06-01.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from doudi.policy.engine import assess

DOUDI = str(Path(sys.executable).with_name("doudi"))

STD = {"dibao.standard.urban": "700.00", "dibao.standard.rural": "400.00"}


def adult(wages: str, relation: str = "self") -> dict:
    return {"relation": relation, "birth_date": "1980-01-01", "monthly_income": {"wages": wages}}


def couple(kind: str = "general") -> dict:
    # counted income 1000.00 + 500.00 = 1500.00 per month, 2 members: 750.00 per person
    return {"region": "620422", "residence": "urban", "date": "2023-06-01",
            "members": [adult("1000"), adult("500", "spouse")],
            "hardship": {"kind": kind, "people": 2, "months": 2}}


def temporary(doc: dict, **sets: str) -> dict:
    return assess(doc, sets={**STD, **sets}).as_json()["programs"]["temporary"]


def test_income_below_the_limit_keeps_the_spending_driven_grant():
    # 750.00 < 800.00: eligible; TA-1: 700.00 × 2 people × 2 months = 2800.00
    t = temporary(couple(), **{"temporary.spending.income_limit": "800.00"})
    assert t["eligible"] is True
    assert t["amount"] == "2800.00"
    assert any(s["rule"] == "NAT-TA-KINDS" and "750.00" in s["detail"] and "800.00" in s["detail"]
               and "低于" in s["detail"] for s in t["trace"])


def test_income_above_the_limit_refuses_spending_driven_help():
    # 750.00 ≥ 700.00: refused, amount 0.00, the trace ends on NAT-TA-KINDS with both figures
    t = temporary(couple(), **{"temporary.spending.income_limit": "700.00"})
    assert t["eligible"] is False
    assert t["amount"] == "0.00"
    last = t["trace"][-1]
    assert last["rule"] == "NAT-TA-KINDS"
    assert "750.00" in last["detail"] and "700.00" in last["detail"]
    assert "不予临时救助" in last["detail"]


def test_income_equal_to_the_limit_is_not_below_it():
    # 750.00 is not below 750.00: refused
    t = temporary(couple(), **{"temporary.spending.income_limit": "750.00"})
    assert t["eligible"] is False
    assert t["trace"][-1]["rule"] == "NAT-TA-KINDS"


def test_no_limit_set_skips_the_check_and_says_the_default_was_used():
    # national default none: 700.00 × 2 × 2 = 2800.00 granted, trace names the parameter default
    t = temporary(couple())
    assert t["eligible"] is True
    assert t["amount"] == "2800.00"
    assert any(s["rule"] == "NAT-TA-KINDS" and "参数「支出型救助收入条件（上年度当地人均可支配收入，月）」默认无" in s["detail"]
               for s in t["trace"])


def test_urgent_hardship_is_not_subject_to_the_income_limit():
    # a fire is urgent (急难型): the spending-driven income limit does not apply
    doc = couple("fire")
    doc["hardship"]["decided_amount"] = "3000.00"
    t = temporary(doc, **{"temporary.spending.income_limit": "100.00"})
    assert t["eligible"] is True
    assert t["amount"] == "3000.00"
    assert not any("人均月收入" in s["detail"] for s in t["trace"])


def test_command_line_set_of_the_limit_refuses_on_the_income_condition():
    # doudi assess --set temporary.spending.income_limit=600.00: 750.00 ≥ 600.00, refused
    proc = subprocess.run(
        [DOUDI, "assess", "-", "--format", "json", "--set", "dibao.standard.urban=700.00",
         "--set", "temporary.spending.income_limit=600.00"],
        input=json.dumps(couple()), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    t = json.loads(proc.stdout)["programs"]["temporary"]
    assert t["eligible"] is False
    assert t["trace"][-1]["rule"] == "NAT-TA-KINDS"
    assert "750.00" in t["trace"][-1]["detail"] and "600.00" in t["trace"][-1]["detail"]
