"""How close a (synthetic) population comes to the national figures, decided by the policy core.

`calibration_report(table)` runs every program over a batch table and prints the achieved
shares of 低保, 特困 and edge households, household sizes and the average benefit beside the
targets of doudi.batch.synth.TARGETS (../shared/spec/national.md, "Figures for calibration").
`achieved(table)` returns the same figures as a dict (tests/batch/test_synth.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.policy.household import NAT, Households
from doudi.policy.schema import FIELDS, MISSING, Field


def households_from_table(table: pa.Table) -> Households:
    """The batch table as Households, through the batch reader (doudi.batch.io) when it is
    there (validating every column), else a direct conversion of the columns synth writes."""
    try:
        from doudi.batch import io as batch_io
    except ImportError:
        return _convert(table)
    return batch_io.group(table, "<synthetic>").households()


def _convert(table: pa.Table) -> Households:
    ids = table.column("household_id").to_numpy()
    change = np.concatenate([[True], ids[1:] != ids[:-1]]) if len(ids) else np.zeros(0, bool)
    person_hh = np.cumsum(change) - 1
    first = np.flatnonzero(change)
    cols: dict[str, np.ndarray] = {}
    texts: dict[str, list] = {}
    for f in FIELDS:
        if f.column in table.column_names:
            col = _stored(f, table.column(f.column).combine_chunks())
        else:
            col = _default(f, len(ids))
        if f.level == "household":
            if f.kind == "region":
                texts[f.column] = [str(v) for v in col[first]]
            col = col[first]
        cols[f.column] = col
    return Households(cols, person_hh, ids=list(ids[first]), texts=texts)


def _stored(f: Field, a: pa.Array) -> np.ndarray:
    k = f.kind
    if pa.types.is_dictionary(a.type):
        a = a.cast(a.type.value_type)
    if k in ("money", "area"):
        if not pa.types.is_decimal(a.type) or a.type.scale != 2:
            a = pc.cast(a, pa.decimal128(14, 2))
        words = np.frombuffer(a.buffers()[1], np.int64)[2 * a.offset: 2 * (a.offset + len(a))][::2]
        return np.where(a.is_valid().to_numpy(zero_copy_only=False), words, -1).astype(np.int64)
    if k == "count":
        return pc.fill_null(a.cast(pa.int64()), -1).to_numpy()
    if k == "flag":
        if f.default is MISSING:
            v = pc.fill_null(a.cast(pa.int8()), -1)
            return v.to_numpy().astype(np.int8)
        return pc.fill_null(a, bool(f.default)).to_numpy(zero_copy_only=False)
    if k == "enum":
        codes = pc.index_in(a.cast(pa.string()), value_set=pa.array(list(f.vocab)))
        return pc.fill_null(codes, -1).to_numpy().astype(np.int8)
    if k == "date":
        return a.cast(pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")
    if k == "region":
        return pc.cast(a.cast(pa.string()), pa.int64()).to_numpy()
    return np.full(len(a), None, dtype=object)  # text, id_number: not used by rules


def _default(f: Field, n: int) -> np.ndarray:
    d = f.default
    if f.kind in ("money", "count", "area"):
        return np.full(n, -1 if d is MISSING else int(d) * (100 if f.kind == "money" else 1), np.int64)
    if f.kind == "flag":
        return np.full(n, -1, np.int8) if d is MISSING else np.full(n, bool(d))
    if f.kind == "enum":
        return np.full(n, -1 if d is MISSING else f.vocab.index(d), np.int8)
    if f.kind == "date":
        return np.full(n, NAT, "datetime64[D]")
    return np.full(n, None, dtype=object)


def achieved(table: pa.Table, sets: dict[str, Any] | None = None) -> dict[str, float]:
    """The figures calibration_report prints, decided by the policy core."""
    from doudi.policy.engine import decide, merge_overrides
    from doudi.policy.params import default_policy

    policy = default_policy()
    hh = households_from_table(table)
    done, _, _ = decide(hh, policy, merge_overrides(policy, None, sets))
    db, tk = done["dibao"], done.get("tekun")
    tekun = tk.eligible if tk is not None else np.zeros(hh.n, bool)
    dibao = db.eligible & ~tekun
    urban = hh.enum_is("household.residence", "urban")
    covered = hh.count_members(db.persons["covered"])
    out: dict[str, float] = {"households": hh.n, "persons": hh.n_persons,
                             "tekun_implemented": float(bool(tekun.any()))}
    age = hh.age
    out["persons_per_household"] = hh.n_persons / max(hh.n, 1)
    out["age_60_plus"] = float(np.mean(age >= 60))
    out["age_0_14"] = float(np.mean((age >= 0) & (age <= 14)))
    out["disabled_persons"] = float(np.mean(hh.p("disability.grade") >= 1))
    out["urban_persons"] = float(np.mean(hh.per_person(urban)))
    out["orphan_persons"] = float(np.mean(hh.p("orphan")))
    ta = done.get("temporary")
    if ta is not None:
        out["temporary_cases"] = float(np.mean(ta.eligible))
        out["temporary_average"] = float(ta.amount[ta.eligible].sum() / max(int(ta.eligible.sum()), 1) / 100)
    for res, sel in (("urban", urban), ("rural", ~urban)):
        m = max(int(sel.sum()), 1)
        out[f"{res}_households"] = m
        d = dibao & sel
        out[f"dibao_{res}_households"] = d.sum() / m
        out[f"tekun_{res}_households"] = (tekun & sel).sum() / m
        out[f"edge_{res}_households"] = (db.extra["edge_family"] & sel).sum() / m
        out[f"dibao_{res}_size"] = covered[d].sum() / max(int(d.sum()), 1)
        standard = db.extra["standard"]
        out[f"benefit_share_{res}"] = db.amount[d].sum() / max(int((covered[d] * standard[d]).sum()), 1)
        out[f"benefit_per_person_{res}"] = db.amount[d].sum() / max(int(covered[d].sum()), 1) / 100
    return out


LABELS = {
    "dibao_urban_households": "低保 households, urban (share of urban households)",
    "dibao_rural_households": "低保 households, rural (share of rural households)",
    "dibao_urban_size": "低保 persons per household, urban",
    "dibao_rural_size": "低保 persons per household, rural",
    "tekun_urban_households": "特困 households, urban",
    "tekun_rural_households": "特困 households, rural",
    "edge_urban_households": "edge (低保边缘) households, urban",
    "edge_rural_households": "edge (低保边缘) households, rural",
    "benefit_share_urban": "average 低保 benefit ÷ standard, urban",
    "benefit_share_rural": "average 低保 benefit ÷ standard, rural",
}


def tolerance_for(key: str) -> float:
    from doudi.batch.synth import TOLERANCE

    for k, v in TOLERANCE.items():
        if key.endswith(k) or k in key:
            return v
    return 0.15


def within(key: str, target: float, got_value: float, got: dict[str, float]) -> bool:
    """Within the relative tolerance, or (for shares of households) within 3 standard errors
    of a binomial sample of the population's size: a small sample cannot do better."""
    slack = tolerance_for(key) * target
    if key.endswith("households"):
        m = got["urban_households" if "urban" in key else "rural_households"]
        slack = max(slack, 3 * (target * (1 - target) / max(m, 1)) ** 0.5)
    return abs(got_value - target) <= slack


