"""The fixed cast of the web tests: one user per role and area, and household factories.

Every user's password is ``PASSWORD``. Areas:
Huining county 620422, its township HUINING_TOWN and village HUINING_VILLAGE (12 digits);
a second Huining township OTHER_HUINING_TOWN; Baotou (city 150200, township BAOTOU_TOWN);
Wuhai (city 150300, township WUHAI_TOWN).

Fixtures: ``cast`` (all users by name), one fixture per user (``huining_caseworker`` …),
``make_household`` (factory), ``huining_household``, ``baotou_household``, ``wuhai_household``,
``client_for`` (a logged-in Django test client for a user).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest

from doudi.policy.identity import check_character

PASSWORD = "Cast-Password-2026"
HUINING = "620422"
HUINING_TOWN = "620422100"
OTHER_HUINING_TOWN = "620422101"
HUINING_VILLAGE = "620422100201"
OTHER_HUINING_VILLAGE = "620422101201"
BAOTOU = "150200"
BAOTOU_TOWN = "150202001"
BAOTOU_VILLAGE = "150202001012"
WUHAI = "150300"
WUHAI_TOWN = "150302001"
WUHAI_VILLAGE = "150302001002"

# name: (role, area, full name)
CAST: dict[str, tuple[str, str, str]] = {
    "huining_village_assistant": ("village_assistant", HUINING_VILLAGE, "李协理"),
    "huining_caseworker": ("township_caseworker", HUINING_TOWN, "王经办"),
    "huining_caseworker_2": ("township_caseworker", HUINING_TOWN, "钱经办"),
    "other_town_caseworker": ("township_caseworker", OTHER_HUINING_TOWN, "冯经办"),
    "huining_reviewer": ("township_reviewer", HUINING_TOWN, "赵审核"),
    "huining_approver": ("county_approver", HUINING, "刘审批"),
    "huining_approver_2": ("county_approver", HUINING, "韩审批"),
    "huining_verifier": ("verification_officer", HUINING, "陈核对"),
    "huining_finance": ("finance_officer", HUINING, "杨财务"),
    "huining_liaison": ("department_liaison", HUINING, "周联络"),
    "supervisor": ("supervisor", "620400", "吴监督"),
    "auditor": ("auditor", HUINING, "郑审计"),
    "charity": ("charity", HUINING, "孙慈善"),
    "administrator": ("administrator", "620000", "马管理"),
    "baotou_caseworker": ("township_caseworker", BAOTOU_TOWN, "高经办"),
    "baotou_approver": ("county_approver", "150202", "潘审批"),
    "wuhai_caseworker": ("township_caseworker", WUHAI_TOWN, "胡经办"),
}

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests hash the cast's passwords with a fast hasher (production keeps PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _attachments_in_a_temporary_directory(settings, tmp_path):
    """Uploaded files of a test go to its own temporary directory (never ./doudi-data)."""
    settings.STORAGES = {**settings.STORAGES, "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "attachments")}}}


def make_id_number(county: str = HUINING, birth: dt.date = dt.date(1980, 1, 1), sex: str = "M") -> str:
    """A fresh valid ID number (unique within the test run)."""
    n = next(_seq) % 500
    first17 = f"{county}{birth:%Y%m%d}{n * 2 + (1 if sex == 'M' else 0):03d}"
    return first17 + check_character(first17)


def _make_user(name: str):
    from doudi.accounts.models import RoleAssignment, User

    role, area, full_name = CAST[name]
    user = User.objects.create_user(username=name, password=PASSWORD, full_name=full_name,
                                    department="人社" if role == "department_liaison" else "",
                                    is_staff=role == "administrator")
    RoleAssignment.objects.create(user=user, role=role, area=area)
    return user


@pytest.fixture
def cast(db) -> dict:
    """All users of the cast, by name."""
    return {name: _make_user(name) for name in CAST}


def _user_fixture(name: str):
    @pytest.fixture(name=name)
    def fixture(cast):
        return cast[name]

    return fixture


for _name in CAST:
    globals()[_name] = _user_fixture(_name)


@pytest.fixture
def make_household(db) -> Callable:
    """make_household(region=HUINING_VILLAGE, residence="urban", members=[("张三", "self", birth, sex, facts)…])."""
    from doudi.registry.models import Household, Membership, Person

    def make(region: str = HUINING_VILLAGE, residence: str = "urban", members=None, facts=None,
             start: dt.date = dt.date(2020, 1, 1)):
        hh = Household.objects.create(region_code=region, residence=residence, address="测试路1号",
                                      facts=facts or {})
        members = members or [("张三", "self", dt.date(1980, 1, 1), "M", {})]
        for name, relation, birth, sex, person_facts in members:
            person = Person.objects.create(id_number=make_id_number(region[:6], birth, sex), name=name,
                                           facts=person_facts or {})
            Membership.objects.create(household=hh, person=person, relation=relation, start=start)
        return hh

    return make


@pytest.fixture
def huining_household(make_household):
    return make_household(HUINING_VILLAGE, "urban", [
        ("张建国", "self", dt.date(1975, 3, 8), "M", {"monthly_income": {"wages": 600}}),
        ("李秀英", "spouse", dt.date(1977, 6, 1), "F", {}),
        ("张小明", "child", dt.date(2012, 9, 1), "M", {"school": {"stage": "junior"}}),
    ])


@pytest.fixture
def other_town_household(make_household):
    return make_household(OTHER_HUINING_VILLAGE, "rural", [("何文华", "self", dt.date(1960, 2, 2), "M", {})])


@pytest.fixture
def baotou_household(make_household):
    return make_household(BAOTOU_VILLAGE, "urban", [("高志红", "self", dt.date(1968, 5, 5), "F", {})])


@pytest.fixture
def wuhai_household(make_household):
    return make_household(WUHAI_VILLAGE, "urban", [("胡海燕", "self", dt.date(1990, 7, 7), "F", {})])


@pytest.fixture
def client_for(client):
    """client_for(user) -> a Django test client logged in as the user (one client per call)."""
    from django.test import Client

    def login(user):
        c = Client()
        c.force_login(user)
        return c

    return login


@pytest.fixture
def calendar(db):
    """The working-day calendar as seeded by the migration (a transactional test's flush empties it)."""
    from doudi.workdays.calendar import chinesecalendar_years, seed_year
    from doudi.workdays.models import CalendarYear

    first, last = chinesecalendar_years()
    have = set(CalendarYear.objects.values_list("year", flat=True))
    for year in range(max(first, 2015), last + 1):
        if year not in have:
            seed_year(year)


@pytest.fixture(autouse=True)
def verification_files(settings, tmp_path):
    """doudi.verification's snapshots and stored files (授权书) of each test in the test's own folder."""
    settings.DOUDI_VERIFICATION_ROOT = str(tmp_path / "verification")


AUTHORISATION = (b"%PDF-1.4\n% test authorisation\n%%EOF\n", "核对授权书.pdf")


def take_verification(caseworker, officer, case_id, requested_on: dt.date, verified_on: dt.date | None = None):
    """The 低保 procedure's 核对 step: 提请核对 with the signed authorisation (授权书), then the officer runs
    the request against the snapshots and issues the 核对报告, the case's 核对结果 (doudi.verification)."""
    from doudi.cases import services as s
    from doudi.verification import services as v
    from doudi.verification.models import VerificationRequest

    s.request_verification(caseworker, case_id, authorisation=AUTHORISATION, on=requested_on)
    req = VerificationRequest.objects.get(case_id=case_id, recheck_of__isnull=True)
    v.run(officer, req.pk, on=verified_on or requested_on)
    return v.issue(officer, req.pk, on=verified_on or requested_on)
