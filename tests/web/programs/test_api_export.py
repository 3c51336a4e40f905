"""The programs' read-only REST API (children's files and cases, disability applications, rescue cases, return
notices) and the list exports (Excel, CSV): area-scoped, ID numbers masked unless revealed through the
registry's audited reveal, every detail read and every export audited, no formula injection."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from doudi.accounts.models import AuditEntry
from doudi.programs import children, disability, rescue

from .conftest import DAY

D = dt.date
pytestmark = pytest.mark.django_db


def _rows(body):
    return body["results"] if isinstance(body, dict) else body


@pytest.fixture
def programs_rows(huining_caseworker, huining_approver, defacto_file, make_household):
    hh = make_household(members=[("=1+2", "self", D(1970, 1, 1), "M", {"disability": {"kind": "physical", "grade": 1}})])
    a = disability.submit(huining_caseworker, household_id=hh.pk, person_id=hh.memberships.get().person_id,
                          subsidy="both", on=DAY)
    c = rescue.intake(huining_caseworker, region="620422100", name="@SUM(A1)", estimated_age=50, sex="M",
                      found_how="patrol", found_on=DAY)
    rescue.record_search(huining_caseworker, c.pk, kind="dna", result="比中", matched=True, home_region="620422101201",
                         on=DAY)
    rescue.return_home(huining_caseworker, c.pk, returned_on=DAY, receiving_office="郭城驿镇民政办", escort="family",
                       on=DAY)
    return defacto_file, a, c


def test_the_lists_are_area_scoped_and_masked(client_for, huining_caseworker, huining_village_assistant,
                                              baotou_caseworker, programs_rows):
    f, a, c = programs_rows
    cw = client_for(huining_caseworker)
    body = cw.get("/api/v1/child-files/").content.decode()
    assert f.person.id_number not in body and f.person.masked_id in body
    row = _rows(cw.get("/api/v1/child-files/").json())[0]
    assert row["name"] == "王小宝" and row["category"] == "defacto"
    assert row["person_info"] == {"person": f.person_id, "masked_id": f.person.masked_id, "may_reveal": True,
                                  "reveal_url": f"/api/v1/persons/{f.person_id}/id-number/"}
    # the village assistant has no person.full_id: masked, and no way to reveal
    row = _rows(client_for(huining_village_assistant).get("/api/v1/child-files/").json())[0]
    assert row["person_info"]["may_reveal"] is False and row["person_info"]["reveal_url"] == ""
    for path in ("/api/v1/disability-applications/", "/api/v1/rescue-cases/", "/api/v1/child-cases/"):
        assert cw.get(path).status_code == 200
    assert [r["number"] for r in _rows(cw.get("/api/v1/disability-applications/").json())] == [a.number]
    assert [r["number"] for r in _rows(cw.get("/api/v1/rescue-cases/?state=returned").json())] == [c.number]
    assert _rows(cw.get("/api/v1/rescue-cases/?state=in_station").json()) == []
    bt = client_for(baotou_caseworker)
    for path in ("/api/v1/child-files/", "/api/v1/disability-applications/", "/api/v1/rescue-cases/",
                 "/api/v1/return-notices/"):
        assert _rows(bt.get(path).json()) == [], path
    for path in (f"/api/v1/child-files/{f.pk}/", f"/api/v1/disability-applications/{a.pk}/",
                 f"/api/v1/rescue-cases/{c.pk}/"):
        assert bt.get(path).status_code == 404, path


def test_each_detail_read_is_audited_and_the_reveal_too(client_for, huining_caseworker, programs_rows):
    f, a, c = programs_rows
    cw = client_for(huining_caseworker)
    r = cw.get(f"/api/v1/child-files/{f.pk}/")
    assert r.status_code == 200 and r.json()["father_status"] == "imprisoned" and f.person.id_number not in r.content.decode()
    assert AuditEntry.objects.filter(action="programs.child_file.view", reason="API 查看儿童档案",
                                     object_id=str(f.pk)).count() == 1
    r = cw.get(f"/api/v1/disability-applications/{a.pk}/")
    assert r.status_code == 200 and r.json()["subsidy_name"] == "两项补贴"
    assert AuditEntry.objects.filter(action="programs.disability.view", object_id=str(a.pk)).exists()
    r = cw.get(f"/api/v1/rescue-cases/{c.pk}/")
    assert r.json()["return_notices"][0]["receiving_office"] == "郭城驿镇民政办"
    assert AuditEntry.objects.filter(action="programs.rescue.view", object_id=str(c.pk)).exists()
    # the full number only through the registry's reveal, with a reason, audited
    url = cw.get(f"/api/v1/child-files/{f.pk}/").json()["person_info"]["reveal_url"]
    assert url == f"/api/v1/persons/{f.person_id}/id-number/"
    r = cw.post(url, {"reason": "核对儿童身份"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["id_number"] == f.person.id_number
    assert AuditEntry.objects.filter(kind="reveal_id", object_id=str(f.person_id)).count() == 1


def test_the_receiving_area_reads_its_return_notices(client_for, other_town_caseworker, huining_caseworker,
                                                     programs_rows):
    home = client_for(other_town_caseworker)
    rows = _rows(home.get("/api/v1/return-notices/").json())
    assert [r["receiving_office"] for r in rows] == ["郭城驿镇民政办"]
    assert home.get(f"/api/v1/rescue-cases/{programs_rows[2].pk}/").status_code == 404  # not the station's case
    r = home.get(f"/api/v1/return-notices/{rows[0]['id']}/")
    assert r.status_code == 200
    assert AuditEntry.objects.filter(action="programs.rescue.return_notice.view").count() == 1
    assert _rows(client_for(huining_caseworker).get("/api/v1/return-notices/").json()) == []


# --- list exports --------------------------------------------------------------------------------------------

def test_excel_export_masks_ids_quotes_formulas_and_is_audited(client_for, huining_caseworker, programs_rows):
    from tests.web.xlsx_reader import read

    f, a, c = programs_rows
    cw = client_for(huining_caseworker)
    r = cw.get("/programs/disability/?format=xlsx")
    assert r.status_code == 200 and "disability-subsidies" in r["Content-Disposition"]
    rows = read(r.content)
    assert [cell["text"] for cell in rows[0]][:3] == ["编号", "残疾人", "身份证号"]
    name = rows[1][1]
    assert name["text"] == "=1+2" and name["quoted"] and not name["formula"]
    assert rows[1][2]["text"] == a.person.masked_id and a.person.id_number not in r.content.decode("latin-1")
    e = AuditEntry.objects.get(action="programs_disability.export")
    assert e.kind == "export" and e.area == "620422100" and e.detail["rows"] == 1


def test_csv_export_of_children_and_rescue_cases(client_for, huining_caseworker, programs_rows):
    f, a, c = programs_rows
    cw = client_for(huining_caseworker)
    r = cw.get("/programs/children/?format=csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    text = r.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["儿童", "身份证号", "出生日期"]
    assert rows[1][:4] == ["王小宝", f.person.masked_id, "2015-05-10", "事实无人抚养儿童"]
    assert f.person.id_number not in text
    r = cw.get("/programs/rescue/?format=csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[1][1] == "'@SUM(A1)"  # a formula-looking name gets the apostrophe
    assert {e.detail["format"] for e in AuditEntry.objects.filter(kind="export")} == {"csv"}
    assert AuditEntry.objects.filter(action__in=["programs_child_files.export", "programs_rescue.export"]).count() == 2


def test_no_export_without_the_permission_and_none_of_another_area(client_for, supervisor, baotou_caseworker,
                                                                  programs_rows):
    assert client_for(supervisor).get("/programs/children/?format=csv").status_code == 403
    assert "导出：" not in client_for(supervisor).get("/programs/children/").content.decode()
    rows = list(csv.reader(io.StringIO(
        client_for(baotou_caseworker).get("/programs/children/?format=csv").content.decode("utf-8-sig"))))
    assert rows[1:] == []


def test_children_export_filters_by_category(client_for, huining_caseworker, programs_rows, make_household):
    kid = make_household(members=[("困境儿", "self", D(2016, 1, 1), "M", {})]).memberships.get().person
    children.open_file(huining_caseworker, person_id=kid.pk, category="difficulty", on=DAY)
    rows = list(csv.reader(io.StringIO(client_for(huining_caseworker).get(
        "/programs/children/?format=csv&state=difficulty").content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["困境儿"]
