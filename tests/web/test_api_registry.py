"""The REST API under /api/v1/: login required, answers only for the user's areas, refuses bad data in Chinese."""

import datetime as dt

import pytest

from doudi.accounts.models import AuditEntry
from doudi.registry.models import Household

from .conftest import BAOTOU_VILLAGE, HUINING_VILLAGE, make_id_number

pytestmark = pytest.mark.django_db
D = dt.date


def _create(c, **over):
    body = {"region_code": HUINING_VILLAGE, "residence": "rural", "address": "会师镇2号",
            "head": {"name": "马德福", "id_number": make_id_number("620422", D(1966, 3, 3), "M")}}
    body.update(over)
    return c.post("/api/v1/households/", body, content_type="application/json")


@pytest.mark.parametrize("url", ["/api/v1/households/", "/api/v1/households/1/", "/api/v1/audit/", "/api/v1/me/",
                                 "/api/v1/workdays/deadline/?start=2025-01-01&n=1"])
def test_every_endpoint_needs_a_login(client, url):
    assert client.get(url).status_code in (401, 403)


def test_the_openapi_document_and_docs_page_are_served(client_for, huining_caseworker):
    c = client_for(huining_caseworker)
    schema = c.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/households/" in schema.content
    assert c.get("/api/docs/").status_code == 200


def test_the_list_answers_only_for_the_users_area(client_for, huining_caseworker, huining_household,
                                                    baotou_household, other_town_household):
    data = client_for(huining_caseworker).get("/api/v1/households/").json()
    assert [h["id"] for h in data["results"]] == [huining_household.pk]


def test_the_list_masks_id_numbers(client_for, huining_approver, huining_household):
    data = client_for(huining_approver).get("/api/v1/households/").json()
    members = data["results"][0]["members"]
    head = huining_household.head
    assert members[0]["id_number_masked"] == head.masked_id
    assert head.id_number not in str(data)


def test_search_through_the_api(client_for, huining_caseworker, huining_household, make_household):
    make_household(members=[("李四", "self", D(1970, 1, 1), "M", {})])
    data = client_for(huining_caseworker).get("/api/v1/households/", {"q": "zjg"}).json()
    assert [h["id"] for h in data["results"]] == [huining_household.pk]


def test_a_baotou_user_gets_not_found_for_a_huining_household(client_for, baotou_caseworker, baotou_approver,
                                                                huining_household):
    for user in (baotou_caseworker, baotou_approver):
        c = client_for(user)
        assert c.get(f"/api/v1/households/{huining_household.pk}/").status_code == 404
        r = c.post(f"/api/v1/households/{huining_household.pk}/members/",
                   {"name": "某", "id_number": make_id_number(), "relation": "child"}, content_type="application/json")
        assert r.status_code == 404
        r = c.post(f"/api/v1/persons/{huining_household.head.pk}/id-number/", {"reason": "核对"},
                   content_type="application/json")
        assert r.status_code == 404


def test_the_caseworker_registers_a_household_through_the_api(client_for, huining_caseworker):
    r = _create(client_for(huining_caseworker))
    assert r.status_code == 201, r.content
    assert r.json()["members"][0]["name"] == "马德福"
    assert Household.objects.get().region_code == HUINING_VILLAGE


def test_a_bad_id_number_is_refused_naming_the_field_in_chinese(client_for, huining_caseworker):
    r = _create(client_for(huining_caseworker), head={"name": "马德福", "id_number": "620422196603030010"})
    assert r.status_code == 400
    assert "身份证号" in r.json()["id_number"][0]
    assert not Household.objects.exists()


def test_a_bad_region_code_is_refused_naming_the_field(client_for, huining_caseworker):
    r = _create(client_for(huining_caseworker), region_code="62042210")
    assert r.status_code == 400
    assert r.json()["region_code"][0].startswith("所在地区划代码：区划代码应为")
    assert not Household.objects.exists()


def test_a_missing_field_is_named(client_for, huining_caseworker):
    r = client_for(huining_caseworker).post("/api/v1/households/", {"region_code": HUINING_VILLAGE},
                                            content_type="application/json")
    assert r.status_code == 400 and "residence" in r.json() and "head" in r.json()


def test_a_caseworker_cannot_register_in_another_region_through_the_api(client_for, huining_caseworker):
    r = _create(client_for(huining_caseworker), region_code=BAOTOU_VILLAGE,
                head={"name": "高某", "id_number": make_id_number("150202")})
    assert r.status_code == 403
    assert not Household.objects.exists()


def test_roles_without_edit_rights_cannot_register_through_the_api(client_for, huining_village_assistant,
                                                                    huining_approver, auditor):
    for user in (huining_village_assistant, huining_approver, auditor):
        assert _create(client_for(user)).status_code == 403


def test_adding_a_member_through_the_api(client_for, huining_caseworker, huining_household):
    r = client_for(huining_caseworker).post(
        f"/api/v1/households/{huining_household.pk}/members/",
        {"name": "王桂英", "id_number": make_id_number("620422", D(1950, 1, 1), "F"), "relation": "parent"},
        content_type="application/json")
    assert r.status_code == 201
    assert huining_household.memberships_on().count() == 4


def test_a_member_of_another_household_is_refused_through_the_api(client_for, huining_caseworker,
                                                                    huining_household, make_household):
    other = make_household()
    person = other.head
    r = client_for(huining_caseworker).post(
        f"/api/v1/households/{huining_household.pk}/members/",
        {"name": person.name, "id_number": person.id_number, "relation": "other"}, content_type="application/json")
    assert r.status_code == 400 and "身份证号" in r.json()["id_number"][0]


def test_revealing_through_the_api_is_logged(client_for, huining_reviewer, huining_household):
    head = huining_household.head
    r = client_for(huining_reviewer).post(f"/api/v1/persons/{head.pk}/id-number/", {"reason": "审核核对"},
                                          content_type="application/json")
    assert r.status_code == 200 and r.json()["id_number"] == head.id_number
    assert AuditEntry.objects.get(kind="reveal_id").user == huining_reviewer


def test_the_village_assistant_cannot_reveal_through_the_api(client_for, huining_village_assistant,
                                                              huining_household):
    r = client_for(huining_village_assistant).post(f"/api/v1/persons/{huining_household.head.pk}/id-number/",
                                                   {"reason": "x"}, content_type="application/json")
    assert r.status_code == 403
