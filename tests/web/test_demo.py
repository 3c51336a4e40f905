"""`doudi demo --no-serve` (interfaces.md): builds the embedded SQLite database in WAL mode, prints the users."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.environ.get("DOUDI_DB", "sqlite") != "sqlite",
                                reason="the demo always runs on SQLite: tested once, in the SQLite pass")


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory) -> tuple[Path, str]:
    home = tmp_path_factory.mktemp("doudi-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOUDI_") and k != "DJANGO_SETTINGS_MODULE"}
    env["DOUDI_HOME"] = str(home)
    doudi = Path(sys.executable).with_name("doudi")
    out = subprocess.run([str(doudi), "demo", "--no-serve"], env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return home, out.stdout


def test_the_demo_prints_one_user_per_role_with_passwords(demo_home):
    _, stdout = demo_home
    for label in ("村（居）协理员", "乡镇（街道）经办人", "乡镇审核人", "县级民政审批人", "核对员", "财务", "部门联络员",
                  "监督", "审计", "慈善组织", "管理员"):
        assert label in stdout
    assert "jingban-Demo2026" in stdout


def test_the_demo_database_is_sqlite_in_wal_mode_with_the_three_regions(demo_home):
    home, _ = demo_home
    db = sqlite3.connect(home / "doudi.sqlite3")
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        counties = {row[0] for row in db.execute("SELECT DISTINCT county FROM registry_household")}
        assert {"620422", "150202", "150302"} <= counties
        n = db.execute("SELECT count(*) FROM registry_household").fetchone()[0]
        assert 100 <= n <= 1000
    finally:
        db.close()


def test_running_the_demo_again_reuses_the_database(demo_home):
    home, _ = demo_home
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOUDI_") and k != "DJANGO_SETTINGS_MODULE"}
    env["DOUDI_HOME"] = str(home)
    before = sqlite3.connect(home / "doudi.sqlite3").execute("SELECT count(*) FROM registry_household").fetchone()[0]
    out = subprocess.run([str(Path(sys.executable).with_name("doudi")), "demo", "--no-serve"], env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    after = sqlite3.connect(home / "doudi.sqlite3").execute("SELECT count(*) FROM registry_household").fetchone()[0]
    assert before == after


def test_the_demo_imports_department_files_and_puts_findings_on_the_worklist(demo_home):
    """doudi.verification.demo: deaths, vehicles, pensions and a person paid in two counties, imported as
    snapshots; the monthly check's findings are the township's tasks (a no-ID death record only "possible")."""
    home, stdout = demo_home
    assert "核对与比对：部门数据 4 份已导入" in stdout
    assert len(list((home / "verification" / "demo-files").glob("*.csv"))) == 4
    db = sqlite3.connect(home / "doudi.sqlite3")
    try:
        kinds = {row[0] for row in db.execute("SELECT kind FROM verification_snapshot s JOIN verification_dataset d "
                                              "ON d.id = s.dataset_id")}
        # the verification demo's four kinds (the monitoring demo adds medical costs and unemployment)
        assert kinds >= {"death", "vehicle", "pension", "benefit_elsewhere"}
        found = set(db.execute("SELECT kind, match FROM verification_finding WHERE state = 'open'").fetchall())
        assert {("death", "exact"), ("death", "possible"), ("vehicle", "exact"), ("pension", "exact"),
                ("two_counties", "exact")} <= found
        regions = {row[0] for row in db.execute("SELECT region FROM verification_finding")}
        assert all(r.startswith("620422100") for r in regions)  # the demo caseworker's township
    finally:
        db.close()


def test_the_demo_raises_warnings_of_several_kinds_and_opens_an_application_from_a_loubao(demo_home):
    """doudi.monitoring.demo: the scan's warnings (a flood, medical costs, unemployment, possible 漏保, and
    the six rules on the other departments' data), one village report, and one 漏保 visited and turned
    into a 低保 application (PR-7)."""
    home, stdout = demo_home
    assert "监测预警：扫描" in stdout and "启动低保申请" in stdout
    db = sqlite3.connect(home / "doudi.sqlite3")
    try:
        rules = {row[0] for row in db.execute("SELECT rule FROM monitoring_alert")}
        assert {"MW-LOUBAO", "MW-DISASTER", "MW-MEDICAL", "MW-UNEMPLOYMENT", "MW-VILLAGE"} <= rules
        # one small file of each department kind of doudi/monitoring/departments.py: each rule raises
        assert {"MW-RURAL", "MW-WORKER", "MW-CUSTODY", "MW-VICTIM", "MW-HOUSING", "MW-ILLNESS"} <= rules
        # the 乡村振兴 file's household is in the register's 防返贫监测对象 category, by import
        assert db.execute("SELECT way FROM monitoring_registerentry WHERE category = 'anti_poverty'").fetchall() \
            == [("import",)]
        opened = db.execute("SELECT linked_app FROM monitoring_alert WHERE rule = 'MW-LOUBAO' AND outcome = "
                            "'application'").fetchall()
        assert opened == [("cases",)]
    finally:
        db.close()
