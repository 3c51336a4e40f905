"""`doudi policy export REGION… --date D > params.yaml` and `doudi batch assess --policy params.yaml`
(issue 10): the file decides like the shipped data; an unknown region exits 2 with one line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

DOUDI = str(Path(sys.executable).with_name("doudi"))
if not Path(DOUDI).exists():  # pragma: no cover
    DOUDI = shutil.which("doudi") or DOUDI


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DOUDI, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_an_unknown_region_exits_2_with_one_line():
    r = run("policy", "export", "620422", "999999", "--date", "2026-07-01")
    assert r.returncode == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "999999" in r.stderr and "REGION" in r.stderr
    r = run("policy", "export", "620422", "--date", "2026-13-01")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "--date" in r.stderr


def test_batch_on_the_exported_file_gives_the_same_results(tmp_path):
    pop, a, b, params = (tmp_path / n for n in ("pop.parquet", "a.parquet", "b.parquet", "params.yaml"))
    assert run("synth", str(pop), "--households", "300", "--region", "620422", "150202", "150302",
               "--date", "2026-07-01").returncode == 0
    r = run("policy", "export", "620422", "150200", "150300", "--date", "2026-07-01")
    assert r.returncode == 0, r.stderr
    params.write_text(r.stdout, encoding="utf-8")
    assert run("batch", "assess", str(pop), str(a), "--quiet").returncode == 0
    r = run("batch", "assess", str(pop), str(b), "--policy", str(params), "--quiet")
    assert r.returncode == 0, r.stderr
    assert pq.read_table(a).equals(pq.read_table(b))


def test_a_household_outside_the_files_regions_is_refused(tmp_path):
    pop, out, params = tmp_path / "pop.parquet", tmp_path / "out.parquet", tmp_path / "params.yaml"
    assert run("synth", str(pop), "--households", "20", "--region", "150202", "--date", "2026-07-01").returncode == 0
    params.write_text(run("policy", "export", "620422", "--date", "2026-07-01").stdout, encoding="utf-8")
    r = run("batch", "assess", str(pop), str(out), "--policy", str(params))
    assert r.returncode == 2 and "150202" in r.stderr and not out.exists()
    params.write_text("not: [a parameter file", encoding="utf-8")
    r = run("batch", "assess", str(pop), str(out), "--policy", str(params))
    assert r.returncode == 2 and "--policy" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_database_without_a_migrated_store_is_one_line(tmp_path):
    import json
    import os

    doc = tmp_path / "h.json"
    doc.write_text(json.dumps({"region": "620422", "residence": "urban", "date": "2026-07-01",
                               "members": [{"relation": "self", "birth_date": "1975-01-01", "sex": "M"}]}))
    env = {**os.environ, "DOUDI_HOME": str(tmp_path / "home"), "DOUDI_DB": "sqlite"}
    (tmp_path / "home").mkdir()
    r = subprocess.run([DOUDI, "assess", str(doc), "--database"], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "--database" in r.stderr
