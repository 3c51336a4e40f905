"""Properties of the policy core that hold for every household (hypothesis).

Households are drawn over the seed regions and their neighbours, through the public surface
(`assess` and the decision JSON).
"""

from __future__ import annotations

import copy
from decimal import Decimal

from builders import decision, household
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doudi.policy.schema import COUNTED_INCOME, NOT_COUNTED_INCOME

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COUNTIES = ["620422", "620421", "620402", "150202", "150203", "150302", "150303", "150304"]
# counties and cities that restate no 低保 rule or figure of their own
PLAIN = [("620421", "urban"), ("620402", "rural"), ("620422", "rural"), ("150202", "urban"), ("150203", "rural")]


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


money = st.integers(min_value=0, max_value=300_000).map(yuan)
small_money = st.one_of(st.just("0.00"), st.integers(min_value=1, max_value=150_000).map(yuan))


@st.composite
def members(draw, *, plain: bool = False) -> dict:
    """A member; `plain`: nobody disabled, ill, refusing work or living apart (no rule but the gap)."""
    m: dict = {
        "relation": draw(st.sampled_from(["self", "spouse", "child", "parent", "other"])),
        "birth_date": f"{draw(st.integers(1930, 2022))}-{draw(st.integers(1, 12)):02d}-15",
        "monthly_income": {k: draw(small_money) for k in draw(st.sets(st.sampled_from(COUNTED_INCOME), max_size=3))},
    }
    if not plain:
        if draw(st.booleans()):
            m["disability"] = {"kind": draw(st.sampled_from(["physical", "visual", "intellectual", "mental"])),
                               "grade": draw(st.integers(1, 4))}
        m["ethnic_minority"] = draw(st.booleans())
        m["serious_illness"] = draw(st.booleans())
        m["work_ability"] = draw(st.sampled_from(["full", "partial", "none"]))
        m["refused_work_offers"] = draw(st.integers(0, 4))
        m["lives_together"] = draw(st.sampled_from([True, True, True, False]))
    else:
        m["single_person_application"] = False
    return m


@st.composite
def households(draw, *, regions=None, plain: bool = False) -> dict:
    if regions is None:
        region, residence = draw(st.sampled_from(COUNTIES)), draw(st.sampled_from(["urban", "rural"]))
    else:
        region, residence = draw(st.sampled_from(regions))
    doc = household(region, draw(st.lists(members(plain=plain), min_size=1, max_size=5)), residence=residence,
                    date=draw(st.sampled_from(["2021-03-01", "2022-06-01", "2023-06-01", "2024-08-01"])))
    if not plain:
        doc["spending_12m"] = {"medical": draw(money), "education": draw(small_money)}
        doc["assets"] = {"financial": draw(money), "homes": draw(st.integers(0, 3))}
        doc["public_emergency_affected"] = draw(st.booleans())
    return doc


STANDARDS = st.fixed_dictionaries({
    "dibao.standard.urban": st.integers(30_000, 120_000).map(yuan),
    "dibao.standard.rural": st.integers(20_000, 90_000).map(yuan),
})


def fen(amount: str) -> int:
    return int(Decimal(amount) * 100)


def dibao_fen(doc: dict, sets: dict | None = None) -> tuple[bool, int]:
    e = decision(doc, **(sets or {}))["programs"]["dibao"]
    return e["eligible"], fen(e["amount"])


# --- amounts ----------------------------------------------------------------------------------

@SETTINGS
@given(households(), st.one_of(st.just({}), STANDARDS))
def test_no_amount_is_ever_negative(doc: dict, sets: dict) -> None:
    d = decision(doc, **sets)
    for pid, e in d["programs"].items():
        assert Decimal(e["amount"]) >= 0, pid
        assert e["amount"] == f"{Decimal(e['amount']):.2f}", pid