SAMPLE_HOUSEHOLDS = 1_000_000


def first_households(table: pa.Table, n: int) -> pa.Table:
    """The rows of the first n households (rows of a household contiguous, as synth writes)."""
    ids = table.column("household_id")
    change = pc.not_equal(ids.slice(1), ids.slice(0, len(ids) - 1)) if len(ids) > 1 else None
    if change is None:
        return table
    starts = np.flatnonzero(change.to_numpy(zero_copy_only=False)) + 1
    return table if len(starts) < n else table.slice(0, int(starts[n - 1]))


def calibration_report(table: pa.Table, sample: int = SAMPLE_HOUSEHOLDS) -> str:
    """Achieved shares beside the targets, as a printable table (on the first `sample`
    households of a larger population)."""
    from doudi.batch.synth import TARGETS

    if table.num_rows == 0:
        return "calibration: no households, nothing to compare with the targets"
    got = achieved(first_households(table, sample))
    lines = [f"calibration of {got['households']:,} households, {got['persons']:,} persons "
             f"({got['persons_per_household']:.2f} per household)",
             f"{'figure':<52} {'target':>9} {'achieved':>9} {'ok':>4}"]
    for key, label in LABELS.items():
        t, a = TARGETS[key], got[key]
        pctf = not key.endswith(("size", "share_urban", "share_rural"))
        fmt = (lambda v: f"{100 * v:8.2f}%") if pctf else (lambda v: f"{v:9.3f}")
        ok = within(key, t, a, got)
        note = ""
        if key.startswith("tekun") and not got["tekun_implemented"]:
            note = "  (特困 rules not implemented yet)"
        lines.append(f"{label:<52} {fmt(t)} {fmt(a)} {'yes' if ok else 'NO':>4}{note}")
    lines.append(f"{'average 低保 benefit per person, urban (yuan/month)':<52} {'':>9} {got['benefit_per_person_urban']:9.2f}")
    lines.append(f"{'average 低保 benefit per person, rural (yuan/month)':<52} {'':>9} {got['benefit_per_person_rural']:9.2f}")
    for key, label, target in (("age_60_plus", "persons aged 60+ (census 2020: 18.7%)", 0.187),
                               ("age_0_14", "persons aged 0–14 (census 2020: 17.95%)", 0.1795),
                               ("urban_persons", "urban persons (2021: 64.7%)", 0.647),
                               ("disabled_persons", "persons with a disability certificate (~2.7%)", 0.027),
                               ("orphan_persons", "orphans (2021: 173 k of 1.41 bn people)", 173e3 / 1412.6e6),
                               ("temporary_cases", "temporary assistance cases per month (2021: 11.986 M/yr)",
                                11.986e6 / 12 / 494.16e6)):
        if key in got:
            lines.append(f"{label:<56} {100 * target:8.3f}% {100 * got[key]:8.3f}%")
    if "temporary_average" in got:
        lines.append(f"{'temporary assistance per case, yuan (2021: 1154.9)':<56} {1154.9:9.2f} {got['temporary_average']:9.2f}")
    lines.append("tolerances: shares ±15 % of the target, sizes and benefit shares ±10 % (relative)")
    return "\n".join(lines)
