"""The batch engine decides every household exactly as `doudi assess` decides it alone.

Random household documents (every field of doudi.policy.schema.FIELDS, across the seed
regions, urban and rural, with disabilities, incomes, hardship, schooling, ID numbers …) go
through both paths: doudi.policy.engine.assess on each document, and
doudi.batch.engine.assess_table on all of them as one population table. For every program
the eligibility and the amount must be the same, to the fen; a program absent from the
single decision is null in the batch.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doudi.batch.engine import assess_table
from doudi.batch.io import table_from_documents
from doudi.policy import identity
from doudi.policy.engine import assess
from doudi.policy.errors import InputError
from doudi.policy.schema import DISABILITY_KINDS, HARDSHIP_KINDS, HOUSEHOLD_FIELDS, MEMBER_FIELDS

COUNTIES = ("620422", "150202", "150203", "150302", "150303", "150304")
DATES = ("2022-06-01", "2023-06-01", "2024-03-15")
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
RELATIONS = ("self", "spouse", "child", "parent", "grandparent", "grandchild", "sibling", "other")
SPECIAL = {"id_number", "birth_date", "sex", "disability.kind", "disability.grade", "name",
           "medical_bill.patient", "region", "residence", "date"}


def money(r: random.Random) -> Any:
    """Yuan as the JSON allows: text with 0–2 decimals or a whole number; mostly small."""
    fen = r.choice([r.randint(0, 150_000), r.randint(0, 5_000_000), 0])
    return r.choice([f"{fen // 100}.{fen % 100:02d}", fen // 100, str(fen // 100), f"{fen / 100:.1f}"])


def value(r: random.Random, f) -> Any:
    if f.kind in ("money", "area"):
        return money(r)
    if f.kind == "flag":
        return r.random() < 0.5
    if f.kind == "enum":
        return r.choice(f.vocab)
    if f.kind == "count":
        lo = 0 if f.min is None else f.min
        return r.randint(lo, f.max if f.max is not None else 6)
    if f.kind == "text":
        return r.choice(["张某", "李某某", "说明"])
    raise AssertionError(f.kind)


def put(doc: dict[str, Any], path: str, v: Any) -> None:
    *parents, last = path.split(".")
    for p in parents:
        doc = doc.setdefault(p, {})
    doc[last] = v


def fields(r: random.Random, which, rare: float) -> dict[str, Any]:
    """A random subset of the given fields (each present with probability `rare`)."""
    out: dict[str, Any] = {}
    for f in which:
        if f.path not in SPECIAL and r.random() < rare:
            put(out, f.path, value(r, f))
    return out


def id_number(county: str, born: str, sex: str, seq: int) -> str:
    """A valid GB 11643 number for the birth date and sex (odd 17th digit: male)."""
    digit = (seq * 2 + (1 if sex == "M" else 0)) % 10
    first17 = f"{county}{born.replace('-', '')}{seq % 100:02d}{digit}"
    return first17 + identity.check_character(first17)


def member(r: random.Random, relation: str, county: str, rare: float) -> dict[str, Any]:
    m = fields(r, MEMBER_FIELDS, rare)
    for seldom in ("lives_together", "not_member_reason"):  # most members live together
        if r.random() < 0.9:
            m.pop(seldom, None)
    m["relation"] = relation
    born = (dt.date(1925, 1, 1) + dt.timedelta(days=r.randint(0, 36000))).isoformat()
    sex = r.choice("MF")
    how = r.randint(0, 9)
    if how < 3:  # ID number only: birth date and sex come from it
        m["id_number"] = id_number(county, born, sex, r.randint(0, 99))
    elif how < 5:  # ID number and agreeing birth date and sex
        m.update(id_number=id_number(county, born, sex, r.randint(0, 99)), birth_date=born, sex=sex)
    elif how < 9:
        m["birth_date"] = born
        if how < 7:
            m["sex"] = sex
    if r.random() < 0.2:
        m["disability"] = {"kind": r.choice(DISABILITY_KINDS), "grade": r.randint(1, 4)}
    if r.random() < 0.5:
        m.setdefault("monthly_income", {})["wages"] = money(r)
    if r.random() < 0.2:
        m["name"] = r.choice(["张三", "李四", "王五"])
    return m


def household(r: random.Random, rare: float) -> dict[str, Any]:
    """A random household document of a seed county (interfaces.md shape)."""
    county = r.choice(COUNTIES)
    size = r.randint(1, 5)
    members = [member(r, "self", county, rare)]
    members += [member(r, r.choice(RELATIONS[1:]), county, rare) for _ in range(size - 1)]
    doc = fields(r, HOUSEHOLD_FIELDS, rare)
    if r.random() < 0.25:
        doc["hardship"] = {"kind": r.choice(HARDSHIP_KINDS), "months": r.randint(1, 6), "people": r.randint(1, size)}
    if "medical_bill" in doc and r.random() < 0.5:
        doc["medical_bill"]["patient"] = r.randint(0, size - 1)
    doc.update(region=county, residence=r.choice(("urban", "rural")), date=r.choice(DATES), members=members)
    return doc


def population(seed: int, n: int, rare: float) -> list[dict[str, Any]]:
    r = random.Random(seed)
    return [household(r, rare) for _ in range(n)]


def valid_population(seed: int, n: int, rare: float = 0.15) -> list[dict[str, Any]]:
    """Random households that `doudi assess` accepts (for tests of the engines, not the reader)."""
    return [d for d in population(seed, n, rare) if single(d, {}) is not None]


def single(doc: dict[str, Any], sets: dict[str, str]) -> dict[str, Any] | None:
    try:
        return assess(doc, sets=sets).as_json()["programs"]
    except InputError:
        return None


def check_agreement(docs: list[dict[str, Any]], sets: dict[str, str]) -> None:
    singles = [single(d, sets) for d in docs]
    for d, s in zip(docs, singles, strict=True):
        if s is None:  # the JSON reader refuses it: so must the batch reader
            try:
                assess_table(table_from_documents([d]), sets)
            except InputError:
                continue
            raise AssertionError(f"batch accepted a household the JSON reader refuses: {d}")
    kept = [(d, s) for d, s in zip(docs, singles, strict=True) if s is not None]
    if not kept:
        return
    out = assess_table(table_from_documents([d for d, _ in kept]), sets).to_pylist()
    assert len(out) == len(kept)
    programs = {c[: -len(".eligible")] for c in out[0] if c.endswith(".eligible")}
    for row, (doc, s) in zip(out, kept, strict=True):
        assert set(s) <= programs, f"programs {set(s) - programs} missing from the batch output"
        for pid in programs:
            got = (row[f"{pid}.eligible"], row[f"{pid}.amount"])
            want = (s[pid]["eligible"], Decimal(s[pid]["amount"])) if pid in s else (None, None)
            assert got == want, f"{pid}: batch {got} ≠ single {want} for {doc}"


@settings(max_examples=40, deadline=None, suppress_health_check=SLOW)
@given(st.integers(0, 2**32 - 1), st.sampled_from([0.05, 0.15, 0.3]))
def test_batch_decisions_equal_single_decisions_for_every_program(seed, rare):
    # 40 populations of 50 random households: 2,000 households, each decided both ways
    check_agreement(population(seed, 50, rare), {})


@settings(max_examples=8, deadline=None, suppress_health_check=SLOW)
@given(st.integers(0, 2**32 - 1),
       st.sampled_from([{"dibao.standard.urban": "800.00"}, {"dibao.standard.rural": "450.50"},
                        {"dibao.standard.urban": "650.00", "dibao.standard.rural": "500.00"}]))
def test_batch_and_single_agree_under_the_same_parameter_overrides(seed, sets):
    check_agreement(population(seed, 40, 0.15), sets)


def test_an_empty_population_gives_the_columns_and_no_rows():
    table = pa.table({"household_id": pa.array([], pa.int64()), "household.region": pa.array([], pa.string()),
                      "household.residence": pa.array([], pa.string())})
    out = assess_table(table)
    assert out.num_rows == 0
    assert "dibao.eligible" in out.column_names and "dibao.amount" in out.column_names