@SETTINGS
@given(households(), st.data())
def test_more_counted_income_never_raises_the_dibao_amount(doc: dict, data) -> None:
    # Single-person cover (DB-8) is left out: an edge family's severely disabled member covered
    # alone may get more than his family's small gap got — a cliff of the rule as written.
    for m in doc["members"]:
        m["single_person_application"] = False
    richer = copy.deepcopy(doc)
    k = data.draw(st.integers(0, len(doc["members"]) - 1))
    kind = data.draw(st.sampled_from(COUNTED_INCOME))
    income = richer["members"][k]["monthly_income"]
    income[kind] = yuan(fen(income.get(kind, "0")) + data.draw(st.integers(1, 200_000)))
    assert dibao_fen(richer)[1] <= dibao_fen(doc)[1]


@SETTINGS
@given(households(), st.data())
def test_income_of_the_not_counted_kinds_never_changes_the_dibao_decision(doc: dict, data) -> None:
    more = copy.deepcopy(doc)
    for m in more["members"]:
        for kind in data.draw(st.sets(st.sampled_from(NOT_COUNTED_INCOME))):
            m["monthly_income"][kind] = data.draw(money)
    assert dibao_fen(more) == dibao_fen(doc)


@SETTINGS
@given(households(regions=PLAIN, plain=True), STANDARDS)
def test_dibao_is_standard_times_members_less_counted_income_exactly(doc: dict, sets: dict) -> None:
    # In a region and household with no uplift, supplement, deduction or reduction.
    standard = fen(sets[f"dibao.standard.{doc['residence']}"])
    n = len(doc["members"])
    income = sum(fen(v) for m in doc["members"] for v in m["monthly_income"].values())
    d = decision(doc, **sets)
    e = d["programs"]["dibao"]
    assert fen(d["household"]["counted_monthly_income"]) == income
    assert e["eligible"] is (income < standard * n)
    assert fen(e["amount"]) == (standard * n - income if income < standard * n else 0)


# --- regions that restate nothing ---------------------------------------------------------------

def same_decision(doc: dict, other_region: str, sets: dict) -> None:
    mine = decision(doc, **sets)
    theirs = decision(dict(doc, region=other_region), **sets)
    assert mine["programs"] == theirs["programs"]
    assert mine["household"] == theirs["household"]


@SETTINGS
@given(households(regions=[("620421", "urban"), ("620421", "rural"), ("620402", "urban"), ("620402", "rural")]),
       st.one_of(st.just({}), STANDARDS))
def test_a_gansu_county_that_restates_nothing_decides_as_gansu(doc: dict, sets: dict) -> None:
    same_decision(doc, "620000", sets)
    same_decision(doc, "620400", sets)


@SETTINGS
@given(households(regions=[("150203", "urban"), ("150203", "rural")]), st.one_of(st.just({}), STANDARDS))
def test_a_baotou_district_without_data_decides_as_baotou(doc: dict, sets: dict) -> None:
    same_decision(doc, "150200", sets)


@SETTINGS
@given(households(regions=[("150302", "urban"), ("150303", "rural"), ("150304", "urban")]), st.one_of(st.just({}), STANDARDS))
def test_a_wuhai_district_decides_as_wuhai(doc: dict, sets: dict) -> None:
    same_decision(doc, "150300", sets)


# --- traces -------------------------------------------------------------------------------------

LIFTS = {"DB-4", "DB-6", "DB-7", "DB-8", "NAT-DB-EDGE", "DB-10", "NAT-DB-WORK"}


@SETTINGS
@given(households(), STANDARDS)
def test_the_trace_names_the_rules_behind_every_dibao_amount(doc: dict, sets: dict) -> None:
    d = decision(doc, **sets)
    e = d["programs"]["dibao"]
    ids = {s["rule"] for s in e["trace"]}
    assert all(s["source"] for s in e["trace"])
    assert {"NAT-DB-MEMBERS", "DB-14", "DB-1"} <= ids
    assert ids & {"DB-3", "NAT-DB-INCOME"}
    if not e["eligible"]:
        assert fen(e["amount"]) == 0
        return
    assert "DB-2" in ids
    n = d["household"]["members"]
    gap = fen(e["standard"]) * n - fen(d["household"]["counted_monthly_income"])
    if fen(e["amount"]) != gap:
        # something besides the plain gap made the amount: its rule is in the trace
        assert ids & LIFTS, (e["amount"], gap, ids)
