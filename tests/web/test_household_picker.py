"""A new case starts from a household picked by search (name, pinyin initials, masked ID, household
number) — without JavaScript (查找 re-renders the form) and with htmx (the choices fragment)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _radio(household) -> str:
    return f'name="household_id" value="{household.pk}"'


def test_the_search_finds_by_name_initials_masked_id_and_household_number(client_for, huining_caseworker,
                                                                          huining_household, baotou_household):
    c = client_for(huining_caseworker)
    head = huining_household.head
    masked = head.id_number[:6] + "********" + head.id_number[-4:]
    for q in ("张建国", "zjg", masked, huining_household.number, f"户{huining_household.pk}"):
        r = c.get("/registry/households/pick/", {"name": "household_id", "household_id_q": q})
        assert r.status_code == 200
        assert _radio(huining_household) in r.content.decode(), q
    # a Baotou household is not found from Huining, even by its exact number
    r = c.get("/registry/households/pick/", {"name": "household_id", "household_id_q": baotou_household.number})
    assert _radio(baotou_household) not in r.content.decode() and "没有找到" in r.content.decode()


def test_without_javascript_the_search_button_shows_the_choices_and_keeps_what_was_typed(
        client_for, huining_caseworker, huining_household, calendar):
    from doudi.cases.models import Case

    c = client_for(huining_caseworker)
    page = c.get("/cases/new/").content.decode()
    assert 'name="household_id_q"' in page and 'name="_pick"' in page
    assert 'type="number"' not in page  # nobody types an internal number
    r = c.post("/cases/new/", {"household_id_q": "张建国", "_pick": "household_id", "kin_note": "无"})
    text = r.content.decode()
    assert r.status_code == 200 and _radio(huining_household) in text
    assert 'value="无"' in text and "请查找并选择" not in text  # kept, and nothing reported missing yet
    assert not Case.objects.exists()
    r = c.post("/cases/new/", {"household_id_q": "张建国", "household_id": huining_household.pk})
    case = Case.objects.get()
    assert r.status_code == 302 and case.household == huining_household


def test_submitting_without_choosing_says_so(client_for, huining_caseworker, huining_household):
    r = client_for(huining_caseworker).post("/cases/new/", {"household_id_q": "张建国"})
    assert r.status_code == 400 and "请查找并选择申请的家庭" in r.content.decode()


def test_a_household_of_another_area_cannot_be_slipped_in_by_its_id(client_for, huining_caseworker,
                                                                     baotou_household):
    from doudi.cases.models import Case

    r = client_for(huining_caseworker).post("/cases/new/", {"household_id": baotou_household.pk})
    assert r.status_code == 400 and "未找到该家庭" in r.content.decode()
    assert not Case.objects.exists()


def test_the_file_opens_the_application_with_the_household_chosen(client_for, huining_caseworker, huining_household):
    text = client_for(huining_caseworker).get(f"/cases/new/?household={huining_household.pk}").content.decode()
    assert f'{_radio(huining_household)} checked' in text


def test_support_and_relief_pick_the_household_first_with_the_same_picker(client_for, huining_caseworker,
                                                                          huining_household):
    c = client_for(huining_caseworker)
    for url in ("/support/cases/new/", "/relief/cases/new/", "/relief/cases/urgent/"):
        r = c.get(url, {"household_q": "zjg", "_pick": "household"})
        text = r.content.decode()
        assert f'name="household" value="{huining_household.pk}"' in text, url
        assert 'name="household_id"' not in text  # still choosing: the case form is not shown yet
        r = c.get(url, {"household_q": "zjg", "household": huining_household.pk})
        assert f'name="household_id" value="{huining_household.pk}"' in r.content.decode(), url
