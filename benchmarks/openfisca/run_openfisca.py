"""OpenFisca side of the head-to-head (runs in benchmarks/.venv-openfisca).

Reads the same Parquet population as doudi (household_id, monthly_income.wages = counted
income in yuan, disability.grade), derives the person → household index, the income and the
severe-disability flag, builds the simulation with the vectorised SimulationBuilder, computes
`dibao` for one month and writes the amounts (float32 yuan) to OUT.npz; prints timings as JSON.
Usage: python run_openfisca.py IN.parquet|IN.csv OUT.npz PERIOD
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))


def main() -> None:
    src, dst, period = sys.argv[1], sys.argv[2], sys.argv[3]
    t0 = time.perf_counter()
    from openfisca_core.simulations import SimulationBuilder
    from openfisca_dibao import CountryTaxBenefitSystem

    tbs = CountryTaxBenefitSystem()
    t1 = time.perf_counter()
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    columns = ["household_id", "monthly_income.wages", "disability.grade"]
    if src.endswith(".csv"):  # the plain-string variant as CSV: the three columns as text
        import pyarrow as pa
        import pyarrow.csv as pacsv

        table = pacsv.read_csv(src, convert_options=pacsv.ConvertOptions(
            include_columns=columns, column_types={c: pa.string() for c in columns}, strings_can_be_null=True))
    else:
        table = pq.read_table(src, columns=columns)
    ids = table.column("household_id").combine_chunks()
    # rows of a household are contiguous: a new household where the id changes
    change = pc.not_equal(ids.slice(1), ids.slice(0, len(ids) - 1)).to_numpy(zero_copy_only=False)
    person_hh = np.cumsum(np.concatenate([[0], change]))
    # plain-string files (dates, codes and amounts as text) are converted by Arrow's cast kernels
    income_yuan = pc.fill_null(table.column("monthly_income.wages").cast("float64"), 0).to_numpy()
    grade = pc.fill_null(table.column("disability.grade").cast("int64"), 0).to_numpy()
    severe = (grade >= 1) & (grade <= 2)
    n = int(person_hh[-1]) + 1
    t2 = time.perf_counter()
    sb = SimulationBuilder()
    sb.create_entities(tbs)
    sb.declare_person_entity("person", np.arange(len(person_hh)))
    households = sb.declare_entity("household", np.arange(n))
    sb.join_with_persons(households, person_hh, np.zeros(len(person_hh), np.int64))
    sim = sb.build(tbs)
    sim.set_input("counted_income", period, income_yuan)
    sim.set_input("severely_disabled", period, severe)
    t3 = time.perf_counter()
    amount = sim.calculate("dibao", period)
    eligible = sim.calculate("dibao_eligible", period)
    t4 = time.perf_counter()
    np.savez(dst, amount=amount, eligible=eligible)
    out = {"import_and_system": t1 - t0, "read": t2 - t1, "build": t3 - t2, "compute": t4 - t3,
           "dtype": str(amount.dtype), "households": n, "persons": len(person_hh)}
    if len(sys.argv) > 4:  # also the usual situation-dict path, on the first households
        out.update(situation_path(tbs, person_hh, income_yuan, severe, period, int(sys.argv[4]), amount))
    print(json.dumps(out))


def situation_path(tbs, person_hh, income, severe, period, sample: int, vectorised) -> dict:
    """SimulationBuilder.build_from_entities on a situation dict (the JSON shape of the web
    API and of most OpenFisca tests), for the first `sample` households."""
    from openfisca_core.simulations import SimulationBuilder

    k = int(np.searchsorted(person_hh, sample))
    t0 = time.perf_counter()
    persons = {f"p{i}": {"counted_income": {period: float(income[i])}, "severely_disabled": {period: bool(severe[i])}}
               for i in range(k)}
    households: dict = {}
    for i in range(k):
        households.setdefault(f"h{person_hh[i]}", {"members": []})["members"].append(f"p{i}")
    sim = SimulationBuilder().build_from_entities(tbs, {"persons": persons, "households": households})
    t1 = time.perf_counter()
    amount = sim.calculate("dibao", period)
    t2 = time.perf_counter()
    same = bool(np.array_equal(amount, vectorised[:sample]))
    return {"dict_sample": sample, "dict_build": t1 - t0, "dict_compute": t2 - t1, "dict_same": same}


if __name__ == "__main__":
    main()
