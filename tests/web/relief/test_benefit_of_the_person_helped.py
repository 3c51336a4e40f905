"""The one-off benefit of urgent help given where the emergency happened (NAT-TA-FIRST) names the
person helped, and fraud recovery (NAT-DB-FRAUD) reaches it whether or not the person has a
household in the registry.

Huining township (620422100) helps 白大山, a member of a Baotou household (150202001012) whose head
is 高志红. The benefit belongs to the place of help (region Huining) and names 白大山; its
household is the Baotou one, outside every Huining user's areas, so no benefits page, list,
notice or endpoint shows Huining's users that household's number or its head (security.md:
area-scoped access, only what the case needs): they see 白大山 with his masked ID number.
A traveller in no household of the registry gets a benefit of his own (no household at all),
paid in stages and recovered like any other.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from doudi.benefits import services as b
from doudi.benefits.models import Benefit, ChangeKind, Status
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
    """A Baotou household: the head 高志红 and her husband 白大山, who is helped in Huining."""
    return make_household(BAOTOU_VILLAGE, "rural", [
        ("高志红", "self", D(1968, 5, 5), "F", {"monthly_income": {"wages": 300}}),
        ("白大山", "spouse", D(1966, 1, 9), "M", {}),
    ])


@pytest.fixture
def helped(baotou_family, huining_caseworker, huining_reviewer, huining_finance):
    """白大山 helped first in Huining: 800.00 = 300.00 + 500.00 approved by Huining's township
    reviewer (within the ceiling of 1000.00), the first stage paid on DAY."""
    husband = baotou_family.memberships.get(relation="spouse").person
    case = s.help_first_person(huining_caseworker, id_number=husband.id_number, name=husband.name, amount="800",
                               stages=["300", "500"], on=DAY, **URGENT)
    s.approve(huining_reviewer, case.pk, on=DAY)
    s.pay_stage(huining_finance, case.pk, paid_on=DAY, on=DAY)
    return case


def _secrets(family):
    head = family.head
    return [family.number, head.name, head.masked_id, head.id_number, BAOTOU_VILLAGE]


# --- the benefit names the person helped ------------------------------------------------------------------

def test_the_benefit_of_a_member_of_a_household_elsewhere_names_him(helped, baotou_family):
    benefit = Benefit.objects.get(program="temporary")
    husband = baotou_family.memberships.get(relation="spouse").person
    assert benefit.person == husband and benefit.household == baotou_family and benefit.region == HUINING_TOWN
    assert not benefit.household_local
    assert str(benefit) == "白大山 临时救助"  # the audit log of Huining names no Baotou household
    start = benefit.changes.get(kind=ChangeKind.START)
    assert "救助对象 白大山" in start.reasons and "300.00 + 500.00 = 800.00" in start.reasons


def test_a_household_case_s_benefit_still_belongs_to_the_household(urgent, huining_household, huining_approver):
    case = urgent(amount="3000", stages=["1000", "2000"])
    s.approve(huining_approver, case.pk, on=DAY)
    benefit = Benefit.objects.get(program="temporary")
    assert benefit.household == huining_household and benefit.person is None and benefit.household_local


# --- the helping township never sees the home household --------------------------------------------------

@pytest.mark.parametrize("user", ["huining_caseworker", "huining_reviewer", "huining_approver", "huining_finance",
                                  "auditor"])
def test_huining_users_never_see_the_home_household_on_any_benefits_page_or_endpoint(
        helped, baotou_family, client_for, cast, user, huining_approver_2):
    from doudi.accounts.models import AuditEntry

    benefit = Benefit.objects.get(program="temporary")
    rec = b.recover_fraud(huining_approver_2, benefit.pk, first_month=D(2026, 3, 1), last_month=D(2026, 3, 1),
                          fine_multiple="1", reasons="虚报事故损失", on=D(2026, 3, 20))
    stop = benefit.changes.get(kind=ChangeKind.FRAUD)
    c = client_for(cast[user])
    person = benefit.person
    urls = ["/benefits/list/", "/benefits/worklist/", f"/benefits/{benefit.pk}/", f"/benefits/recoveries/{rec.pk}/",
            f"/benefits/changes/{stop.pk}/notice/", "/cases/worklist/", "/api/v1/benefits/",
            f"/api/v1/benefits/{benefit.pk}/", "/api/v1/benefit-reviews/", "/benefits/standards/"]
    seen = {}
    for url in urls:
        r = c.get(url)
        assert r.status_code == 200, url
        seen[url] = r.content.decode("utf-8") if "/api/" not in url else str(r.json())
    for url in (f"/benefits/{benefit.pk}/report/", f"/benefits/{benefit.pk}/recover/"):  # as far as the role goes
        r = c.get(url)
        assert r.status_code in (200, 403), url
        seen[url] = r.content.decode("utf-8")
    for url, page in seen.items():
        for secret in _secrets(baotou_family):
            assert secret not in page, (url, secret)
    # what is shown instead: the person helped, his ID number masked
    for url in ("/benefits/list/", f"/benefits/{benefit.pk}/", f"/api/v1/benefits/{benefit.pk}/"):
        assert person.masked_id in seen[url] and "白大山" in seen[url]
        assert person.id_number not in seen[url]
    assert "<p>白大山：</p>" in seen[f"/benefits/changes/{stop.pk}/notice/"]  # the notice is addressed to him
    data = c.get(f"/api/v1/benefits/{benefit.pk}/").json()
    assert data["household"] is None and data["household_number"] is None
    assert data["subject"] == f"白大山（{person.masked_id}）" and data["person_masked_id"] == person.masked_id
    rows = c.get("/api/v1/benefits/").json()["results"]
    assert [(x["household"], x["household_number"]) for x in rows] == [(None, None)]
    # nor does the audit log of the helping area name the household
    for e in AuditEntry.objects.filter(area__startswith="620422"):
        for secret in _secrets(baotou_family):
            assert secret not in e.object_repr and secret not in e.reason, (e.action, secret)


def test_the_report_form_lists_only_the_person_helped(helped, baotou_family, client_for, huining_caseworker):
    benefit = Benefit.objects.get(program="temporary")
    page = client_for(huining_caseworker).get(f"/benefits/{benefit.pk}/report/").content.decode()
    assert "白大山" in page and "高志红" not in page


def test_the_api_recovery_of_the_person_s_benefit_names_no_household(helped, baotou_family, client_for,
                                                                     huining_approver_2):
    benefit = Benefit.objects.get(program="temporary")
    r = client_for(huining_approver_2).post(f"/api/v1/benefits/{benefit.pk}/recover/", {
        "first_month": "2026-03-01", "last_month": "2026-03-01", "fine_multiple": "1", "reasons": "虚报事故损失"},
        content_type="application/json")
    assert r.status_code == 201 and r.json()["amount"] == "300.00"  # the one stage paid in March
    for secret in _secrets(baotou_family):
        assert secret not in r.content.decode()


@pytest.mark.parametrize("user", ["baotou_caseworker", "baotou_approver", "wuhai_caseworker",
                                  "other_town_caseworker"])
def test_the_benefit_stays_with_the_place_of_help(helped, client_for, cast, user):
    benefit = Benefit.objects.get(program="temporary")
    c = client_for(cast[user])
    assert c.get(f"/benefits/{benefit.pk}/").status_code == 404
    assert c.get(f"/api/v1/benefits/{benefit.pk}/").status_code == 404
    assert "白大山" not in c.get("/benefits/list/").content.decode()
    assert c.get("/api/v1/benefits/").json()["results"] == []


def test_the_home_household_is_shown_to_a_user_whose_area_holds_it(helped, baotou_family, administrator):
    """An area holding both (here a user of all China would; the cast's administrator holds Gansu
    only): subject_of shows the household exactly when it lies in the user's areas."""
    benefit = Benefit.objects.get(program="temporary")
    assert b.subject_of(administrator, benefit).household is None  # Gansu does not hold Baotou
    shown = b.subject_of(None, benefit, ["150202", "620422"])
    assert shown.household == baotou_family and shown.label == baotou_family.number


