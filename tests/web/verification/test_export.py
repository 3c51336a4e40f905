"""The monthly check's set-based export (doudi/verification/export.py) against the per-household one it replaced.

`reference_export` below is the export as it was (one household document per household, one query per
benefit for the kin registration); it stays here as the reference only. A varied caseload in three
counties — members removed and added, 特困 persons (one who left the household), a stopped benefit,
assets and incomes given as JSON text and numbers, a case registered as kin of staff — must give the
same engine input, row for row, and the same findings against hand-made department files.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from doudi.verification import engine, monthly
from doudi.verification.datasets import latest_snapshots, snapshot_path
from doudi.verification.kinds import kinds
from doudi.verification.models import CheckRun, Finding, FindingState
from doudi.verification.params import param

from .conftest import DAY

pytestmark = pytest.mark.django_db
HUINING_VILLAGE, OTHER_VILLAGE, BAOTOU_VILLAGE, WUHAI_VILLAGE = ("620422100201", "620422101201", "150202001012",
                                                                "150302001002")


# --- the reference: the per-household export as it was before the set-based one ----------------------

def _kin_registered(benefit) -> bool:
    if benefit.decision_app != "cases" or not benefit.decision_pk:
        return False
    from doudi.cases.models import Decision

    d = Decision.objects.filter(pk=benefit.decision_pk).select_related("case").first()
    return bool(d and d.case.kin)


def reference_export(county: str, on: dt.date) -> dict[str, pa.Table]:
    from doudi.registry.documents import household_document
    from doudi.verification.figures import fen_of

    money = ("wages", "transfer", "business", "property", "other", "pension_basic")
    b_rows: dict[str, list] = {k: [] for k in ("benefit_id", "household_id", "program", "county", "residence",
                                               "start_month", "size", "homes", "vehicles", "business",
                                               "kin_registered")}
    m_rows: dict[str, list] = {k: [] for k in ("benefit_id", "person_id", "id_number", "name", "birth_date", "region",
                                               "wages_fen", "transfer_fen", "other_fen", "pension_basic_fen")}
    docs: dict[int, tuple[dict, dict]] = {}
    for b in monthly.live_benefits(county):
        hh = b.household
        if hh.pk not in docs:
            docs[hh.pk] = (household_document(hh, on), {m.person.id_number: m.person for m in hh.memberships_on(on)})
        doc, persons = docs[hh.pk]
        members = [m for m in doc["members"] if b.person_id is None or m["id_number"] == b.person.id_number]
        assets = doc.get("assets") or {}
        for k, v in (("benefit_id", b.pk), ("household_id", hh.pk), ("program", b.program), ("county", hh.county),
                     ("residence", hh.residence), ("start_month", b.start_month), ("size", len(members)),
                     ("homes", int(assets.get("homes") or 0)), ("vehicles", int(assets.get("vehicles") or 0)),
                     ("business", bool(assets.get("business"))), ("kin_registered", _kin_registered(b))):
            b_rows[k].append(v)
        for m in members:
            inc = {k: fen_of((m.get("monthly_income") or {}).get(k)) for k in money}
            p = persons.get(m["id_number"])
            for k, v in (("benefit_id", b.pk), ("person_id", p.pk if p else None), ("id_number", m["id_number"]),
                         ("name", m.get("name", "")), ("birth_date", dt.date.fromisoformat(m["birth_date"])),
                         ("region", hh.region_code), ("wages_fen", inc["wages"]), ("transfer_fen", inc["transfer"]),
                         ("other_fen", inc["business"] + inc["property"] + inc["other"]),
                         ("pension_basic_fen", inc["pension_basic"])):
                m_rows[k].append(v)
    benefits = pa.table({**b_rows, "start_month": pa.array(b_rows["start_month"], pa.date32()),
                         "size": pa.array(b_rows["size"], pa.int32())})
    members = pa.table({**m_rows, "birth_date": pa.array(m_rows["birth_date"], pa.date32()),
                        "person_id": pa.array(m_rows["person_id"], pa.int64())})
    from doudi.registry.models import Kinship

    ids = set(m_rows["id_number"])
    pairs = set(Kinship.objects.filter(person__id_number__in=ids).values_list("person__id_number",
                                                                               "relative__id_number"))
    pairs |= set(Kinship.objects.filter(relative__id_number__in=ids).values_list("relative__id_number",
                                                                                  "person__id_number"))
    kin = pa.table({"id_number": pa.array([a for a, _ in pairs], pa.string()),
                    "relative_id_number": pa.array([b for _, b in pairs], pa.string())})
    return {"benefits": benefits, "members": members, "kin": kin}


# --- the caseload ---------------------------------------------------------------------------------------

def _member(hh, name, relation, birth, sex="M", facts=None, start=dt.date(2020, 1, 1), end=None):
    from doudi.registry.models import Membership, Person
    from web.conftest import make_id_number

    p = Person.objects.create(id_number=make_id_number(hh.region_code[:6], birth, sex), name=name, facts=facts or {})
    Membership.objects.create(household=hh, person=p, relation=relation, start=start, end=end,
                              end_reason="moved" if end else "")
    return p


def _kin_case(hh):
    """A 低保 case of the household registered as kin of staff (近亲属备案), with its decision."""
    from doudi.cases.models import Case, Decision

    case = Case.objects.create(number=f"KIN{hh.pk:06d}", household=hh, region=hh.region_code, applicant_name="备案",
                               state="approved", submitted_on=dt.date(2025, 11, 1), kin=True)
    return Decision.objects.create(case=case, outcome="approved", amount_fen=10000, household_size=1)


@pytest.fixture
def caseload(db, huining_caseworker):
    from doudi.benefits.services import start_benefit
    from doudi.registry.models import Household, Kinship, Person
    from web.conftest import make_id_number

    def household(region, residence="urban", facts=None):
        return Household.objects.create(region_code=region, residence=residence, address="测试路1号", facts=facts or {})

    def dibao(hh, status="active", **kw):
        b = start_benefit(None, household=hh, program="dibao", amount_fen=30000, start_month=dt.date(2026, 1, 1),
                          on=dt.date(2025, 12, 20), **kw)
        if status != "active":
            type(b).objects.filter(pk=b.pk).update(status=status)
        return b

    def tekun(hh, person):
        return start_benefit(None, household=hh, person=person, program="tekun", amount_fen=50000,
                             start_month=dt.date(2026, 3, 1), on=dt.date(2026, 2, 20))

    out = {}
    # A: three members; assets as text and numbers; incomes in yuan with fractions of a fen
    a = household(HUINING_VILLAGE, facts={"assets": {"homes": "2", "vehicles": 1, "business": True}})
    out["a_head"] = _member(a, "甲户主", "self", dt.date(1970, 1, 1), facts={"monthly_income": {"wages": "600.50"}})
    _member(a, "甲子女", "child", dt.date(2000, 2, 2), "F", facts={"monthly_income": {"property": 12.345, "other": 5,
                                                                                  "pension_basic": "150"}})
    _member(a, "甲配偶", "spouse", dt.date(1972, 3, 3), "F", facts={"monthly_income": {"transfer": 300,
                                                                                   "business": "0.5"}})
    dibao(a)
    # B: a member moved out before the day, one moves in after it, one moved in before it; 渐退期
    b = household(HUINING_VILLAGE, residence="rural", facts={"assets": {"homes": 1}})
    _member(b, "乙户主", "self", dt.date(1965, 4, 4))
    out["b_gone"] = _member(b, "乙迁出", "child", dt.date(1995, 5, 5), start=dt.date(2020, 1, 1),
                            end=dt.date(2026, 10, 1))
    _member(b, "乙将迁入", "spouse", dt.date(1990, 6, 6), "F", start=dt.date(2026, 12, 1))
    _member(b, "乙新成员", "parent", dt.date(1940, 7, 7), "F", start=dt.date(2026, 6, 1))
    dibao(b, status="gradual_exit")
    # C: 低保 of the household and 特困 of its old member
    c = household(OTHER_VILLAGE, residence="rural")
    out["c_old"] = _member(c, "丙老人", "parent", dt.date(1938, 8, 8))
    _member(c, "丙户主", "self", dt.date(1968, 9, 9), facts={"monthly_income": {"wages": 900}})
    dibao(c)
    tekun(c, out["c_old"])
    # D: 特困 of a person who left the household before the day (a benefit without members)
    d = household(HUINING_VILLAGE)
    _member(d, "丁户主", "self", dt.date(1950, 10, 10))
    left = _member(d, "丁已离开", "sibling", dt.date(1945, 11, 11), end=dt.date(2026, 9, 1))
    tekun(d, left)
    # E: a stopped benefit is not checked
    e = household(HUINING_VILLAGE)
    out["e_stopped"] = _member(e, "戊停保", "self", dt.date(1960, 12, 12))
    dibao(e, status="stopped")
    # F: registered as kin of staff (备案); G: kin of staff, not registered
    f = household(HUINING_VILLAGE)
    out["f_kin"] = _member(f, "己备案", "self", dt.date(1955, 1, 15), "F")
    dibao(f, decision_ref=("cases", "decision", _kin_case(f).pk))
    g = household(HUINING_VILLAGE)
    out["g_kin"] = _member(g, "庚亲属", "self", dt.date(1956, 2, 16))
    dibao(g)
    huining_caseworker.id_number = make_id_number("620422", dt.date(1985, 1, 1))
    huining_caseworker.save()
    staff = Person.objects.create(id_number=huining_caseworker.id_number, name="王经办")
    Kinship.objects.create(person=out["g_kin"], relative=staff, kind="parent")
    Kinship.objects.create(person=staff, relative=out["f_kin"], kind="parent")  # the other direction
    Kinship.objects.create(person=out["a_head"], relative=out["c_old"], kind="parent")  # no staff: not read
    # other counties: Baotou (a 低保 and a 特困 person), Wuhai
    h = household(BAOTOU_VILLAGE, facts={"assets": {"vehicles": "0", "homes": 0}})
    _member(h, "包头甲", "self", dt.date(1961, 3, 17), facts={"monthly_income": {"wages": 2000}})
    out["baotou_tekun"] = _member(h, "包头乙", "spouse", dt.date(1939, 4, 18), "F")
    dibao(h)
    tekun(h, out["baotou_tekun"])
    w = household(WUHAI_VILLAGE)
    _member(w, "乌海甲", "self", dt.date(1962, 5, 19))
    dibao(w)
    return out


@pytest.fixture
def files(caseload, upload):
    """Huining's department files: deaths (one of a member who moved out), vehicles, wages, a pension, 户籍."""
    from doudi.registry.models import Person

    p = caseload
    everyone = Person.objects.exclude(pk=p["a_head"].pk)
    assert upload("huji", ["身份证号", "姓名", "户籍状态"], [[x.id_number, x.name, "正常"] for x in everyone]).ok
    assert upload("death", ["身份证号", "姓名", "死亡日期"], [
        [p["c_old"].id_number, "丙老人", "2026-10-20"], [p["b_gone"].id_number, "乙迁出", "2026-10-05"],
        [p["e_stopped"].id_number, "戊停保", "2026-10-05"]]).ok
    assert upload("vehicle", ["身份证号", "姓名", "号牌号码"], [
        [p["a_head"].id_number, "甲户主", "甘D20001"], [p["a_head"].id_number, "甲户主", "甘D20002"]]).ok
    c_head = Person.objects.get(name="丙户主")
    assert upload("social_insurance", ["身份证号", "姓名", "缴费月份", "缴费基数"], [
        [c_head.id_number, "丙户主", "2026-10", "4000"]]).ok
    assert upload("pension", ["身份证号", "姓名", "养老金类别", "起始月份", "月领取金额"], [
        [p["c_old"].id_number, "丙老人", "城乡居民基础养老金", "2026-08", "150"]]).ok
    return caseload


