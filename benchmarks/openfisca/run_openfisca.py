"""OpenFisca side of the head-to-head (runs in benchmarks/.venv-openfisca).

Reads persons.npz (household index per person, counted income in fen, severe disability),
builds the simulation with the vectorised SimulationBuilder, computes `dibao` for one month
and writes the amounts (float32 yuan) to openfisca_out.npz; prints timings as JSON.
Usage: python run_openfisca.py IN.npz OUT.npz PERIOD
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
    data = np.load(src)
    person_hh = data["person_hh"]
    income_yuan = data["income_fen"] / 100  # float64 yuan; OpenFisca stores float32
    severe = data["severe"]
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
    print(json.dumps({"import_and_system": t1 - t0, "read": t2 - t1, "build": t3 - t2, "compute": t4 - t3,
                      "dtype": str(amount.dtype), "households": n, "persons": len(person_hh)}))


if __name__ == "__main__":
    main()