# --- a person in no household: a benefit of his own, reached by fraud recovery ------------------------------

@pytest.fixture
def traveller(huining_caseworker, huining_reviewer):
    number = make_id_number("150202", D(1990, 2, 2), "M")
    case = s.help_first_person(huining_caseworker, id_number=number, name="孟过客", amount="500",
                               stages=["200", "300"], home_region=BAOTOU_TOWN, residence="urban", on=DAY, **URGENT)
    s.approve(huining_reviewer, case.pk, on=DAY)
    return case


def test_a_person_in_no_household_gets_a_one_off_benefit_at_approval(traveller):
    benefit = Benefit.objects.get(program="temporary")
    assert benefit.household is None and benefit.person == traveller.person and benefit.region == HUINING_TOWN
    assert (benefit.amount_fen, benefit.status, benefit.cycle) == (50000, Status.ACTIVE, "none")
    assert b.benefit_of(traveller.decision) == benefit
    assert "待遇已建立" in traveller.events.get(action="approve").figures["benefit"]


def test_the_stages_paid_to_a_person_in_no_household_are_recovered_for_fraud(
        traveller, huining_finance, huining_caseworker, huining_caseworker_2, huining_approver):
    s.pay_stage(huining_finance, traveller.pk, paid_on=DAY, on=DAY)
    s.complete_paperwork(huining_caseworker_2, traveller.pk, visited_on=DAY, findings="补办:事故属实",
                         signed_by_family=True, authorisation=True, investigators=[huining_caseworker.pk], on=DAY)
    s.pay_stage(huining_finance, traveller.pk, paid_on=D(2026, 4, 7), on=D(2026, 4, 7))
    benefit = Benefit.objects.get(program="temporary")
    assert benefit.status == Status.ENDED  # 200.00 + 300.00 = 500.00, all paid
    rec = b.recover_fraud(huining_approver, benefit.pk, first_month=D(2026, 3, 1), last_month=D(2026, 4, 1),
                          fine_multiple="2", reasons="伪造事故证明", on=D(2026, 5, 6))
    # NAT-DB-FRAUD: recovered 200.00 (March) + 300.00 (April) = 500.00, fine 2 × 500.00 = 1000.00
    assert (rec.amount_fen, rec.fine_fen) == (50000, 100000) and rec.months == [["2026-03-01", 20000],
                                                                                ["2026-04-01", 30000]]


