"""Users, roles bound to areas, login, password rules, and the one access layer."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from doudi.accounts import access
from doudi.accounts.models import RoleAssignment, User
from doudi.accounts.roles import Action, Role
from doudi.registry.models import Household

from .conftest import HUINING_TOWN, HUINING_VILLAGE, PASSWORD

pytestmark = pytest.mark.django_db


def test_a_user_logs_in_with_the_password_and_lands_on_the_worklist(client, huining_caseworker):
    r = client.post("/login/", {"username": "huining_caseworker", "password": PASSWORD})
    assert r.status_code == 302
    r = client.get("/", follow=True)
    assert r.status_code == 200 and "工作台" in r.content.decode()


def test_a_wrong_password_is_refused_with_a_message_in_chinese(client, huining_caseworker):
    r = client.post("/login/", {"username": "huining_caseworker", "password": "wrong-password"})
    assert r.status_code == 200
    assert "用户名或密码不正确" in r.content.decode()


def test_pages_need_a_login(client):
    r = client.get("/registry/households/")
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_short_and_common_passwords_are_refused():
    for bad in ("12345678", "password123", "abc"):
        with pytest.raises(ValidationError):
            validate_password(bad)


def test_sessions_expire_and_csrf_is_on():
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


def test_a_post_without_csrf_token_is_refused(huining_caseworker):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(huining_caseworker)
    r = c.post("/registry/households/new/", {"region_code": HUINING_VILLAGE})
    assert r.status_code == 403


def test_a_role_must_be_bound_to_a_known_region_code(huining_caseworker):
    for bad in ("999999", "62042", "abcdef", "6204221000"):
        ra = RoleAssignment(user=huining_caseworker, role=Role.AUDITOR, area=bad)
        with pytest.raises(ValidationError) as e:
            ra.full_clean()
        assert "区划代码" in str(e.value)


def test_areas_of_gives_the_areas_where_the_user_may_act(huining_caseworker, huining_approver):
    assert access.areas_of(huining_caseworker, Action.CASE_ACCEPT) == {HUINING_TOWN}
    assert access.areas_of(huining_caseworker, Action.CASE_APPROVE) == frozenset()
    assert access.areas_of(huining_approver, Action.CASE_APPROVE) == {"620422"}


def test_a_village_assistant_can_report_but_cannot_accept_review_or_approve(huining_village_assistant,
                                                                             huining_household):
    va = huining_village_assistant
    assert access.can(va, Action.CASE_REPORT, huining_household)
    assert access.can(va, Action.HOUSEHOLD_VIEW, huining_household)
    for act in (Action.CASE_ACCEPT, Action.CASE_REVIEW, Action.CASE_APPROVE, Action.HOUSEHOLD_EDIT):
        assert not access.can(va, act, huining_household)


def test_a_village_assistant_sees_only_the_households_of_its_village(huining_village_assistant, huining_household,
                                                                       other_town_household):
    seen = access.scope_queryset(huining_village_assistant, Household.objects.all())
    assert list(seen) == [huining_household]


def test_a_township_caseworker_cannot_approve(huining_caseworker, huining_household):
    assert access.can(huining_caseworker, Action.CASE_ACCEPT, huining_household)
    assert not access.can(huining_caseworker, Action.CASE_APPROVE, huining_household)
    with pytest.raises(PermissionDenied):
        access.require(huining_caseworker, Action.CASE_APPROVE, huining_household)


def test_a_township_caseworker_does_not_see_another_township(huining_caseworker, other_town_household):
    with pytest.raises(Http404):
        access.access_household(huining_caseworker, other_town_household.pk)


def test_the_county_approver_sees_every_township_of_the_county(huining_approver, huining_household,
                                                                 other_town_household, baotou_household):
    seen = set(access.scope_queryset(huining_approver, Household.objects.all()))
    assert seen == {huining_household, other_town_household}


def test_a_baotou_caseworker_cannot_see_or_act_on_a_huining_household(baotou_caseworker, huining_household,
                                                                        baotou_household):
    assert list(access.scope_queryset(baotou_caseworker, Household.objects.all())) == [baotou_household]
    with pytest.raises(Http404):
        access.access_household(baotou_caseworker, huining_household.pk)
    with pytest.raises(Http404):
        access.access_household(baotou_caseworker, huining_household.pk, Action.HOUSEHOLD_EDIT)
    assert not access.can(baotou_caseworker, Action.CASE_ACCEPT, huining_household)


def test_a_wuhai_caseworker_sees_only_wuhai(wuhai_caseworker, huining_household, baotou_household, wuhai_household):
    assert list(access.scope_queryset(wuhai_caseworker, Household.objects.all())) == [wuhai_household]


def test_an_action_allowed_in_the_area_but_not_to_the_role_is_forbidden_not_hidden(huining_village_assistant,
                                                                                    huining_household):
    with pytest.raises(PermissionDenied):
        access.access_household(huining_village_assistant, huining_household.pk, Action.HOUSEHOLD_EDIT)


def test_the_city_supervisor_reads_the_county_but_changes_nothing(supervisor, huining_household):
    assert access.can(supervisor, Action.HOUSEHOLD_VIEW, huining_household)
    assert access.can(supervisor, Action.AUDIT_VIEW, huining_household)
    for act in (Action.HOUSEHOLD_EDIT, Action.CASE_ACCEPT, Action.CASE_APPROVE, Action.PERSON_FULL_ID):
        assert not access.can(supervisor, act, huining_household)


def test_the_charity_and_the_department_liaison_see_no_personal_files(charity, huining_liaison, huining_household):
    for user in (charity, huining_liaison):
        assert not access.scope_queryset(user, Household.objects.all()).exists()
        with pytest.raises(Http404):
            access.access_household(user, huining_household.pk)


def test_the_administrator_manages_users_but_sees_no_household_and_decides_nothing(administrator,
                                                                                     huining_household):
    assert access.can(administrator, Action.USERS_MANAGE)
    assert not access.scope_queryset(administrator, Household.objects.all()).exists()
    assert not access.can(administrator, Action.CASE_APPROVE, huining_household)


def test_a_superuser_without_roles_gets_no_area_rights(huining_household):
    root = User.objects.create_superuser("root", password=PASSWORD)
    assert not access.can(root, Action.HOUSEHOLD_VIEW, huining_household)
    assert not access.scope_queryset(root, Household.objects.all()).exists()


def test_a_withdrawn_role_no_longer_gives_access(huining_caseworker, huining_household):
    RoleAssignment.objects.filter(user=huining_caseworker).update(active=False)
    access.forget(huining_caseworker)
    assert not access.can(huining_caseworker, Action.HOUSEHOLD_VIEW, huining_household)


def test_the_roles_read_are_the_users_active_ones(huining_caseworker, baotou_caseworker):
    """access reads the roles by written-out SQL: the same pairs as the ORM's, only the user's, only active."""
    RoleAssignment.objects.create(user=huining_caseworker, role="township_reviewer", area="620422100")
    RoleAssignment.objects.create(user=huining_caseworker, role="county_approver", area="620422", active=False)
    access.forget(huining_caseworker)
    want = list(huining_caseworker.role_assignments.filter(active=True).values_list("role", "area"))
    assert len(want) == 2 and sorted(access.roles_of(huining_caseworker)) == sorted(want)
    assert ("county_approver", "620422") not in access.roles_of(huining_caseworker)
    assert not set(access.roles_of(huining_caseworker)) & set(
        baotou_caseworker.role_assignments.values_list("role", "area"))


def test_the_pages_show_the_user_only_the_navigation_of_its_roles(client_for, huining_caseworker, auditor):
    page = client_for(huining_caseworker).get("/worklist/").content.decode()
    assert ">家庭登记</a>" in page and ">审计日志</a>" not in page
    page = client_for(auditor).get("/worklist/").content.decode()
    assert ">审计日志</a>" in page


def test_the_api_tells_the_user_its_roles_and_actions(client_for, huining_caseworker):
    data = client_for(huining_caseworker).get("/api/v1/me/").json()
    assert data["roles"][0]["area"] == HUINING_TOWN
    assert "case.accept" in data["roles"][0]["actions"] and "case.approve" not in data["roles"][0]["actions"]


def test_only_the_administrator_reaches_user_management(client_for, administrator, huining_approver):
    assert client_for(administrator).get("/admin/accounts/user/").status_code == 200
    assert client_for(huining_approver).get("/admin/accounts/user/").status_code == 302


def test_a_village_assistant_must_be_bound_to_a_village_and_an_approver_to_a_county(huining_caseworker):
    for role, area in ((Role.VILLAGE_ASSISTANT, HUINING_TOWN), (Role.COUNTY_APPROVER, HUINING_TOWN),
                       (Role.TOWNSHIP_CASEWORKER, "620422")):
        with pytest.raises(ValidationError) as e:
            RoleAssignment(user=huining_caseworker, role=role, area=area).full_clean()
        assert "区域应为" in str(e.value)
    RoleAssignment(user=huining_caseworker, role=Role.VILLAGE_ASSISTANT, area=HUINING_VILLAGE).full_clean()


def test_a_forbidden_page_says_why_in_chinese(client_for, huining_village_assistant):
    r = client_for(huining_village_assistant).get("/registry/households/new/")
    assert r.status_code == 403 and "您无权登记和修改家庭" in r.content.decode()


def test_every_action_has_a_chinese_label():
    from doudi.accounts.roles import ACTION_LABELS

    assert {a.value for a in Action} == set(ACTION_LABELS)


def test_a_user_changes_the_password_and_a_weak_one_is_refused_in_chinese(client_for, huining_caseworker):
    c = client_for(huining_caseworker)
    r = c.post("/password/", {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert r.status_code == 200 and "新密码" in r.content.decode() and "errorlist" in r.content.decode()
    r = c.post("/password/", {"old_password": PASSWORD, "new_password1": "Huining-Window-77",
                              "new_password2": "Huining-Window-77"})
    assert r.status_code == 302
    huining_caseworker.refresh_from_db()
    assert huining_caseworker.check_password("Huining-Window-77")
