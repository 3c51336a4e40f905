"""家庭经济状况 recorded in the registry: validated by the policy core, named in Chinese, locked optimistically."""

import datetime as dt

import pytest

from doudi.registry.documents import household_document
from doudi.registry.models import Household

pytestmark = pytest.mark.django_db


def _post(c, hh, **fields):
    data = {"version": Household.objects.get(pk=hh.pk).version}
    data.update(fields)
    return c.post(f"/registry/households/{hh.pk}/facts/", data)


def test_the_facts_form_shows_every_member(client_for, huining_caseworker, huining_household):
    page = client_for(huining_caseworker).get(f"/registry/households/{huining_household.pk}/facts/").content.decode()
    for name in ("张建国", "李秀英", "张小明"):
        assert name in page
    assert "金融资产" in page and "月工资性收入" in page


def test_recorded_facts_reach_the_household_document(client_for, huining_caseworker, huining_household):
    head, spouse = huining_household.head, huining_household.memberships.get(relation="spouse").person
    r = _post(client_for(huining_caseworker), huining_household, **{
        "h__assets__financial": "3000", "h__legal_supporters": "none",
        f"m{head.pk}__monthly_income__wages": "800.50",
        f"m{spouse.pk}__disability__kind": "physical", f"m{spouse.pk}__disability__grade": "2",
        f"m{spouse.pk}__work_ability": "none"})
    assert r.status_code == 302, r.content.decode()[:3000]
    doc = household_document(Household.objects.get(pk=huining_household.pk), dt.date.today())
    assert doc["assets"]["financial"] == "3000.00"
    members = {m["name"]: m for m in doc["members"]}
    assert members["张建国"]["monthly_income"] == {"wages": "800.50"}
    assert members["李秀英"]["disability"] == {"kind": "physical", "grade": 2}
    assert members["李秀英"]["work_ability"] == "none"


def test_a_disability_grade_without_a_kind_is_refused_naming_the_member_and_field(client_for, huining_caseworker,
                                                                                 huining_household):
    spouse = huining_household.memberships.get(relation="spouse").person
    r = _post(client_for(huining_caseworker), huining_household, **{f"m{spouse.pk}__disability__grade": "2"})
    page = r.content.decode()
    assert r.status_code == 400
    assert "李秀英：残疾类别" in page and "同时填写" in page
    assert 'value="2"' in page


def test_a_negative_amount_is_refused_naming_the_field(client_for, huining_caseworker, huining_household):
    r = _post(client_for(huining_caseworker), huining_household, **{"h__assets__financial": "-5"})
    assert r.status_code == 400 and "金融资产" in r.content.decode()


def test_facts_from_an_old_version_are_refused(client_for, huining_caseworker, huining_household):
    c = client_for(huining_caseworker)
    old = Household.objects.get(pk=huining_household.pk).version
    assert _post(c, huining_household, **{"h__assets__financial": "100"}).status_code == 302
    r = c.post(f"/registry/households/{huining_household.pk}/facts/",
               {"version": old, "h__assets__financial": "200"})
    assert r.status_code == 400 and "已被他人修改" in r.content.decode()


def test_only_roles_that_edit_households_in_the_area_record_facts(client_for, huining_village_assistant,
                                                                  baotou_caseworker, huining_household):
    assert client_for(huining_village_assistant).get(
        f"/registry/households/{huining_household.pk}/facts/").status_code == 403
    assert client_for(baotou_caseworker).get(
        f"/registry/households/{huining_household.pk}/facts/").status_code == 404


def test_facts_through_the_api_and_a_bad_value_named(client_for, huining_caseworker, huining_household):
    c = client_for(huining_caseworker)
    head = huining_household.head
    version = Household.objects.get(pk=huining_household.pk).version
    url = f"/api/v1/households/{huining_household.pk}/facts/"
    bad = {"version": version, "household": {}, "members": {str(head.pk): {"work_ability": "sometimes"}}}
    r = c.put(url, bad, content_type="application/json")
    assert r.status_code == 400 and "张建国：劳动能力" in r.json()["facts"][0]
    good = {"version": version, "household": {"assets": {"financial": "500.00"}},
            "members": {str(head.pk): {"monthly_income": {"wages": "700.00"}}}}
    r = c.put(url, good, content_type="application/json")
    assert r.status_code == 200 and r.json()["version"] == version + 1
    doc = household_document(Household.objects.get(pk=huining_household.pk), dt.date.today())
    assert doc["assets"] == {"financial": "500.00"}