def _findings(tables: dict, county: str) -> list[tuple]:
    snaps = {code: latest_snapshots(code, county, DAY) for code in kinds()}
    paths = {code: [str(snapshot_path(s)) for s in ss] for code, ss in snaps.items() if ss}
    b = tables["benefits"]
    limits = engine.limits(set(zip(b["county"].to_pylist(), b["residence"].to_pylist(), strict=True)), DAY)
    found = engine.check(b, tables["members"], limits, paths, DAY, staff=monthly.export(county, DAY)["staff"],
                         kin=tables["kin"], threshold=float(param("possible_match_threshold")))
    return sorted(tuple(r.values()) for r in found.to_pylist())


# --- the tests ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("county", ["620422", "150202", "150302"])
def test_the_set_based_export_gives_the_engine_the_same_tables(caseload, county):
    old, new = reference_export(county, DAY), monthly.export(county, DAY)
    for name in ("benefits", "members"):
        assert new[name].schema == old[name].schema, name
        assert new[name].to_pylist() == old[name].to_pylist(), name
    # the kin pairs with a member of staff: the only ones the check reads (a recipient's other kin are not needed)
    staff = set(new["staff"]["id_number"].to_pylist())
    wanted = {(a, b) for a, b in zip(old["kin"]["id_number"].to_pylist(), old["kin"]["relative_id_number"].to_pylist(),
                                     strict=True) if b in staff}
    assert set(zip(new["kin"]["id_number"].to_pylist(), new["kin"]["relative_id_number"].to_pylist(),
                   strict=True)) == wanted


