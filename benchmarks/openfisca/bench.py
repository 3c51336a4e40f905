"""Head-to-head with OpenFisca on one 低保 rule, 1,000,000 households (issue 3).

The rule: per-capita counted income against a dated standard (700 yuan, 会宁县 urban, from
2022-01-01); benefit (standard − per-capita income) × members, + 20 % of the standard per
severely disabled member. The population: doudi synth over 会宁县 (620422), every household
urban, disabilities only at grades 1–2 (doudi's DB-6 uplifts every disabled member, the
stated rule only the severely disabled: with grades 1–2 only the two coincide), incomes with
fen. Both read the same Parquet file with the columns of these facts only (membership,
counted income as wages, disability kind and grade; region, residence and date, which
doudi's batch format requires). doudi runs with --set dibao.standard.urban=700.00 dibao.disability_uplift=0.20
dibao.edge.single_person=false (the stated rule has no single-person coverage of edge families).

OpenFisca (openfisca-core from PyPI) runs in its own venv, benchmarks/.venv-openfisca, created
here on first use. Run: .venv/bin/python benchmarks/openfisca/bench.py [--households N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from common import DATE, DOUDI, OUT, PYTHON, load, machine, timed  # noqa: E402

VENV = HERE.parent / ".venv-openfisca"
OPENFISCA = "openfisca-core>=43,<45"
PYARROW = "pyarrow>=15,<27"  # to read the same Parquet file as doudi
SETS = {"dibao.standard.urban": "700.00", "dibao.disability_uplift": "0.20", "dibao.edge.single_person": "false"}
PERIOD = DATE[:7]
# what doudi.batch.memory.tune_allocator sets inside doudi's process, as environment variables for
# OpenFisca's (glibc reads MALLOC_*_ at start-up, numpy NUMPY_MADVISE_HUGEPAGE at import)
SAME_ALLOCATOR = {"MALLOC_MMAP_THRESHOLD_": str(32 * 1024 * 1024), "MALLOC_TRIM_THRESHOLD_": str(2**31 - 1),
                  "MALLOC_TOP_PAD_": str(64 * 1024 * 1024), "NUMPY_MADVISE_HUGEPAGE": "0"}


def ensure_venv() -> Path:
    py = VENV / "bin" / "python"
    if not py.exists():
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", OPENFISCA, PYARROW], check=True)
    return py


# The least any Python program on numpy and pyarrow does with the file: start, import, read it.
READ_ONLY = ("import sys, numpy, pyarrow.parquet as pq, pyarrow.csv as pacsv; p = sys.argv[1]; "
             "pacsv.read_csv(p) if p.endswith('.csv') else pq.read_table(p)")


def compile_bytecode(openfisca_python: Path) -> None:
    """Compile both sides' own modules once, as an installed package is. doudi runs from its
    checkout (an editable install) and the OpenFisca side's country package from this folder;
    where PYTHONDONTWRITEBYTECODE is set (it is on the machines here) Python would otherwise
    compile them again in every timed run (about 0.05 s of doudi's process)."""
    subprocess.run([str(PYTHON), "-m", "compileall", "-q", str(HERE.parents[1] / "doudi")], check=True)
    subprocess.run([str(openfisca_python), "-m", "compileall", "-q", str(HERE / "openfisca_dibao"), str(HERE)],
                   check=True)


def make_population(households: int) -> tuple[Path, Path]:
    """The Parquet population for doudi and the same persons as arrays for OpenFisca."""
    OUT.mkdir(exist_ok=True)
    pq_path = OUT / f"h2h_{households}.parquet"
    npz_path = OUT / f"h2h_{households}.npz"
    if pq_path.exists() and npz_path.exists():
        return pq_path, npz_path
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    import doudi.batch.synth as synth
    from doudi.batch.compare import fen_column

    synth.URBAN_SHARE = 1.0  # every household urban: huining-2022 governs urban households
    table = synth.synthesize(households, ["620422"], seed=5, date=DATE)
    rng = np.random.default_rng(5)
    grade = table.column("disability.grade").to_numpy(zero_copy_only=False)
    grade = np.where(np.isnan(grade), -1, grade).astype(np.int64)
    keep = (grade >= 1) & (grade <= 2)
    table = table.set_column(table.column_names.index("disability.grade"), "disability.grade",
                             pa.array(grade, mask=~keep))
    kind = table.column("disability.kind").combine_chunks()
    table = table.set_column(table.column_names.index("disability.kind"), "disability.kind",
                             pa.DictionaryArray.from_arrays(pa.array(pc.fill_null(kind.indices, 0).to_numpy(), mask=~keep),
                                                            kind.dictionary))
    wages = fen_column(table.column("monthly_income.wages"))
    wages = np.where(wages > 0, wages + rng.integers(0, 100, len(wages)), 0)  # incomes with fen
    table = table.set_column(table.column_names.index("monthly_income.wages"), "monthly_income.wages",
                             synth._money(wages))
    income = sum(fen_column(table.column(f"monthly_income.{k}")) for k in ("wages", "business", "property", "transfer"))
    ids = table.column("household_id").to_numpy()
    # doudi reads what OpenFisca is given: membership, counted income, disability (and the
    # region, residence and date its batch format requires); the counted income as wages
    slim = pa.table({"household_id": table.column("household_id"),
                     "household.region": table.column("household.region"),
                     "household.residence": table.column("household.residence"),
                     "household.date": table.column("household.date"),
                     "monthly_income.wages": synth._money(income),
                     "disability.kind": table.column("disability.kind"),
                     "disability.grade": table.column("disability.grade")})
    pq.write_table(slim, pq_path, compression="zstd")
    np.savez(npz_path, person_hh=ids - ids[0], income_fen=income.astype(np.int64), severe=keep)
    return pq_path, npz_path


def plain_variant(pq_path: Path, fmt: str) -> Path:
    """The same population with every column a plain string, as an export from another system gives
    it: dates as YYYY-MM-DD text, codes and amounts as text, absent values as nulls (Parquet, no
    dictionary encoding requested) or empty cells (CSV)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    out = pq_path.with_name(pq_path.stem + ("_plain.parquet" if fmt == "parquet" else "_plain.csv"))
    if out.exists():
        return out
    table = pq.read_table(pq_path)
    plain = table.__class__.from_arrays(
        [(c.cast(c.type.value_type) if hasattr(c.type, "value_type") else c).cast("string") for c in table.columns],
        names=table.column_names)
    tmp = out.with_name(out.name + ".tmp")
    if fmt == "parquet":
        pq.write_table(plain, tmp, compression="zstd", use_dictionary=False)
    else:
        pacsv.write_csv(plain, tmp, pacsv.WriteOptions(quoting_style="none"))
    tmp.rename(out)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5, help="runs of each side (the median is reported)")
    ap.add_argument("--threads", type=int, default=2, help="doudi's threads in its second configuration")
    ap.add_argument("--plain", choices=["parquet", "csv"],
                    help="both sides read the plain-string variant (every column text: dates YYYY-MM-DD, codes and "
                         "amounts as text) in this format instead of the typed Parquet file")
    ap.add_argument("--dict-sample", type=int, nargs="*", default=[1_000, 2_000, 4_000],
                    help="households also built through OpenFisca's situation-dict path (it grows faster than N)")
    args = ap.parse_args()
    py = ensure_venv()
    version = subprocess.run([str(py), "-c", "import importlib.metadata as m; print(m.version('openfisca-core'), m.version('numpy'))"],
                             capture_output=True, text=True, check=True).stdout.split()
    compile_bytecode(py)
    pq_path, npz_path = make_population(args.households)
    if args.plain:
        pq_path = plain_variant(pq_path, args.plain)
    print(f"machine: {machine()}; {load()}; openfisca-core {version[0]} (numpy {version[1]})")
    sets = [f"{k}={v}" for k, v in SETS.items()]

    d_out, d2_out, o_out = OUT / "h2h_doudi.npz", OUT / "h2h_doudi_2.npz", OUT / "h2h_openfisca.npz"
    ds_out = OUT / "h2h_doudi_split.npz"
    cli_out = OUT / "h2h_cli_out.parquet"
    cmd = [DOUDI, "batch", "assess", pq_path, cli_out, "--program", "dibao", *sum((["--set", s] for s in sets), [])]
    runs = []
    for _ in range(args.repeat):  # interleaved, so that a change of load touches both sides alike
        runs.append((timed([PYTHON, HERE / "doudi_side.py", pq_path, d_out, "1", *sets]),
                     timed([PYTHON, HERE / "doudi_side.py", pq_path, d2_out, str(args.threads), *sets]),
                     timed([py, HERE / "run_openfisca.py", pq_path, o_out, PERIOD]),
                     timed([py, HERE / "run_openfisca.py", pq_path, o_out, PERIOD], env=SAME_ALLOCATOR),
                     timed([PYTHON, HERE / "doudi_side.py", pq_path, ds_out, "split", *sets]),
                     timed(cmd)))
    for run in runs:
        for name, r in zip(("doudi", "doudi (threads)", "openfisca", "openfisca (allocator)", "doudi (split)", "doudi cli"),
                           run, strict=True):
            if r.returncode:
                print(name, r.stderr, file=sys.stderr)
                return 1
    d, d2, o, o2, ds = (median_run(runs, k) for k in range(5))
    dict_runs = [timed([py, HERE / "run_openfisca.py", pq_path, OUT / "h2h_openfisca_dict.npz", PERIOD, str(k)])
                 for k in args.dict_sample]
    dj, d2j, oj, o2j, dsj = (json.loads(r.stdout.strip().splitlines()[-1]) for r in (d, d2, o, o2, ds))
    c = sorted((run[5] for run in runs), key=lambda r: r.wall)[len(runs) // 2]  # the median by wall
    cmd_all = [DOUDI, "batch", "assess", pq_path, OUT / "h2h_cli_all.parquet", *sum((["--set", s] for s in sets), [])]
    c_all = timed(cmd_all)
    floor = sorted((timed([PYTHON, "-c", READ_ONLY, pq_path]) for _ in range(args.repeat)), key=lambda r: r.wall)
    floor = floor[len(floor) // 2]

    print(f"{dj['households']:,} households, {dj['persons']:,} persons; period {PERIOD}; "
          f"median of {args.repeat} runs of each side (by build + compute)")
    print(f"doudi, 1 thread     read {dj['read']:.2f} s + build and compute {dj['build_and_compute']:.2f} s; "
          f"process wall {d.wall:.2f} s (CPU {d.cpu:.2f} s), peak {d.peak_rss_mb:,.0f} MiB")
    print(f"doudi, {args.threads} threads   read {d2j['read']:.2f} s + build and compute {d2j['build_and_compute']:.2f} s; "
          f"process wall {d2.wall:.2f} s (CPU {d2.cpu:.2f} s), peak {d2.peak_rss_mb:,.0f} MiB")
    print(f"OpenFisca           read {oj['read']:.2f} s + build {oj['build']:.2f} s + compute {oj['compute']:.2f} s; "
          f"process wall {o.wall:.2f} s (CPU {o.cpu:.2f} s), peak {o.peak_rss_mb:,.0f} MiB")
    print(f"doudi, one chunk of 1,000,000 households on 1 thread: read {dsj['read']:.2f} s + build {dsj['build']:.2f} s "
          f"+ compute {dsj['compute']:.2f} s (build: group rows, read the columns into the schema, resolve parameters)")
    print(f"OpenFisca, doudi's allocator settings (environment)  read {o2j['read']:.2f} s + build {o2j['build']:.2f} s + "
          f"compute {o2j['compute']:.2f} s; process wall {o2.wall:.2f} s (CPU {o2.cpu:.2f} s)")
    for s in dict_runs:
        if s.returncode:
            continue
        sj = json.loads(s.stdout.strip().splitlines()[-1])
        per = (sj["dict_build"] + sj["dict_compute"]) / sj["dict_sample"]
        print(f"OpenFisca situation-dict path (build_from_entities), first {sj['dict_sample']:,} households: build "
              f"{sj['dict_build']:.2f} s + compute {sj['dict_compute']:.3f} s ({per * 1e6:,.0f} µs per household); "
              f"same amounts as the vectorised path: {sj['dict_same']}")
    print(f"input: {pq_path.name}")
    print(f"doudi batch assess --program dibao ({pq_path.suffix[1:]} in, Parquet out), median of {args.repeat}: "
          f"wall {c.wall:.2f} s (CPU {c.cpu:.2f} s), peak {c.peak_rss_mb:,.0f} MiB; every run: "
          + ", ".join(f"{r.wall:.2f} s (CPU {r.cpu:.2f})" for r in sorted((run[5] for run in runs), key=lambda r: r.wall)))
    o_walls = sorted(run[2].wall for run in runs)
    o_cpus = sorted(run[2].cpu for run in runs)
    c_cpus = sorted(run[5].cpu for run in runs)
    print(f"whole process, OpenFisca ÷ doudi batch assess --program dibao (medians): wall "
          f"{o_walls[len(runs) // 2] / c.wall:.2f}×, CPU {o_cpus[len(runs) // 2] / c_cpus[len(runs) // 2]:.2f}×")
    print(f"doudi batch assess, every program (Parquet in and out): wall {c_all.wall:.2f} s (CPU {c_all.cpu:.2f} s), "
          f"peak {c_all.peak_rss_mb:,.0f} MiB")
    print(f"reading the file and nothing else (Python, numpy and pyarrow imported, every column read by "
          f"pyarrow with its defaults), median of {args.repeat}: wall {floor.wall:.2f} s (CPU {floor.cpu:.2f} s); "
          f"3× OpenFisca's whole process would be {o_walls[len(runs) // 2] / 3:.2f} s")
    d_bc = dj["build_and_compute"]
    d2_bc = d2j["build_and_compute"]
    o_bc = oj["build"] + oj["compute"]
    print(f"build+compute: doudi {d_bc:.3f} s (1 thread), {d2_bc:.3f} s ({args.threads} threads); OpenFisca {o_bc:.3f} s "
          f"→ doudi {o_bc / d_bc:.1f}× faster on 1 thread, {o_bc / d2_bc:.1f}× on {args.threads}")
    o2_bc = o2j["build"] + o2j["compute"]
    print(f"build+compute against OpenFisca with doudi's allocator settings ({o2_bc:.3f} s): "
          f"doudi {o2_bc / d_bc:.1f}× faster on 1 thread, {o2_bc / d2_bc:.1f}× on {args.threads}")
    for k, name in enumerate(("doudi, 1 thread", f"doudi, {args.threads} threads", "OpenFisca",
                              "OpenFisca, doudi's allocator settings", "doudi, one chunk")):
        figures = sorted(bc_of(run[k]) for run in runs)
        print(f"  build+compute of every run, {name}: " + ", ".join(f"{x:.3f}" for x in figures) + " s")
    d_rbc, d2_rbc, o_rbc = dj["read"] + d_bc, d2j["read"] + d2_bc, oj["read"] + o_bc
    print(f"read+build+compute: doudi {d_rbc:.3f} s (1 thread), {d2_rbc:.3f} s ({args.threads} threads); OpenFisca "
          f"{o_rbc:.3f} s → {o_rbc / d_rbc:.1f}×, {o_rbc / d2_rbc:.1f}×")
    print(f"whole process (wall, incl. starting Python and imports): doudi {d.wall:.2f} s, {d2.wall:.2f} s; "
          f"OpenFisca {o.wall:.2f} s → {o.wall / d.wall:.1f}×, {o.wall / d2.wall:.1f}×")
    print(f"whole process (CPU): doudi {d.cpu:.2f} s, {d2.cpu:.2f} s; OpenFisca {o.cpu:.2f} s")
    compare_results(d_out, o_out, cli_out, npz_path)
    same = all(np.array_equal(np.load(d_out)["amount"], np.load(x)["amount"]) for x in (d2_out, ds_out))
    print(f"doudi on {args.threads} threads and in one chunk gives the same amounts as on one thread: {bool(same)}")
    print("commands:")
    print(f"  {PYTHON} {HERE / 'doudi_side.py'} {pq_path} {d_out} 1 {' '.join(sets)}")
    print(f"  {PYTHON} {HERE / 'doudi_side.py'} {pq_path} {d2_out} {args.threads} {' '.join(sets)}")
    print(f"  {PYTHON} {HERE / 'doudi_side.py'} {pq_path} {ds_out} split {' '.join(sets)}")
    print(f"  {py} {HERE / 'run_openfisca.py'} {pq_path} {o_out} {PERIOD}")
    print("  " + " ".join(str(x) for x in cmd))
    print("  " + " ".join(str(x) for x in cmd_all))
    return 0


def bc_of(r) -> float:
    """build + compute of one run, from the JSON line its process printed."""
    j = json.loads(r.stdout.strip().splitlines()[-1])
    return j.get("build_and_compute", j.get("build", 0) + j.get("compute", 0))


def median_run(runs: list, k: int):
    """The run of side k whose build + compute is the median."""
    ordered = sorted((run[k] for run in runs), key=bc_of)
    return ordered[len(ordered) // 2]


def compare_results(d_out: Path, o_out: Path, cli_out: Path, npz_path: Path) -> None:
    import pyarrow.parquet as pq

    from doudi.batch.compare import fen_column

    d, o = np.load(d_out), np.load(o_out)
    fen_d = d["amount"].astype(np.int64)
    of = o["amount"]
    fen_o = np.floor(of.astype(np.float64) * 100 + 0.5).astype(np.int64)  # OpenFisca float32 yuan, half-up to the fen
    cli = fen_column(pq.read_table(cli_out, columns=["dibao.amount"]).column("dibao.amount"))
    print(f"doudi batch assess dibao.amount equals the rule run: {bool(np.array_equal(cli, fen_d))}")
    elig_diff = d["eligible"] != o["eligible"]
    diff = fen_d != fen_o
    print(f"eligible: doudi {int(d['eligible'].sum()):,}, OpenFisca {int(o['eligible'].sum()):,}, "
          f"differ in {int(elig_diff.sum()):,} households")
    print(f"amount to the fen: equal in {int((~diff).sum()):,} households, differ in {int(diff.sum()):,}")
    exact = int(fen_d.sum())
    f32 = float(np.sum(of, dtype=np.float32))
    print(f"monthly total: doudi {exact / 100:,.2f} yuan (int64 fen, exact); OpenFisca float32 sum {f32:,.2f} "
          f"(off by {f32 - exact / 100:+,.2f}); float64 sum of its float32 amounts {float(np.sum(of, dtype=np.float64)):,.2f}")
    if diff.any():
        k = np.flatnonzero(diff)
        delta = fen_o[k] - fen_d[k]
        print(f"  differences (OpenFisca − doudi, fen): min {delta.min()}, max {delta.max()}; "
              f"largest amounts involved {fen_d[k].max() / 100:.2f} yuan")
        data = np.load(npz_path)
        ph, inc = data["person_hh"], data["income_fen"]
        total = np.bincount(ph, weights=inc)  # float64 of integers < 2^53: exact
        size = np.bincount(ph)
        for i in k[:5]:
            print(f"  household {i}: {size[i]} members, counted income {total[i] / 100:.2f} yuan; "
                  f"doudi {fen_d[i] / 100:.2f}, OpenFisca {float(of[i]):.6f} (float32) → {fen_o[i] / 100:.2f}")


if __name__ == "__main__":
    raise SystemExit(main())
