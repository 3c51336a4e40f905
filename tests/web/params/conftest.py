"""Users of the parameter tests: two county approvers of Huining (the cast), and two users with
`params.change` for the city of Baotou (150200) and one for Wuhai."""

from __future__ import annotations

import pytest

from tests.web.conftest import PASSWORD


def make_user(username: str, role: str, area: str, full_name: str):
    from doudi.accounts.models import RoleAssignment, User

    user = User.objects.create_user(username=username, password=PASSWORD, full_name=full_name)
    RoleAssignment.objects.create(user=user, role=role, area=area)
    return user


@pytest.fixture
def baotou_city(db):
    return make_user("baotou_city", "administrator", "150200", "包头市参数员")


@pytest.fixture
def baotou_city_2(db):
    return make_user("baotou_city_2", "administrator", "150200", "包头市审批员")