def test_fraud_found_before_the_last_stage_stops_the_person_s_payments(traveller, huining_finance, huining_approver,
                                                                       huining_caseworker, huining_caseworker_2,
                                                                       client_for):
    s.pay_stage(huining_finance, traveller.pk, paid_on=DAY, on=DAY)
    benefit = Benefit.objects.get(program="temporary")
    r = client_for(huining_approver).post(f"/benefits/{benefit.pk}/recover/", {
        "first_month": "2026-03-01", "last_month": "2026-03-01", "fine_multiple": "1", "reasons": "伪造事故证明"})
    assert r.status_code == 302
    benefit.refresh_from_db()
    assert benefit.status == Status.STOPPED and benefit.recoveries.get().amount_fen == 20000
    s.complete_paperwork(huining_caseworker_2, traveller.pk, visited_on=DAY, findings="补办",
                         signed_by_family=True, authorisation=True, investigators=[huining_caseworker.pk], on=DAY)
    with pytest.raises(ProcedureError) as e:  # the second stage is not paid once fraud stopped the benefit
        s.pay_stage(huining_finance, traveller.pk, on=D(2026, 3, 25))
    assert e.value.field == "benefit"
    page = client_for(huining_finance).get(f"/benefits/{benefit.pk}/").content.decode()
    assert "孟过客" in page and traveller.person.masked_id in page and traveller.person.id_number not in page


# --- the rules of a benefit without a household -------------------------------------------------------------

def test_a_benefit_without_a_household_must_name_a_person_and_a_region(huining_household):
    from doudi.registry.models import Person

    person = Person.objects.create(id_number=make_id_number("150202", D(1991, 1, 1), "F"), name="吕行人")
    kw = {"amount_fen": 50000, "start_month": D(2026, 3, 1), "on": DAY}
    with pytest.raises(b.BenefitError) as e:
        b.start_benefit(None, household=None, program="temporary", region=HUINING_TOWN, **kw)
    assert e.value.field == "person"
    with pytest.raises(b.BenefitError) as e:
        b.start_benefit(None, household=None, person=person, program="temporary", **kw)
    assert e.value.field == "region"
    for program in ("dibao", "tekun"):  # monthly benefits are a household's (特困: a member's)
        with pytest.raises(b.BenefitError) as e:
            b.start_benefit(None, household=None, person=person, program=program, region=HUINING_TOWN, **kw)
        assert e.value.field in ("person", "household")
    with pytest.raises(b.BenefitError) as e:  # the person named must live in the household named
        b.start_benefit(None, household=huining_household, person=person, program="temporary", **kw)
    assert e.value.field == "person"
    ok = b.start_benefit(None, household=None, person=person, program="temporary", region=HUINING_TOWN, **kw)
    assert ok.household is None and ok.person == person


def test_the_database_refuses_a_benefit_of_nobody():
    with pytest.raises(IntegrityError), transaction.atomic():
        Benefit.objects.create(household=None, person=None, region=HUINING_TOWN, program="temporary", amount_fen=1,
                               start_month=D(2026, 3, 1))


def test_the_stop_notice_of_a_one_off_benefit_speaks_of_the_approved_total(helped, client_for, huining_approver):
    benefit = Benefit.objects.get(program="temporary")
    b.recover_fraud(huining_approver, benefit.pk, first_month=D(2026, 3, 1), last_month=D(2026, 3, 1),
                    fine_multiple="1", reasons="虚报事故损失", on=D(2026, 3, 20))
    stop = benefit.changes.get(kind=ChangeKind.FRAUD)
    page = client_for(huining_approver).get(f"/benefits/changes/{stop.pk}/notice/").content.decode()
    assert "批准一次性救助 800.00 元,尚未发放的不再发放".replace(",", "，") in page and "此前每月" not in page


# --- the registry's public function for a person in no household --------------------------------------------

def test_find_or_register_person_finds_registers_and_refuses_a_different_name(baotou_family):
    from django.core.exceptions import ValidationError

    from doudi.registry.models import Person
    from doudi.registry.services import find_or_register_person

    head = baotou_family.head
    assert find_or_register_person(head.id_number, "高志红") == head
    with pytest.raises(ValidationError) as e:
        find_or_register_person(head.id_number, "王五")
    assert "name" in e.value.message_dict
    number = make_id_number("150202", D(1995, 3, 3), "F")
    new = find_or_register_person(number, " 柳行人 ")
    assert new.name == "柳行人" and not new.memberships.exists()
    assert find_or_register_person(number, "柳行人") == new and Person.objects.filter(id_number=number).count() == 1
    with pytest.raises(ValidationError) as e:
        find_or_register_person("12345", "柳行人")
    assert "id_number" in e.value.message_dict