def test_the_caseload_is_exported_as_worked_out_by_hand(caseload):
    t = monthly.export("620422", DAY)
    b, m = t["benefits"].to_pylist(), t["members"].to_pylist()
    # A, B (渐退期), C's 低保 and 特困, D's 特困, F, G — not E (stopped); C lies in the other township
    assert [(x["program"], x["size"]) for x in b] == [("dibao", 3), ("dibao", 2), ("dibao", 2), ("tekun", 1),
                                                        ("tekun", 0), ("dibao", 1), ("dibao", 1)]
    assert (b[0]["homes"], b[0]["vehicles"], b[0]["business"]) == (2, 1, True)  # "2" read as 2
    assert [x["kin_registered"] for x in b] == [False] * 5 + [True, False]
    # B on 2026-11-02: the head and the member who came in June; not the one gone in October, nor December's
    assert [x["name"] for x in m if x["benefit_id"] == b[1]["benefit_id"]] == ["乙户主", "乙新成员"]
    # A's members in the document's order (self, spouse, child); 600.50 → 60050 fen;
    # the child's other = 12.345 → 1234 (half to even of 1234.5) + 5.00 → 500: 1734; spouse's 0.5 business → 50
    a = [x for x in m if x["benefit_id"] == b[0]["benefit_id"]]
    assert [(x["name"], x["wages_fen"], x["transfer_fen"], x["other_fen"], x["pension_basic_fen"]) for x in a] == [
        ("甲户主", 60050, 0, 0, 0), ("甲配偶", 0, 30000, 50, 0), ("甲子女", 0, 0, 1734, 15000)]
    assert [x["name"] for x in m if x["benefit_id"] == b[3]["benefit_id"]] == ["丙老人"]
    assert monthly.export("620423", DAY)["members"].num_rows == 0  # a county without recipients


