"""A field no document gives is a read-only constant column of its default (as the batch reader gives
it); deciding on it is the same as deciding on the same default given on every row."""

from __future__ import annotations

import copy

from doudi.policy.engine import assess
from doudi.policy.household import from_documents, is_constant

DOC = {"region": "620422", "residence": "urban", "date": "2023-06-01",
       "members": [{"relation": "self", "name": "张某", "birth_date": "1980-01-01", "monthly_income": {"wages": 600},
                    "disability": {"kind": "physical", "grade": 2}},
                   {"relation": "spouse", "birth_date": "1982-01-01"},
                   {"relation": "child", "birth_date": "2012-01-01", "school": {"stage": "junior"}}]}
# defaults of fields DOC leaves out, written out on every member and on the household
DEFAULTS = {"ethnic_minority": False, "serious_illness": False, "orphan": False, "lives_together": True,
            "refused_work_offers": 0, "single_person_application": True}
HOUSEHOLD_DEFAULTS = {"assets": {"financial": 0, "vehicles": 0, "business": False}, "legal_supporters": "none",
                      "spending_12m": {"medical": 0, "education": 0}, "public_emergency_affected": False}


def test_a_field_no_document_gives_is_a_read_only_constant():
    hh = from_documents([DOC])
    assert is_constant(hh.p("orphan")) and not hh.p("orphan").flags.writeable
    assert is_constant(hh.p("monthly_income.business")) and hh.p("monthly_income.business")[0] == 0
    assert not is_constant(hh.p("monthly_income.wages"))  # given on one member of three
    assert list(hh.p("monthly_income.wages")) == [60000, 0, 0]


def test_absent_defaults_decide_as_the_same_defaults_given():
    given = copy.deepcopy(DOC)
    for m in given["members"]:
        m.update(DEFAULTS)
        m.setdefault("monthly_income", {}).update({"business": 0, "pension_basic": 0})
    given.update(HOUSEHOLD_DEFAULTS)
    assert not is_constant(from_documents([given]).p("orphan"))
    assert assess(given).as_json() == assess(DOC).as_json()
    assert assess(given).as_text() == assess(DOC).as_text()


def test_an_empty_batch_has_empty_columns():
    from doudi.policy.engine import assess_many, decide

    hh = from_documents([])
    assert hh.n == 0 and len(hh.h("region")) == 0 and hh.h("region").dtype.kind == "i"
    done, _, _ = decide(hh)
    assert all(len(r.amount) == 0 for r in done.values())
    assert assess_many([]) == []
