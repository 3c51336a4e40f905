"""NAT-TA-FIRST: "help is given where the emergency happens, regardless of household registration".

A township caseworker of Huining (township A, 620422100) helps, on the urgent path, a person whose
household is registered in Baotou (county B, 150202), or a person not in the registry at all. The
case belongs to the place of help: A's reviewer approves it under the township ceiling resolved for
A's county (national placeholder 1000.00 yuan), A pays it in stages, and the paperwork is completed
afterwards as for a local person. The Baotou household's file stays closed to A (security.md:
area-scoped access, only what the case needs: name and masked ID); Baotou's township sees a
户籍地通报 in its worklist and records what it will do.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from doudi.relief import services as s
from doudi.relief.procedure import ProcedureError

from ..conftest import BAOTOU_TOWN, BAOTOU_VILLAGE, HUINING_TOWN, make_id_number
from .conftest import DAY

D = dt.date
pytestmark = pytest.mark.django_db

URGENT = {"kind": "traffic_accident", "description": "途经本镇遭遇交通事故,随身财物丢失,无力返乡",
          "simplified_check": "派出所出具事故证明,乡镇工作人员现场查看属实",
          "reasoning": "外地人员滞留本地,急需食宿和返乡路费,按一事一议核定"}


@pytest.fixture
def baotou_family(make_household):
    """A Baotou household of two: the head 高志红 (helped in Huining) and her husband, whose details
    must never reach Huining."""
    return make_household(BAOTOU_VILLAGE, "rural", [
        ("高志红", "self", D(1968, 5, 5), "F", {"monthly_income": {"wages": 300}}),
        ("白大山", "spouse", D(1966, 1, 9), "M", {"serious_illness": True}),
    ])


@pytest.fixture
def away(huining_caseworker, baotou_family):
    """away(amount, stages) → 高志红 helped first in Huining township by ID number and name."""
    head = baotou_family.head

    def make(amount: str = "800", stages=None, **extra):
        return s.help_first_person(huining_caseworker, id_number=head.id_number, name=head.name, amount=amount,
                                   stages=stages, on=DAY, **{**URGENT, **extra})

    return make


def _pay_all(case, huining_finance, huining_caseworker, huining_caseworker_2):
    s.pay_stage(huining_finance, case.pk, paid_on=DAY, on=DAY)
    with pytest.raises(ProcedureError) as e:  # NAT-TA-FIRST: later stages wait for the paperwork
        s.pay_stage(huining_finance, case.pk, paid_on=DAY, on=DAY)
    assert e.value.field == "paperwork"
    s.complete_paperwork(huining_caseworker_2, case.pk, visited_on=DAY, findings="补办:事故属实,已返乡",
                         signed_by_family=True, authorisation=True, investigators=[huining_caseworker.pk], on=DAY)
    s.pay_stage(huining_finance, case.pk, paid_on=DAY, on=DAY)


# --- end to end -----------------------------------------------------------------------------------------

def test_a_person_registered_in_county_b_is_helped_in_township_a_end_to_end(
        away, baotou_family, huining_reviewer, huining_finance, huining_caseworker, huining_caseworker_2):
    case = away(amount="800", stages=["300", "500"])
    # The case belongs to the place of help, linked to B's person and household, handled on the person alone.
    assert case.region == HUINING_TOWN and case.state == "urgent" and case.path == "urgent"
    assert case.person == baotou_family.head and case.household == baotou_family and case.subject_only
    assert case.home_region == BAOTOU_TOWN and case.residence == "rural"  # 户籍地 and 城乡 from the registry
    assert case.applicant_name == "高志红"

    # A's township reviewer approves 800.00 ≤ A's ceiling 1000.00 (township level, NAT-TA-FIRST).
    d = s.approve(huining_reviewer, case.pk, on=DAY)
    assert d.level == "township" and d.amount_fen == 80000 and d.ceiling_fen == 100000
    assert d.household_document["region"] == HUINING_TOWN  # decided under the rules of the place of help
    assert [m["name"] for m in d.household_document["members"]] == ["高志红"]  # B's household file not read
    # The parameters shown with the decision are Huining's (urban 低保 standard 700.00, huining-2022),
    # not Baotou's (710.00, baotou-2017).
    std = next(p for p in d.parameters if p["name"] == "dibao.standard.urban")
    assert std["value"] == "700.00" and std["source"].startswith("huining-2022")

    _pay_all(case, huining_finance, huining_caseworker, huining_caseworker_2)
    case.refresh_from_db()
    assert case.state == "closed" and [st.paid_on for st in case.stages.all()] == [DAY, DAY]
    inv = case.investigations.get()
    assert inv.after_help and [m["name"] for m in inv.household_document["members"]] == ["高志红"]


def test_the_one_off_benefit_belongs_to_the_place_of_help(away, baotou_family, huining_reviewer, huining_finance):
    pytest.importorskip("doudi.benefits.services")
    from doudi.benefits.models import Benefit

    case = away(amount="600")
    s.approve(huining_reviewer, case.pk, on=DAY)
    s.pay_stage(huining_finance, case.pk, paid_on=DAY, on=DAY)
    b = Benefit.objects.get(household=baotou_family, program="temporary")
    assert b.region == HUINING_TOWN and b.household_document["members"][0]["name"] == "高志红"


def test_above_a_s_ceiling_a_s_county_approves_and_b_s_approver_cannot_see_the_case(
        away, huining_reviewer, huining_approver, baotou_approver):
    case = away(amount="3000")  # 3000.00 > 1000.00
    with pytest.raises(PermissionDenied):
        s.approve(huining_reviewer, case.pk, on=DAY)
    with pytest.raises(Http404):
        s.approve(baotou_approver, case.pk, on=DAY)
    d = s.approve(huining_approver, case.pk, on=DAY)
    assert d.level == "county"


# --- the other area's household file stays closed -------------------------------------------------------------

def test_a_s_caseworker_still_cannot_open_b_s_household_file(away, baotou_family, client_for, huining_caseworker):
    case = away()
    c = client_for(huining_caseworker)
    head, spouse = baotou_family.head, baotou_family.memberships.get(relation="spouse").person
    assert c.get(f"/registry/households/{baotou_family.pk}/").status_code == 404
    assert c.get(f"/api/v1/households/{baotou_family.pk}/").status_code == 404
    assert c.post(f"/registry/persons/{head.pk}/id-number/", {"reason": "核对"}).status_code == 404
    page = c.get(f"/relief/cases/{case.pk}/").content.decode()
    assert head.masked_id in page and "高志红" in page
    for secret in (head.id_number, spouse.name, spouse.masked_id, BAOTOU_VILLAGE, f"/registry/households/{baotou_family.pk}/"):
        assert secret not in page
    data = c.get(f"/api/v1/relief-cases/{case.pk}/").json()
    assert data["household"] is None and data["person_masked_id"] == head.masked_id and data["subject_only"]
    assert head.id_number not in str(data) and spouse.name not in str(data)


def test_the_lookup_is_written_to_the_audit_log_in_the_person_s_area(away, baotou_family, huining_caseworker):
    from doudi.accounts.models import AuditEntry

    away()
    e = AuditEntry.objects.get(action="relief.person_lookup")
    assert e.user == huining_caseworker and e.area == BAOTOU_VILLAGE and e.detail["found"] is True
    assert e.object_id == str(baotou_family.head.pk) and baotou_family.head.id_number not in e.object_repr


def test_a_name_that_does_not_match_the_id_number_is_refused_without_saying_the_registered_one(
        huining_caseworker, baotou_family):
    with pytest.raises(ProcedureError) as e:
        s.help_first_person(huining_caseworker, id_number=baotou_family.head.id_number, name="王五", amount="500",
                            on=DAY, **URGENT)
    assert e.value.field == "name" and "高志红" not in e.value.message and "不一致" in e.value.message


# --- the home township is told ------------------------------------------------------------------------------

def test_b_s_worklist_shows_the_notice_and_b_records_what_it_will_do(
        away, client_for, huining_reviewer, huining_caseworker, baotou_caseworker, baotou_approver):
    case = away(amount="800")
    s.approve(huining_reviewer, case.pk, on=DAY)
    n = case.home_notices.get()
    assert n.region == BAOTOU_VILLAGE and n.kind == "help" and n.helped_in == HUINING_TOWN
    assert "800.00" in n.text and n.masked_id in n.text and case.person.id_number not in n.text

    b = client_for(baotou_caseworker)
    for url in ("/relief/", "/cases/worklist/"):
        assert "先行救助通报：高志红" in b.get(url).content.decode()
    assert b.get(f"/relief/cases/{case.pk}/").status_code == 404  # the case stays with the place of help
    page = b.get("/relief/notices/").content.decode()
    assert "先行救助通报" in page and n.masked_id in page
    assert [x["id"] for x in b.get("/api/v1/relief-notices/").json()["results"]] == [n.pk]

    r = b.post(f"/relief/notices/{n.pk}/acknowledge/", {"version": n.version, "reply": ""})
    assert r.status_code == 400 and "户籍地处理情况" in r.content.decode()
    r = b.post(f"/relief/notices/{n.pk}/acknowledge/", {"version": n.version, "reply": "已联系家属,纳入低保排查"})
    assert r.status_code == 302
    n.refresh_from_db()
    assert n.acknowledged_on and n.acknowledged_by == baotou_caseworker
    assert "先行救助通报：高志红" not in b.get("/relief/").content.decode()
    a = client_for(huining_caseworker)
    page = a.get(f"/relief/cases/{case.pk}/").content.decode()
    assert "户籍地已知悉：已联系家属,纳入低保排查" in page and BAOTOU_VILLAGE not in page
    data = a.get(f"/api/v1/relief-cases/{case.pk}/").json()
    assert data["home_notices"][0]["reply"] == "已联系家属,纳入低保排查" and BAOTOU_VILLAGE not in str(data)
    doc = a.get(f"/relief/cases/{case.pk}/documents/decision/")
    assert doc.status_code == 200 and "高志红" in doc.content.decode() and "白大山" not in doc.content.decode()


def test_a_referral_of_a_person_from_elsewhere_goes_to_the_home_township(away, huining_caseworker, huining_reviewer):
    from doudi.cases.models import WindowRequest

    case = away(amount="800")
    s.approve(huining_reviewer, case.pk, on=DAY)
    r = s.refer(huining_caseworker, case.pk, to="dibao", note="家庭收入低,建议户籍地受理低保", on=DAY)
    assert r.window_request_id is None and not WindowRequest.objects.exists()
    n = case.home_notices.get(kind="referral")
    assert n.region == BAOTOU_VILLAGE and "最低生活保障" in n.text
    assert case.events.last().reason == "转介最低生活保障（通报户籍地 内蒙古自治区包头市东河区和平路街道（150202001））"


def test_a_local_person_named_by_id_number_is_helped_on_the_household_without_a_notice(
        huining_caseworker, huining_household, huining_reviewer):
    head = huining_household.head
    case = s.help_first_person(huining_caseworker, id_number=head.id_number, name=head.name, amount="500",
                               on=DAY, **URGENT)
    assert case.household == huining_household and not case.subject_only and case.household_shown == huining_household
    s.approve(huining_reviewer, case.pk, on=DAY)
    assert not case.home_notices.exists()


# --- a person not in the registry -------------------------------------------------------------------------

def test_an_unregistered_person_is_registered_as_a_person_in_no_household_and_helped(
        huining_caseworker, huining_caseworker_2, huining_reviewer, huining_finance, baotou_caseworker):
    from doudi.registry.models import Person
    from doudi.registry.services import register_household

    number = make_id_number("150202", D(1990, 2, 2), "M")
    with pytest.raises(ProcedureError) as e:  # no household in the registry: the 户籍地 must be given
        s.help_first_person(huining_caseworker, id_number=number, name="孟过客", amount="500", on=DAY, **URGENT)
    assert e.value.field == "home_region" and "户籍地" in e.value.message
    with pytest.raises(ProcedureError) as e:
        s.help_first_person(huining_caseworker, id_number=number, name="孟过客", amount="500", home_region=BAOTOU_TOWN,
                            on=DAY, **URGENT)
    assert e.value.field == "residence"
    case = s.help_first_person(huining_caseworker, id_number=number, name="孟过客", amount="500", stages=["200", "300"],
                               home_region=BAOTOU_TOWN, residence="urban", on=DAY, **URGENT)
    person = Person.objects.get(id_number=number)
    assert case.person == person and case.household is None and case.subject_only
    assert not person.memberships.exists()  # no household invented: the registry stays consistent

    d = s.approve(huining_reviewer, case.pk, on=DAY)
    assert d.level == "township" and d.amount_fen == 50000
    assert case.home_notices.get().region == BAOTOU_TOWN
    _pay_all(case, huining_finance, huining_caseworker, huining_caseworker_2)
    case.refresh_from_db()
    assert case.state == "closed"

    # The home area registers the household later: the same person, one active household.
    hh = register_household(baotou_caseworker, region_code=BAOTOU_VILLAGE, residence="urban",
                            head={"id_number": number, "name": "孟过客"})
    assert Person.objects.filter(id_number=number).count() == 1 and person.current_membership().household == hh
    # A second emergency: the person is now linked to the Baotou household, still without its file.
    again = s.help_first_person(huining_caseworker, id_number=number, name="孟过客", amount="300", on=DAY, **URGENT)
    assert again.household == hh and again.subject_only and again.home_region == BAOTOU_TOWN


def test_bad_id_numbers_give_a_chinese_error_naming_the_field(client_for, huining_caseworker):
    good = make_id_number("150202", D(1990, 2, 2), "M")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    c = client_for(huining_caseworker)
    form = {**URGENT, "name": "孟过客", "amount": "500", "home_region": BAOTOU_TOWN, "residence": "urban"}
    r = c.post("/relief/cases/urgent/person/", {**form, "id_number": bad})
    assert r.status_code == 400
    page = r.content.decode()
    assert "身份证号无效" in page and "校验位" in page and "途经本镇遭遇交通事故" in page  # what was typed is kept
    r = c.post("/api/v1/relief-cases/urgent-person/", {**form, "id_number": "12345"}, content_type="application/json")
    assert r.status_code == 400 and "身份证号" in r.json()["id_number"][0]
    r = c.post("/api/v1/relief-cases/urgent-person/", {**form, "id_number": good, "home_region": "99"},
               content_type="application/json")
    assert r.status_code == 400 and "户籍地" in r.json()["home_region"][0]
    r = c.post("/relief/cases/urgent/person/", {**form, "id_number": good})
    assert r.status_code == 302


# --- roles and areas of the new pages and endpoints ---------------------------------------------------------

@pytest.mark.parametrize("user", ["huining_village_assistant", "huining_reviewer", "huining_approver", "huining_finance",
                                  "charity", "auditor", "administrator", "huining_liaison"])
def test_only_a_caseworker_registers_help_by_id_number(client_for, cast, user, baotou_family):
    c = client_for(cast[user])
    head = baotou_family.head
    data = {**URGENT, "id_number": head.id_number, "name": head.name, "amount": "500"}
    assert c.get("/relief/cases/urgent/person/").status_code == 403
    assert c.post("/relief/cases/urgent/person/", data).status_code == 403
    assert c.post("/api/v1/relief-cases/urgent-person/", data, content_type="application/json").status_code == 403


def test_the_place_of_help_must_be_the_caseworker_s_own_area(client_for, huining_caseworker, baotou_family):
    head = baotou_family.head
    data = {**URGENT, "id_number": head.id_number, "name": head.name, "amount": "500", "region": BAOTOU_TOWN}
    c = client_for(huining_caseworker)
    r = c.post("/relief/cases/urgent/person/", data)
    assert r.status_code == 400 and "不能在该区域登记" in r.content.decode()
    assert c.post("/api/v1/relief-cases/urgent-person/", data, content_type="application/json").status_code == 403
    r = c.post("/api/v1/relief-cases/urgent-person/", {**data, "region": ""}, content_type="application/json")
    assert r.status_code == 201 and r.json()["region"] == HUINING_TOWN and r.json()["household"] is None


@pytest.mark.parametrize("user", ["huining_caseworker", "other_town_caseworker", "huining_approver", "wuhai_caseworker",
                                  "charity", "huining_liaison"])
def test_users_outside_the_home_area_neither_see_nor_answer_the_notice(away, huining_reviewer, client_for, cast, user):
    case = away()
    s.approve(huining_reviewer, case.pk, on=DAY)
    n = case.home_notices.get()
    c = client_for(cast[user])
    assert n.text not in c.get("/relief/notices/").content.decode()
    assert c.get(f"/api/v1/relief-notices/{n.pk}/").status_code in (403, 404)
    assert n.text not in c.get("/api/v1/relief-notices/").content.decode()
    assert c.post(f"/relief/notices/{n.pk}/acknowledge/", {"reply": "x"}).status_code in (403, 404)
    assert c.post(f"/api/v1/relief-notices/{n.pk}/acknowledge/", {"reply": "x"},
                  content_type="application/json").status_code in (403, 404)
    assert f"先行救助通报：{n.person_name}" not in c.get("/relief/").content.decode()


def test_in_the_home_area_only_the_caseworker_answers_the_notice(away, huining_reviewer, client_for, baotou_approver,
                                                                 baotou_caseworker):
    case = away()
    s.approve(huining_reviewer, case.pk, on=DAY)
    n = case.home_notices.get()
    c = client_for(baotou_approver)  # sees it (case.view in Baotou), may not answer it (no case.accept)
    assert n.masked_id in c.get("/relief/notices/").content.decode()
    assert c.get(f"/api/v1/relief-notices/{n.pk}/").status_code == 200
    assert c.post(f"/api/v1/relief-notices/{n.pk}/acknowledge/", {"reply": "x"},
                  content_type="application/json").status_code == 403
    r = client_for(baotou_caseworker).post(f"/api/v1/relief-notices/{n.pk}/acknowledge/",
                                           {"reply": "已知悉", "version": n.version}, content_type="application/json")
    assert r.status_code == 200 and r.json()["acknowledged_on"]
    r = client_for(baotou_caseworker).post(f"/api/v1/relief-notices/{n.pk}/acknowledge/", {"reply": "再次"},
                                           content_type="application/json")
    assert r.status_code == 400 and "已经办理" in r.json()["reply"][0]


def test_the_new_pages_need_a_login(client):
    for url in ("/relief/cases/urgent/person/", "/relief/notices/"):
        r = client.get(url)
        assert r.status_code == 302 and "/login/" in r["Location"]
    assert client.post("/relief/notices/1/acknowledge/", {"reply": "x"}).status_code == 302