def test_the_set_based_export_gives_the_same_findings(files):
    old, new = reference_export("620422", DAY), monthly.export("620422", DAY)
    assert _findings(new, "620422") == _findings(old, "620422")
    kinds_found = sorted(f[0] for f in _findings(new, "620422"))
    # 丙老人's death (not 乙迁出's: moved out; not 戊停保's: stopped), 甲户主 not in 户籍, 2 vehicles (declared 1),
    # 丙户主's wages 4000 ≥ 2 × the rural standard, the residents' pension of 丙老人 (低保 and 特困), 庚亲属 kin
    assert kinds_found == ["death", "death", "income", "kin", "not_in_huji", "pension", "pension", "vehicle"]


def test_run_check_writes_the_engines_findings_once(files, huining_verifier):
    run = monthly.run_check(huining_verifier, "620422", on=DAY)
    expected = sorted((f[0], f[3], f[4], f[5]) for f in _findings(reference_export("620422", DAY), "620422"))
    assert sorted(Finding.objects.values_list("kind", "benefit_id", "person_id", "key")) == expected
    assert run.new_findings == len(expected) == sum(run.counts.values())
    death = Finding.objects.get(kind="death", person=files["c_old"], benefit__program="tekun")
    assert death.household_id == death.benefit.household_id and death.region == "620422101201"
    assert "丙老人 已于 2026-10-20 死亡" in death.detail
    # a second run raises nothing new; the open findings are marked as seen again, the cleared one is not raised
    Finding.objects.filter(kind="vehicle").update(state=FindingState.CLEARED, reason="农用车")
    again = monthly.run_check(huining_verifier, "620422", on=DAY + dt.timedelta(days=1))
    assert again.new_findings == 0 and Finding.objects.count() == len(expected)
    assert set(Finding.objects.filter(state=FindingState.OPEN).values_list("last_run", flat=True)) == {again.pk}
    assert Finding.objects.get(kind="vehicle").last_run_id == run.pk
    assert CheckRun.objects.count() == 2
