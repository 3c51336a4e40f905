"""The skeleton stands: settings load, the login page renders, the cast exists."""

from doudi.accounts import access
from doudi.accounts.roles import Action


def test_login_page_is_in_chinese(client):
    r = client.get("/login/")
    assert r.status_code == 200
    assert "登录" in r.content.decode()


def test_the_cast_has_a_huining_caseworker_who_sees_households_only_in_huining(huining_caseworker,
                                                                                huining_household,
                                                                                baotou_household):
    from doudi.registry.models import Household

    seen = access.scope_queryset(huining_caseworker, Household.objects.all(), Action.HOUSEHOLD_VIEW)
    assert list(seen) == [huining_household]
