"""The programs' pages: each renders for its users, forms refuse bad input in Chinese beside the field,
nothing half-written; another area's objects are 404."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.programs import children, disability, rescue

D = dt.date
pytestmark = pytest.mark.django_db


def test_every_list_page_renders(client_for, huining_approver):
    c = client_for(huining_approver)
    for url in ("/programs/", "/programs/children/", "/programs/children/?level=county", "/programs/disability/",
                "/programs/disability/care-needs/", "/programs/medical/", "/programs/medical/premiums/",
                "/programs/medical/emergency/", "/programs/prices/", "/programs/rescue/", "/programs/referrals/",
                "/programs/houses/"):
        r = c.get(url)
        assert r.status_code == 200, url


def test_child_file_from_the_household_then_the_case_page(client_for, huining_caseworker, child_household, child):
    c = client_for(huining_caseworker)
    page = c.get(f"/registry/households/{child_household.pk}/")
    assert f"/programs/children/new/?person={child.pk}" in page.content.decode()
    r = c.post(f"/programs/children/new/?person={child.pk}", {
        "person_id": child.pk, "category": "defacto", "father_status": "imprisoned", "father_months": "24",
        "mother_status": "lost_contact", "mother_months": "8", "guardian_name": "王奶奶"})
    assert r.status_code == 302
    f = children.visible_files(huining_caseworker).get()
    r = c.post(f"/programs/children/{f.pk}/", {"form": "submit", "kind": "defacto"})
    assert r.status_code == 302
    case = f.cases.get()
    page = c.get(f"/programs/children/cases/{case.pk}/").content.decode()
    assert "不公示" in page and case.number in page and "乡镇查验（15个工作日）" in page
    assert "儿童基本生活保障" in c.get(f"/registry/households/{child_household.pk}/").content.decode()


def test_another_townships_child_file_is_404(client_for, other_town_caseworker, defacto_file):
    assert client_for(other_town_caseworker).get(f"/programs/children/{defacto_file.pk}/").status_code == 404


def test_disability_application_and_approval_by_page(client_for, huining_caseworker, huining_approver, make_household):
    hh = make_household(members=[("赵残", "self", D(1970, 1, 1), "M", {"disability": {"kind": "physical", "grade": 1}})])
    p = hh.memberships.get().person
    r = client_for(huining_caseworker).post(f"/programs/disability/new/?household={hh.pk}",
                                            {"person_id": p.pk, "subsidy": "both"})
    assert r.status_code == 302
    a = disability.visible_applications(huining_approver).get()
    r = client_for(huining_approver).post(f"/programs/disability/{a.pk}/", {"form": "approve", "version": a.version})
    assert r.status_code == 302
    page = client_for(huining_approver).get(f"/programs/disability/{a.pk}/").content.decode()
    assert "生活补贴 100.00 元/月，护理补贴 100.00 元/月" in page


def test_the_settlement_upload_shows_row_problems_in_chinese(client_for, huining_approver):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = "结算单号,身份证号,姓名,出院日期,政策范围内个人自付\nB1,110101199001011234,某某,2026-03-01,abc\n".encode()
    r = client_for(huining_approver).post("/programs/medical/", {
        "hospital": "会宁县人民医院", "region": "620422", "file": SimpleUploadedFile("a.csv", data, "text/csv")})
    body = r.content.decode()
    assert r.status_code == 400 and "第 2 行" in body and "政策范围内个人自付" in body


def test_price_index_form_refuses_a_bad_figure(client_for, administrator):
    r = client_for(administrator).post("/programs/prices/", {"province": "62", "month": "2026-03-01",
                                                               "cpi_yoy": "abc", "published_on": "2026-04-10"})
    assert r.status_code == 400 and "CPI同比涨幅" in r.content.decode()


def test_rescue_intake_and_detail(client_for, huining_caseworker):
    c = client_for(huining_caseworker)
    r = c.post("/programs/rescue/", {"region": "620422100", "name": "男，约60岁", "estimated_age": "60", "sex": "M",
                                      "found_how": "patrol", "found_on": "2026-03-01"})
    assert r.status_code == 302
    case = rescue.visible_cases(huining_caseworker).get()
    assert "街面巡查发现" in c.get(f"/programs/rescue/{case.pk}/").content.decode()


def test_the_liaison_answers_a_referral_on_the_page(client_for, huining_caseworker, huining_liaison,
                                                    huining_household):
    p = huining_household.memberships.get(relation="self").person
    r = client_for(huining_caseworker).post(f"/programs/referrals/new/?household={huining_household.pk}",
                                            {"person_id": p.pk, "kind": "housing", "note": "人均住房不足15平方米"})
    assert r.status_code == 302
    liaison = client_for(huining_liaison)
    page = liaison.get("/programs/referrals/").content.decode()
    assert "住建部门" in page and "HO-1" in page
    from doudi.programs.models import Referral

    ref = Referral.objects.get()
    liaison.post(f"/programs/referrals/{ref.pk}/answer/", {"version": ref.version, "accepted": "1",
                                                             "answer": "已配租公租房"})
    ref.refresh_from_db()
    assert ref.accepted is True and ref.answer == "已配租公租房"


def test_the_premium_list_is_exported_for_the_insurance_office_with_full_ids_and_audited(
        client_for, huining_approver, huining_village_assistant, make_household):
    from doudi.accounts.models import AuditEntry
    from doudi.benefits import services as benefits

    from ..xlsx_reader import read

    hh = make_household(members=[("周病", "self", D(1966, 1, 1), "M", {})])
    benefits.start_benefit(None, household=hh, program="dibao", amount_fen=70000, start_month=D(2026, 1, 1))
    p = hh.memberships.get().person
    page = client_for(huining_approver).get("/programs/medical/premiums/?year=2026").content.decode()
    assert p.masked_id in page and p.id_number not in page
    r = client_for(huining_approver).get("/programs/medical/premiums/?year=2026&format=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = read(r.content)
    assert [c["text"] for c in sheet[0]] == ["家庭", "姓名", "身份证号", "资助金额（元）", "年度"]
    assert sheet[1][2]["text"] == p.id_number and sheet[1][3]["number"]
    assert AuditEntry.objects.filter(action="programs.premiums.export").count() == 1
    assert client_for(huining_village_assistant).get("/programs/medical/premiums/?format=xlsx").status_code == 403


def test_ma4_daily_allowance_from_the_household_file(client_for, make_household):
    from doudi.accounts.models import RoleAssignment, User
    from doudi.benefits import services as benefits
    from doudi.benefits.models import Benefit

    ap = User.objects.create_user(username="wuhai_ap3", password="x", full_name="乌审批")
    RoleAssignment.objects.create(user=ap, role="county_approver", area="150302")
    hh = make_household(region="150302001002", members=[("老低保", "self", D(1950, 1, 1), "M", {})])
    benefits.start_benefit(None, household=hh, program="dibao", amount_fen=60000, start_month=D(2026, 1, 1))
    c = client_for(ap)
    url = f"/programs/medical/daily-allowance/new/?household={hh.pk}"
    assert url in c.get(f"/registry/households/{hh.pk}/").content.decode()
    assert c.post(url, {}).status_code == 400  # the confirmation is required
    assert c.post(url, {"confirm": "on"}).status_code == 302
    # MA-4: class A 低保 recipient in Wuhai, 60.00 yuan a month (as in test_medical)
    assert Benefit.objects.get(program="medical_daily").amount_fen == 6000
    assert url not in c.get(f"/registry/households/{hh.pk}/").content.decode()
