"""A change made twice at once takes effect once: two sessions on PostgreSQL, each in its own thread."""

import datetime as dt

import pytest
from concurrency_kit import pg_only, race
from django.core.exceptions import ValidationError

from doudi.registry import services
from doudi.registry.models import Household, Membership, Person

from .conftest import make_id_number

D = dt.date
@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_caseworkers_adding_the_same_new_person_to_two_households_at_once_succeed_once(
        huining_caseworker, huining_caseworker_2, make_household):
    a, b = make_household(), make_household()
    number = make_id_number("620422", D(1990, 1, 1), "F")
    results = race(
        lambda: services.add_member(huining_caseworker, a, id_number=number, name="王芳", relation="spouse"),
        lambda: services.add_member(huining_caseworker_2, b, id_number=number, name="王芳", relation="spouse"))
    assert sorted(r[0] for r in results) == ["error", "ok"], results
    error = next(r[1] for r in results if r[0] == "error")
    assert isinstance(error, ValidationError) and "另一户" in str(error)
    assert Membership.objects.filter(person__id_number=number, end__isnull=True).count() == 1
    assert Person.objects.filter(id_number=number).count() == 1


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_edits_from_the_same_version_take_effect_once(huining_caseworker, huining_caseworker_2, make_household):
    hh = make_household()
    version = Household.objects.get(pk=hh.pk).version
    results = race(
        lambda: services.update_household(huining_caseworker, hh, version, address="新地址一"),
        lambda: services.update_household(huining_caseworker_2, hh, version, address="新地址二"))
    assert sorted(r[0] for r in results) == ["error", "ok"], results
    assert isinstance(next(r[1] for r in results if r[0] == "error"), services.Conflict)
    fresh = Household.objects.get(pk=hh.pk)
    assert fresh.version == version + 1 and fresh.address in ("新地址一", "新地址二")


@pytest.mark.django_db
def test_an_edit_based_on_an_old_version_is_refused_and_the_input_kept(client_for, huining_caseworker,
                                                                      huining_household):
    c = client_for(huining_caseworker)
    old = Household.objects.get(pk=huining_household.pk).version
    services.update_household(huining_caseworker, huining_household, old, address="别人改的地址")
    r = c.post(f"/registry/households/{huining_household.pk}/edit/",
               {"residence": "urban", "address": "我填的地址", "phone": "", "version": old})
    page = r.content.decode()
    assert r.status_code == 400 and "已被他人修改" in page and 'value="我填的地址"' in page
    assert Household.objects.get(pk=huining_household.pk).address == "别人改的地址"


@pytest.mark.django_db
def test_editing_a_household_through_the_form(client_for, huining_caseworker, huining_household):
    c = client_for(huining_caseworker)
    version = Household.objects.get(pk=huining_household.pk).version
    r = c.post(f"/registry/households/{huining_household.pk}/edit/",
               {"residence": "rural", "address": "会师镇3号", "phone": "13800000000", "version": version})
    assert r.status_code == 302
    fresh = Household.objects.get(pk=huining_household.pk)
    assert (fresh.residence, fresh.address, fresh.version) == ("rural", "会师镇3号", version + 1)


@pytest.mark.django_db
def test_a_baotou_caseworker_cannot_edit_a_huining_household(client_for, baotou_caseworker, huining_household):
    r = client_for(baotou_caseworker).post(f"/registry/households/{huining_household.pk}/edit/",
                                           {"residence": "rural", "address": "x", "phone": "", "version": 1})
    assert r.status_code == 404
