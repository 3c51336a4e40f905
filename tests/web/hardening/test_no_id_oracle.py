"""No ID number → name oracle (issue 16 item 2): a number whose file is in another area gets one
answer — it cannot be used here, ask the other area — audited in both areas; no kin link across areas."""

import datetime as dt

import pytest

from doudi.accounts.models import AuditEntry
from doudi.registry.models import Household, Kinship, Membership
from doudi.registry.services import NOT_HERE

from ..conftest import BAOTOU_VILLAGE, make_id_number

pytestmark = pytest.mark.django_db


def _texts(r) -> str:
    return r.content.decode()


def test_adding_a_member_with_a_number_of_another_area_tells_neither_name_nor_household(
        client_for, baotou_caseworker, baotou_household, huining_household):
    stranger = huining_household.head
    for name in ("随便填", stranger.name):  # a wrong name and the right one: the same answer
        r = client_for(baotou_caseworker).post(f"/api/v1/households/{baotou_household.pk}/members/",
                                               {"name": name, "id_number": stranger.id_number, "relation": "other"},
                                               content_type="application/json")
        assert r.status_code == 400
        assert r.json()["id_number"] == [f"身份证号：{NOT_HERE}"]
        text = _texts(r)
        assert stranger.name not in text and huining_household.number not in text
    assert not Membership.objects.filter(household=baotou_household, person=stranger).exists()
    areas = set(AuditEntry.objects.filter(action="person.other_area_refused").values_list("area", flat=True))
    assert areas == {BAOTOU_VILLAGE, huining_household.region_code}


def test_the_page_form_gives_the_same_answer(client_for, baotou_caseworker, baotou_household, huining_household):
    stranger = huining_household.head
    r = client_for(baotou_caseworker).post(f"/registry/households/{baotou_household.pk}/members/new/",
                                           {"name": "随便填", "id_number": stranger.id_number, "relation": "other",
                                            "start": "2024-01-01"})
    text = _texts(r)
    assert r.status_code == 400 and "不能在此使用" in text
    assert stranger.name not in text and huining_household.number not in text


def test_registering_a_household_headed_by_another_areas_person_is_refused_and_audited(
        client_for, baotou_caseworker, huining_household):
    stranger = huining_household.head
    before = Household.objects.count()
    r = client_for(baotou_caseworker).post("/api/v1/households/", {
        "region_code": BAOTOU_VILLAGE, "residence": "urban",
        "head": {"name": "随便填", "id_number": stranger.id_number}}, content_type="application/json")
    assert r.status_code == 400 and stranger.name not in _texts(r) and "不能在此使用" in _texts(r)
    assert Household.objects.count() == before
    assert AuditEntry.objects.filter(action="person.other_area_refused", area=huining_household.region_code).exists()


def test_kin_across_areas_is_not_linked_even_with_the_right_name(client_for, baotou_caseworker, baotou_household,
                                                                 huining_household):
    """The other area is asked instead (tests/web/hardening/test_kin_consent.py): no link, no name."""
    stranger = huining_household.head
    r = client_for(baotou_caseworker).post(f"/api/v1/persons/{baotou_household.head.pk}/kin/", {
        "relative_name": stranger.name, "relative_id_number": stranger.id_number, "kind": "child"},
        content_type="application/json")
    assert r.status_code == 202 and stranger.name not in _texts(r)
    assert not Kinship.objects.exists()
    assert set(AuditEntry.objects.filter(action="kin.requested").values_list("area", flat=True)) == {
        BAOTOU_VILLAGE, huining_household.region_code}


def test_inside_the_area_the_caseworker_still_gets_the_precise_answer(client_for, huining_caseworker,
                                                                      huining_household, make_household):
    other = make_household()
    r = client_for(huining_caseworker).post(f"/api/v1/households/{huining_household.pk}/members/",
                                            {"name": "随便填", "id_number": other.head.id_number, "relation": "other"},
                                            content_type="application/json")
    assert r.status_code == 400 and other.head.name in _texts(r)  # the user may see that file anyway


def test_a_new_relative_living_nowhere_in_the_system_can_still_be_linked(client_for, baotou_caseworker,
                                                                         baotou_household):
    r = client_for(baotou_caseworker).post(f"/api/v1/persons/{baotou_household.head.pk}/kin/", {
        "relative_name": "高建华", "relative_id_number": make_id_number("150202", dt.date(1940, 1, 1)),
        "kind": "parent"}, content_type="application/json")
    assert r.status_code == 201


def test_a_caseload_file_with_another_areas_number_does_not_tell_the_name(baotou_caseworker, huining_household):
    """doudi.verification's caseload import checks rows the way the registry does: the same one answer."""
    from doudi.verification import caseload

    stranger = huining_household.head
    header = [label for _n, label, _r, _d in caseload.COLUMNS]
    row = ["H1", "随便填", stranger.id_number, "户主", BAOTOU_VILLAGE, "城镇", "", "", "", "", "", ""]
    from doudi.web.lists import xlsx

    out = caseload.import_households(baotou_caseworker, xlsx("花名册", header, [row]), "a.xlsx", dry_run=True)
    text = " ".join(p.message for p in out.errors)
    assert NOT_HERE in text and stranger.name not in text and huining_household.number not in text
