"""A synthetic population in the batch format (`doudi synth`).

One row per person, household fields prefixed `household.`, member fields by their path
(../shared/spec/interfaces.md, doudi/policy/schema.py FIELDS); `household_id` groups rows.
Money columns are yuan as decimal128(12,2), enums strings, flags booleans, dates date32.

The population is drawn household by household, vectorised with numpy:

1. a latent *situation* per household — 特困 (extreme poverty: one old or severely disabled
   person, no income, no supporter), 低保 (per-capita counted income below the local
   standard), 低保边缘 (1–1.5 × the standard) or ordinary (above 1.5 ×) — with the shares of
   TARGETS, separately for urban and rural households;
2. household size by situation (the poor live in small households: 低保 households average
   1.6 urban / 1.8 rural persons, 民政事业发展统计公报 2021), relations, ages and sexes by
   position (self, spouse, children, a parent), birth dates and valid GB 11643 ID numbers
   whose address code is the county;
3. disabilities (certificate kind and grade), illness, work and self-care ability,
   schooling by age, assets, and monthly incomes: the household's counted income is
   its situation's share of the standard in force for its county, residence and date
   (read from the policy data), split among its earners as wages or business income; old
   members also draw the residents' basic pension, which DB-3 does not count.

The situation is only a sampling device: eligibility is decided by the policy core, and
`calibration_report` shows what it decides beside the national figures. Deterministic for
a seed: chunk k of CHUNK households uses the random stream (seed, k), so a file written in
chunks equals the table built in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import numpy as np
import pyarrow as pa

from doudi.policy import regions
from doudi.policy.errors import InputError
from doudi.policy.schema import (
    ABILITY,
    DISABILITY_KINDS,
    HARDSHIP_KINDS,
    ILLNESSES,
    RELATIONS,
    SCHOOL_STAGES,
)

CHUNK = 250_000  # households per random stream / per written row group

# --- calibration targets (../shared/spec/national.md, "Figures for calibration") -----------
# Households: 494.16 M family households in the 2020 census (avg 2.62 persons); urban share of
# the population 64.7 % (2021). Shares below are of households (or persons, where named).
NATIONAL_HOUSEHOLDS = 494.16e6
URBAN_SHARE = 0.647
TARGETS = {
    # 低保 2021: urban 4.549 M households / 7.378 M people; rural 19.450 M / 34.745 M.
    "dibao_urban_households": 4.549e6 / (NATIONAL_HOUSEHOLDS * URBAN_SHARE),
    "dibao_rural_households": 19.450e6 / (NATIONAL_HOUSEHOLDS * (1 - URBAN_SHARE)),
    "dibao_urban_size": 7.378 / 4.549,
    "dibao_rural_size": 34.745 / 19.450,
    # 特困 2021: rural 4.373 M, urban 0.328 M people; almost all live alone (one-person households).
    "tekun_urban_households": 0.328e6 / (NATIONAL_HOUSEHOLDS * URBAN_SHARE),
    "tekun_rural_households": 4.373e6 / (NATIONAL_HOUSEHOLDS * (1 - URBAN_SHARE)),
    # 低保边缘: national.md gives no count. Assumption (unconfirmed): half as many edge
    # households as 低保 households, the order of the low-income monitoring figures.
    "edge_urban_households": 0.5 * 4.549e6 / (NATIONAL_HOUSEHOLDS * URBAN_SHARE),
    "edge_rural_households": 0.5 * 19.450e6 / (NATIONAL_HOUSEHOLDS * (1 - URBAN_SHARE)),
    # Average benefit per 低保 recipient as a share of the standard. national.md gives the average
    # standards (urban 711.4 yuan/month, rural 6362.2/12 = 530.18); the gap between standard and
    # per-capita income is assumed to average 2/3 of the standard urban and 0.61 rural (公报 2021
    # spending ÷ recipients ÷ 12, unconfirmed).
    "benefit_share_urban": 0.666,
    "benefit_share_rural": 0.610,
}
TOLERANCE = {  # what calibration_report and tests/batch/test_synth.py accept (relative)
    "households": 0.15, "size": 0.10, "benefit_share": 0.10,
}


TEKUN, DIBAO, EDGE, ORDINARY = 0, 1, 2, 3


# --- regions -------------------------------------------------------------------------------------

def _is_county(code: str) -> bool:
    return len(code) == 6 and code[4:] != "00"


def counties_under(code: str) -> list[str]:
    """The counties a 6-digit code stands for: itself for a county, else those under it."""
    code = str(code).strip()
    if not (code.isdigit() and len(code) == 6):
        raise InputError("--region", "a 6-digit GB/T 2260 code (county, city or province)", code)
    if not regions.is_known(code):
        raise InputError("--region", "a code that exists in GB/T 2260", code)
    if _is_county(code):
        return [code]
    found = _children_counties(code)
    if not found:
        raise InputError("--region", "a county, city or province code with counties under it", code)
    return found


def _children_counties(code: str) -> list[str]:
    children = getattr(regions, "children", None)
    out: list[str] = []
    if children is not None:
        for c in children(code):
            c = str(c)
            if len(c) != 6:
                continue
            out.extend([c] if _is_county(c) else _children_counties(c))
    else:  # scan the code space under the city or province
        cities = [code] if code[2:4] != "00" else [code[:2] + f"{k:02d}00" for k in range(1, 100)]
        for city in cities:
            for k in range(1, 100):
                c = city[:4] + f"{k:02d}"
                if regions.is_known(c):
                    out.append(c)
    current = getattr(regions, "is_current", None)
    out = [c for c in out if regions.name(c) != "市辖区" and (current is None or current(c))]
    return sorted(set(out))


def _counties(codes: list[str]) -> list[str]:
    out: list[str] = []
    for c in codes:
        for k in counties_under(c):
            if k not in out:
                out.append(k)
    return out


# --- the standard in force per county and residence ---------------------------------------------

def _standards(counties: list[str], on: dt.date) -> np.ndarray:
    """(len(counties), 2) int64 fen: the 低保 standard, column 0 urban, 1 rural."""
    from doudi.policy.params import default_policy

    policy = default_policy()
    out = np.zeros((len(counties), 2), np.int64)
    for i, c in enumerate(counties):
        for j, res in enumerate(("urban", "rural")):
            v = policy.resolve(f"dibao.standard.{res}", c, on, res).value
            # no standard in force (a date before the data): the 2021 national averages
            out[i, j] = int(v * 100) if v is not None else (71140 if j == 0 else 53018)
    return out


# --- the generator --------------------------------------------------------------------------

def synthesize(households: int, regions: list[str], seed: int = 0, date: str | None = None) -> pa.Table:
    """A synthetic population of `households` households over `regions` (county, city or
    province codes), one row per person in the batch format. Deterministic for a seed."""
    tables = list(synthesize_chunks(households, regions, seed=seed, date=date))
    if len(tables) == 1:
        return tables[0]
    return pa.concat_tables(tables)


def synthesize_chunks(households: int, region_codes: list[str], seed: int = 0,
                      date: str | None = None) -> Iterator[pa.Table]:
    """The same population as `synthesize`, as tables of at most CHUNK households each."""
    if households < 0:
        raise InputError("--households", "a whole number, not negative", households)
    if not region_codes:
        raise InputError("--region", "at least one region code")
    on = _reference_date(date)
    counties = _counties(list(region_codes))
    std = _standards(counties, on)
    if households == 0:  # the columns only
        yield _Chunk(np.random.default_rng([seed, 0]), 1, 0, counties, std, on).table().slice(0, 0)
        return
    for k, start in enumerate(range(0, households, CHUNK)):
        n = min(CHUNK, households - start)
        yield _Chunk(np.random.default_rng([seed, k]), n, start, counties, std, on).table()


def _reference_date(date: str | None) -> dt.date:
    if date is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(str(date))
    except ValueError:
        raise InputError("--date", "a date as YYYY-MM-DD", date) from None


def write(path: str, households: int, region_codes: list[str], seed: int = 0, date: str | None = None,
          on_chunk: Callable[[pa.Table], None] | None = None) -> int:
    """Write the population to Parquet (or CSV by extension) chunk by chunk, so memory holds one
    chunk whatever the size; `on_chunk` sees each chunk first. Returns the number of persons."""
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    persons = 0
    writer = None
    try:
        for t in synthesize_chunks(households, region_codes, seed=seed, date=date):
            if on_chunk is not None:
                on_chunk(t)
            persons += t.num_rows
            if str(path).lower().endswith(".csv"):
                t = _plain(t)
                if writer is None:
                    writer = pcsv.CSVWriter(path, t.schema)
            elif writer is None:
                writer = pq.ParquetWriter(path, t.schema, compression="zstd")
            writer.write_table(t)
    finally:
        if writer is not None:
            writer.close()
    return persons


def _plain(t: pa.Table) -> pa.Table:
    """Dictionary columns as plain strings (CSV)."""
    cols = [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in t.columns]
    return pa.table(cols, names=t.column_names)


# Household situation shares by residence (urban, rural), from TARGETS.
def _situation_probs() -> np.ndarray:
    p = np.zeros((2, 4))
    for j, res in enumerate(("urban", "rural")):
        p[j, TEKUN] = TARGETS[f"tekun_{res}_households"]
        # a few edge families have a member covered alone (DB-8) and count as 低保 too
        p[j, DIBAO] = TARGETS[f"dibao_{res}_households"] * (0.92 if res == "urban" else 0.96)
        p[j, EDGE] = TARGETS[f"edge_{res}_households"]
        p[j, ORDINARY] = 1 - p[j, :3].sum()
    return p


# Household size 1..8 by situation and residence.
SIZE_P = {
    # ordinary: 2020 census family households (25.4 % one person, 29.7 % two, 21.0 %, 13.2 %, 6.2 %, …)
    (ORDINARY, 0): [0.26, 0.31, 0.21, 0.12, 0.05, 0.03, 0.015, 0.005],
    (ORDINARY, 1): [0.22, 0.28, 0.20, 0.14, 0.08, 0.05, 0.02, 0.01],
    # 低保: mean 1.62 urban, 1.79 rural
    (DIBAO, 0): [0.60, 0.23, 0.11, 0.04, 0.015, 0.005, 0.0, 0.0],
    (DIBAO, 1): [0.53, 0.25, 0.12, 0.06, 0.03, 0.01, 0.0, 0.0],
    (EDGE, 0): [0.40, 0.30, 0.17, 0.08, 0.04, 0.01, 0.0, 0.0],
    (EDGE, 1): [0.35, 0.30, 0.18, 0.10, 0.05, 0.02, 0.0, 0.0],
    (TEKUN, 0): [1, 0, 0, 0, 0, 0, 0, 0],
    (TEKUN, 1): [1, 0, 0, 0, 0, 0, 0, 0],
}
# Age of the household's first person (self) in bands, by situation and single/multi-person.
AGE_BANDS = np.array([[18, 30], [30, 45], [45, 60], [60, 70], [70, 80], [80, 96]])
SELF_AGE_P = {
    (ORDINARY, True): [0.22, 0.20, 0.16, 0.18, 0.15, 0.09],
    (ORDINARY, False): [0.17, 0.38, 0.27, 0.11, 0.05, 0.02],
    (DIBAO, True): [0.04, 0.10, 0.22, 0.24, 0.24, 0.16],
    (DIBAO, False): [0.05, 0.22, 0.30, 0.20, 0.15, 0.08],
    (EDGE, True): [0.05, 0.12, 0.23, 0.24, 0.22, 0.14],
    (EDGE, False): [0.06, 0.26, 0.30, 0.18, 0.13, 0.07],
    (TEKUN, True): [0.03, 0.05, 0.07, 0.22, 0.33, 0.30],
}
ORPHAN_HOUSEHOLDS = 0.00022  # share of households: skipped-generation households of orphans
DISABILITY_RATE = {ORDINARY: 0.014, EDGE: 0.10, DIBAO: 0.20, TEKUN: 0.35}
ILLNESS_RATE = {ORDINARY: 0.012, EDGE: 0.06, DIBAO: 0.10, TEKUN: 0.15}
GRADE_P = [0.12, 0.26, 0.28, 0.34]
KIND_P = dict(zip(DISABILITY_KINDS, [0.52, 0.09, 0.08, 0.01, 0.10, 0.12, 0.08], strict=True))
# Median per-capita counted monthly income of ordinary households, yuan (urban 47 412, rural
# 18 931 yuan per year disposable income in 2021, medians somewhat lower).
ORDINARY_MEDIAN = (3300.0, 1300.0)


class _Chunk:
    """One chunk of households; every column is drawn with one generator, in a fixed order."""

    def __init__(self, rng: np.random.Generator, n: int, first_id: int, counties: list[str],
                 std: np.ndarray, on: dt.date):
        self.rng, self.n, self.first_id, self.on = rng, n, first_id, on
        self.counties = counties
        self.std_table = std
        self._households()
        self._persons()
        self._disability_and_health()
        self._school()
        self._income()
        self._assets_and_needs()

    # -- households
    def _households(self) -> None:
        r, n = self.rng, self.n
        self.county = r.integers(0, len(self.counties), n)
        self.rural = (r.random(n) >= URBAN_SHARE).astype(np.int64)
        probs = _situation_probs()
        u = r.random(n)
        cum = np.cumsum(probs, axis=1)[self.rural]
        self.situation = (u[:, None] >= cum[:, :3]).sum(axis=1)
        size = np.ones(n, np.int64)
        u = r.random(n)
        for (sit, rural), p in SIZE_P.items():
            sel = (self.situation == sit) & (self.rural == rural)
            size[sel] = np.searchsorted(np.cumsum(p), u[sel] * sum(p), side="right") + 1
        self.size = np.minimum(size, 8)
        self.std = self.std_table[self.county, self.rural]  # fen per person per month
        self.person_hh = np.repeat(np.arange(n), self.size)
        self.offsets = np.concatenate([[0], np.cumsum(self.size)[:-1]]).astype(np.int64)
        self.pos = np.arange(len(self.person_hh)) - self.offsets[self.person_hh]

    # -- persons: relation, age, sex, birth date
    def _persons(self) -> None:
        r, n = self.rng, self.n
        single = self.size == 1
        band = np.zeros(n, np.int64)
        u = r.random(n)
        for (sit, one), p in SELF_AGE_P.items():
            sel = (self.situation == sit) & (single == one)
            band[sel] = np.searchsorted(np.cumsum(p), u[sel] * sum(p), side="right")
        band = np.minimum(band, len(AGE_BANDS) - 1)
        lo, hi = AGE_BANDS[band, 0], AGE_BANDS[band, 1]
        self_age = lo + (r.random(n) * (hi - lo)).astype(np.int64)
        # a household with children is headed by someone of child-rearing age or older
        self_age = np.where(self.size >= 3, np.maximum(self_age, 24 + r.integers(0, 20, n)), self_age)
        hh = self.person_hh
        pos = self.pos
        sa = self_age[hh]
        np_ = len(hh)
        # position 1: a spouse (80 %), else a child or a parent; positions 2+: children; in
        # households of 5 or more the last person is a parent of the self (three generations).
        second_is_spouse = r.random(n) < 0.8
        rel = np.full(np_, RELATIONS.index("child"), np.int8)
        rel[pos == 0] = RELATIONS.index("self")
        spouse = (pos == 1) & second_is_spouse[hh]
        rel[spouse] = RELATIONS.index("spouse")
        parent = (self.size[hh] >= 5) & (pos == self.size[hh] - 1) & (sa <= 62)
        parent |= (pos == 1) & ~second_is_spouse[hh] & (sa < 40)
        rel[parent] = RELATIONS.index("parent")
        age = np.zeros(np_, np.int64)
        age[pos == 0] = self_age
        age = np.where(spouse, np.clip(sa + np.round(r.normal(-1.5, 3.0, np_)).astype(np.int64), 18, 99), age)
        child = rel == RELATIONS.index("child")
        gap = 23 + r.integers(0, 16, np_) + 2 * np.maximum(pos - 2, 0)
        age = np.where(child, np.clip(sa - gap, 0, 75), age)
        age = np.where(parent, np.clip(sa + 22 + r.integers(0, 12, np_), 40, 99), age)
        # orphans (NAT-CH-ORPHAN: 173 k in 2021, 0.012 % of people) live with a grandparent:
        # skipped-generation households of 2–4 people, the grandchildren under 18
        skipped = (self.size >= 2) & (self.size <= 4) & (self.situation != TEKUN) & (r.random(n) < ORPHAN_HOUSEHOLDS)
        grandchild = skipped[hh] & (pos > 0)
        heads = skipped[hh] & (pos == 0)
        age[heads] = 55 + r.integers(0, 21, int(heads.sum()))
        age = np.where(grandchild, 2 + r.integers(0, 16, np_), age)
        rel[grandchild] = RELATIONS.index("grandchild")
        spouse &= ~grandchild
        self.orphan = grandchild
        self.age = age
        self.relation = rel
        female = r.random(np_) < 0.488
        # a spouse is of the other sex
        first_female = female[self.offsets]
        female = np.where(spouse, ~first_female[hh], female)
        self.female = female
        # birth date: on the reference date the person is `age` whole years old
        ref = np.datetime64(self.on, "D")
        days_into = r.integers(0, 365, np_)
        birth = (ref - (age * 365.2425).astype(np.int64) - days_into).astype("datetime64[D]")
        self.birth = birth
        self.minority = (r.random(n) < 0.089)[hh]

    # -- disability, illness, abilities
    def _disability_and_health(self) -> None:
        r = self.rng
        hh, np_ = self.person_hh, len(self.person_hh)
        sit = self.situation[hh]
        age = self.age
        rate = np.zeros(np_)
        ill_rate = np.zeros(np_)
        for s, v in DISABILITY_RATE.items():
            rate[sit == s] = v
            ill_rate[sit == s] = ILLNESS_RATE[s]
        rate = rate * np.where(age >= 60, 1.8, np.where(age < 18, 0.4, 1.0))
        disabled = r.random(np_) < rate
        grade = np.searchsorted(np.cumsum(GRADE_P), r.random(np_), side="right") + 1
        kinds = np.searchsorted(np.cumsum(list(KIND_P.values())), r.random(np_) * 0.99999, side="right")
        # 特困 households of people under 60: severely disabled (NAT-TK-ABILITY)
        young_tekun = (sit == TEKUN) & (age < 60)
        disabled |= young_tekun
        grade = np.where(young_tekun, 1 + (r.random(np_) < 0.6), grade)
        tk_kinds = np.array([DISABILITY_KINDS.index(k) for k in ("physical", "intellectual", "mental")])
        kinds = np.where(young_tekun, tk_kinds[r.integers(0, 3, np_)], kinds)
        self.dis_grade = np.where(disabled, np.minimum(grade, 4), -1).astype(np.int64)
        self.dis_kind = np.where(disabled, kinds, -1).astype(np.int8)
        self.ill = r.random(np_) < ill_rate * np.where(age >= 50, 1.5, 0.6)
        g = self.dis_grade
        severe = (g >= 1) & (g <= 2)
        wa = np.full(np_, ABILITY.index("full"), np.int8)
        wa[((g == 3) | (g == 4)) | self.ill] = ABILITY.index("partial")
        wa[severe | (age >= 70)] = ABILITY.index("none")
        wa[(age >= 60) & (age < 70) & (wa == ABILITY.index("full"))] = ABILITY.index("partial")
        wa[sit == TEKUN] = ABILITY.index("none")
        wa[age < 16] = -1
        self.work_ability = wa
        sc = np.full(np_, ABILITY.index("full"), np.int8)
        u = r.random(np_)
        sc[(g == 2) | ((age >= 80) & (u < 0.3))] = ABILITY.index("partial")
        sc[(g == 1) | ((g == 2) & (u < 0.3))] = ABILITY.index("none")
        self.self_care = sc
        tasks = np.where(sc == ABILITY.index("none"), 4 + r.integers(0, 3, np_),
                         np.where(sc == ABILITY.index("partial"), 1 + r.integers(0, 3, np_), 0))
        self.self_care_tasks = tasks.astype(np.int64)

    # -- schooling by age
    def _school(self) -> None:
        r = self.rng
        age, np_ = self.age, len(self.age)
        u = r.random(np_)
        st = np.full(np_, -1, np.int8)
        S = SCHOOL_STAGES.index
        st[(age >= 3) & (age <= 5) & (u < 0.88)] = S("preschool")
        st[(age >= 6) & (age <= 11)] = S("primary")
        st[(age >= 12) & (age <= 14)] = S("junior")
        st[(age >= 15) & (age <= 17) & (u < 0.58)] = S("senior")
        st[(age >= 15) & (age <= 17) & (u >= 0.58) & (u < 0.91)] = S("vocational")
        st[(age >= 18) & (age <= 21) & (u < 0.25)] = S("junior_college")
        st[(age >= 18) & (age <= 21) & (u >= 0.25) & (u < 0.55)] = S("bachelor")
        st[(age >= 22) & (age <= 24) & (u < 0.04)] = S("postgraduate")
        st[(self.dis_grade >= 1) & (self.dis_grade <= 2) & (age >= 15)] = -1
        self.stage = st
        rural = self.rural[self.person_hh].astype(bool)
        self.boarding = (st >= S("junior")) & (r.random(np_) < np.where(rural, 0.45, 0.15))
        first_year = {S("primary"): 6, S("junior"): 12, S("senior"): 15, S("vocational"): 15,
                      S("junior_college"): 18, S("bachelor"): 18, S("preschool"): 3, S("postgraduate"): 22}
        start = np.full(np_, -99)
        for k, a in first_year.items():
            start[st == k] = a
        self.new_entrant = age == start

    # -- incomes: counted total by situation, split among earners
    def _income(self) -> None:
        r, n = self.rng, self.n
        hh, np_ = self.person_hh, len(self.person_hh)
        sit = self.situation
        urban = self.rural == 0
        # per-capita counted income as a share of the standard
        share = np.zeros(n)
        u = r.random(n)
        zero_p = np.where(urban, 0.35, 0.24)  # 低保 households with no counted income
        dib = sit == DIBAO
        share[dib] = np.where(u[dib] < zero_p[dib], 0.0, 0.05 + 0.93 * r.random(n)[dib])
        edge = sit == EDGE
        share[edge] = 1.03 + 0.44 * r.random(n)[edge]
        ordn = sit == ORDINARY
        median = np.where(urban, ORDINARY_MEDIAN[0], ORDINARY_MEDIAN[1]) * 100
        pci = median * np.exp(r.normal(0.0, 0.65, n))
        floor = 1.56 * self.std
        low = pci < floor
        pci = np.where(low, floor * (1 + 0.9 * r.random(n)), pci)
        share[ordn] = (pci / self.std)[ordn]
        total = np.floor(share * self.std * self.size).astype(np.int64)  # fen per month, household
        self.counted_target = total
        age = self.age
        earner = (age >= 16) & (age < 60) & (self.work_ability != ABILITY.index("none")) & (self.stage < 0)
        earner |= (age >= 60) & urban[hh] & (sit[hh] == ORDINARY)  # urban retirees: employee pension
        no_earner = ~np.bitwise_or.reduceat(earner, self.offsets) if np_ else np.zeros(n, bool)
        earner |= no_earner[hh] & (self.pos == 0)
        w = np.where(earner, 0.3 + r.random(np_), 0.0)
        wsum = np.add.reduceat(w, self.offsets) if np_ else np.zeros(n)
        per = np.floor(total[hh] * w / np.maximum(wsum[hh], 1e-9) / 100.0) * 100  # whole yuan
        per = per.astype(np.int64)
        kind_u = r.random(np_)
        retiree = age >= 60
        self.wages = np.where(earner & ~retiree & (kind_u < np.where(urban[hh], 0.85, 0.55)), per, 0)
        self.business = np.where(earner & ~retiree & (self.wages == 0), per, 0)
        self.transfer = np.where(earner & retiree, per, 0)
        # residents' basic pension (not counted, DB-3) for rural and poor old people
        basic = (age >= 60) & ~(urban[hh] & (sit[hh] == ORDINARY))
        self.pension_basic = np.where(basic, (130 + r.integers(0, 120, np_)) * 100, 0)
        self.property_income = np.zeros(np_, np.int64)
        self.employed = np.where(age >= 16, (self.wages > 0).astype(np.int8), -1).astype(np.int8)
        self.pension_insured = np.where(age >= 16, (r.random(np_) < 0.93).astype(np.int8), -1).astype(np.int8)

    # -- assets, medical costs, hardship, supporters
    def _assets_and_needs(self) -> None:
        r, n = self.rng, self.n
        hh = self.person_hh
        sit = self.situation
        urban = self.rural == 0
        poor = sit != ORDINARY
        fin_med = np.where(poor, 0.5 * self.std * self.size, np.where(urban, 60_000_00, 25_000_00))
        self.financial = (np.floor(fin_med * np.exp(r.normal(0, 1.0, n)) / 100) * 100).astype(np.int64)
        u = r.random(n)
        homes = np.where(u < np.where(urban, 0.12, 0.03), 0, 1)
        homes = np.where(~poor & (r.random(n) < np.where(urban, 0.18, 0.08)), 2, homes)
        self.homes = homes.astype(np.int64)
        self.space = np.where(homes > 0, (self.size * (22 + 18 * r.random(n)) * 100).astype(np.int64), 0)
        self.vehicles = np.where(~poor & (r.random(n) < np.where(urban, 0.45, 0.35)), 1, 0).astype(np.int64)
        self.business_flag = ~poor & (r.random(n) < 0.06)
        # supporters living elsewhere: 特困 have none; other households without a member able
        # to work have children elsewhere who can support them (so they are not 特困)
        g, kind, age = self.dis_grade, self.dis_kind, self.age
        im = (kind == DISABILITY_KINDS.index("intellectual")) | (kind == DISABILITY_KINDS.index("mental"))
        tk3 = (g >= 1) & ((im & (g <= 3)) | ((kind == DISABILITY_KINDS.index("physical")) & (g <= 2))
                          | ((kind == DISABILITY_KINDS.index("visual")) & (g == 1)))
        able = (age >= 18) & (age < 60) & ~tk3  # could support the others (NAT-TK-SUPPORTER)
        any_able = np.bitwise_or.reduceat(able, self.offsets) if len(hh) else np.zeros(n, bool)
        sup = np.where(r.random(n) < 0.5, 2, 0)
        sup = np.where(~any_able, 2, sup)
        sup = np.where(sit == TEKUN, 0, sup)
        self.supporters = sup.astype(np.int8)
        # medical: members with a major disease have out-of-pocket costs; last year's income
        own_cost = np.where(self.ill, (2_000 + r.integers(0, 40_000, len(hh))) * 100, -1)
        self.own_medical = own_cost.astype(np.int64)
        self.income_last_year = (self.counted_target * 12 * (0.9 + 0.2 * r.random(n))).astype(np.int64) // 100 * 100
        ill_hh = np.bitwise_or.reduceat(self.ill, self.offsets) if len(hh) else np.zeros(n, bool)
        bill = ill_hh & (r.random(n) < 0.3)
        self.bill = np.where(bill, (3_000 + r.integers(0, 60_000, n)) * 100, -1).astype(np.int64)
        self.bill_illness = np.where(bill, r.integers(0, len(ILLNESSES), n), -1).astype(np.int8)
        sick_spend = np.where(ill_hh, (1_000 + r.integers(0, 20_000, n)) * 100, 0)
        self.spend_medical = sick_spend.astype(np.int64)
        # temporary assistance: 11.986 M cases a year ≈ 2.4 % of households; a month's applications
        hard = r.random(n) < np.where(poor, 0.008, 0.0013)
        self.hardship = np.where(hard, r.integers(0, len(HARDSHIP_KINDS), n), -1).astype(np.int8)
        self.hardship_months = np.where(hard, 1 + r.integers(0, 6, n), -1).astype(np.int64)
        # the amount decided case by case: 1154.9 yuan per case on average (2021)
        decided = np.round(900 * np.exp(r.normal(0, 0.7, n)) / 10) * 1000
        self.decided = np.where(hard, decided, -1).astype(np.int64)

    # -- the Arrow table
    def table(self) -> pa.Table:
        n, hh = self.n, self.person_hh
        ids = self.first_id + np.arange(n, dtype=np.int64)
        cols: dict[str, pa.Array] = {}
        cols["household_id"] = pa.array(ids[hh])
        H = hh
        cols["household.region"] = _dict(self.county[H], list(self.counties))
        cols["household.residence"] = _dict(self.rural[H], ["urban", "rural"])
        cols["household.date"] = pa.array(np.full(len(hh), np.datetime64(self.on, "D")), pa.date32())
        cols["household.spending_12m.medical"] = _money(self.spend_medical[H])
        cols["household.household_income_last_year"] = _money(self.income_last_year[H])
        cols["household.assets.financial"] = _money(self.financial[H])
        cols["household.assets.homes"] = pa.array(self.homes[H])
        cols["household.assets.living_space_m2"] = _money(self.space[H])
        cols["household.assets.vehicles"] = pa.array(self.vehicles[H])
        cols["household.assets.business"] = pa.array(self.business_flag[H])
        cols["household.legal_supporters"] = _dict(self.supporters[H], ["none", "unable", "able"])
        cols["household.hardship.kind"] = _dict(self.hardship[H], list(HARDSHIP_KINDS))
        cols["household.hardship.months"] = _nullable_int(self.hardship_months[H])
        cols["household.hardship.decided_amount"] = _money(self.decided[H])
        reason = pa.array(np.where(self.decided >= 0, "一事一议，经集体研究确定", None)[H], pa.string())
        cols["household.hardship.reasoning"] = reason
        cols["household.medical_bill.in_policy_out_of_pocket"] = _money(self.bill[H])
        cols["household.medical_bill.illness"] = _dict(np.where(self.bill_illness < 0, ILLNESSES.index("other"), self.bill_illness)[H], list(ILLNESSES))
        cols["id_number"] = _id_numbers(self.counties, self.county[H], self.birth, self.female, self.rng)
        cols["relation"] = _dict(self.relation, list(RELATIONS))
        cols["birth_date"] = pa.array(self.birth, pa.date32())
        cols["sex"] = _dict(self.female.astype(np.int8), ["M", "F"])
        cols["ethnic_minority"] = pa.array(self.minority)
        cols["orphan"] = pa.array(self.orphan)
        cols["disability.kind"] = _dict(self.dis_kind, list(DISABILITY_KINDS))
        cols["disability.grade"] = _nullable_int(self.dis_grade)
        cols["work_ability"] = _dict(self.work_ability, list(ABILITY))
        cols["self_care"] = _dict(self.self_care, list(ABILITY))
        cols["self_care_tasks_unable"] = pa.array(self.self_care_tasks)
        cols["serious_illness"] = pa.array(self.ill)
        cols["medical_out_of_pocket_this_year"] = _money(self.own_medical)
        cols["school.stage"] = _dict(self.stage, list(SCHOOL_STAGES))
        cols["school.boarding"] = pa.array(self.boarding)
        cols["school.new_entrant"] = pa.array(self.new_entrant)
        cols["monthly_income.wages"] = _money(self.wages)
        cols["monthly_income.business"] = _money(self.business)
        cols["monthly_income.property"] = _money(self.property_income)
        cols["monthly_income.transfer"] = _money(self.transfer)
        cols["monthly_income.pension_basic"] = _money(self.pension_basic)
        cols["pension_insured"] = _nullable_bool(self.pension_insured)
        cols["employed"] = _nullable_bool(self.employed)
        return pa.table(cols)


# --- Arrow builders ------------------------------------------------------------------------------

def _validity(mask: np.ndarray) -> pa.Buffer | None:
    if mask.all():
        return None
    return pa.py_buffer(np.packbits(mask.astype(np.uint8), bitorder="little"))


def _money(fen: np.ndarray) -> pa.Array:
    """int64 fen (-1 absent) → decimal128(12,2) yuan, built from the unscaled integers."""
    fen = np.asarray(fen, np.int64)
    valid = fen >= 0
    words = np.zeros((len(fen), 2), np.int64)
    words[:, 0] = np.where(valid, fen, 0)
    return pa.Array.from_buffers(pa.decimal128(12, 2), len(fen), [_validity(valid), pa.py_buffer(words)])


def _dict(codes: np.ndarray, vocab: list[str]) -> pa.Array:
    """int codes (-1 absent) → dictionary<int8|int32, string>."""
    codes = np.asarray(codes)
    idx_type = np.int8 if len(vocab) < 127 else np.int32
    idx = pa.array(codes.astype(idx_type), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(idx, pa.array(vocab, pa.string()))


def _nullable_int(v: np.ndarray) -> pa.Array:
    v = np.asarray(v, np.int64)
    return pa.array(v, mask=v < 0)


def _nullable_bool(v: np.ndarray) -> pa.Array:
    v = np.asarray(v, np.int8)
    return pa.array(v == 1, mask=v < 0)


WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], np.int64)
CHECK = np.frombuffer(b"10X98765432", np.uint8)


def _digit_table(values: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(len, width) ASCII digits of each value, and their weighted sum (weights from `offset`)."""
    values = np.asarray(values, np.int64)
    digits = np.stack([(values // 10 ** (width - 1 - j)) % 10 for j in range(width)], axis=1)
    return (digits + ord("0")).astype(np.uint8), digits


def id_characters(county_codes: list[str], county: np.ndarray, birth: np.ndarray,
                  sequence: np.ndarray) -> np.ndarray:
    """(n, 18) uint8 ASCII of GB 11643 numbers: address code (the county), birth date
    YYYYMMDD, 3-digit sequence, check character. Built from small tables of the distinct
    counties, birth dates and sequences, so it costs a few gathers per person."""
    addr_chars, addr_digits = _digit_table(np.array([int(c) for c in county_codes], np.int64), 6)
    days, day_of = np.unique(birth.astype("datetime64[D]"), return_inverse=True)
    y = days.astype("datetime64[Y]").astype(np.int64) + 1970
    m = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    d = (days - days.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    date_chars, date_digits = _digit_table(y * 10000 + m * 100 + d, 8)
    seq_chars, seq_digits = _digit_table(np.arange(1000), 3)
    weighted = ((addr_digits @ WEIGHTS[:6])[county] + (date_digits @ WEIGHTS[6:14])[day_of]
                + (seq_digits @ WEIGHTS[14:])[sequence])
    out = np.empty((len(county), 18), np.uint8)
    out[:, :6] = addr_chars[county]
    out[:, 6:14] = date_chars[day_of]
    out[:, 14:17] = seq_chars[sequence]
    out[:, 17] = CHECK[weighted % 11]
    return out


def _id_numbers(county_codes: list[str], county: np.ndarray, birth: np.ndarray, female: np.ndarray,
                rng: np.random.Generator) -> pa.Array:
    """Valid ID numbers: sequence odd for men, even for women (GB 11643)."""
    seq = rng.integers(0, 500, len(county)) * 2 + (~female).astype(np.int64)
    chars = id_characters(county_codes, county, birth, seq)
    n = len(county)
    offsets = np.arange(0, 18 * n + 1, 18, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(chars.tobytes()))


__all__ = ["synthesize", "synthesize_chunks", "write", "calibration_report", "counties_under", "TARGETS"]


def calibration_report(table: pa.Table) -> str:  # defined in calibration.py to keep this module small
    from doudi.batch.calibration import calibration_report as report

    return report(table)
