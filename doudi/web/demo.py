"""The demo data of `doudi demo`: one user per role, a synthetic population, then the cases app's cases.

Idempotent: run again on the same database it reuses what exists and resets the demo passwords.
Synthetic people only: names are drawn from common surnames, ID numbers are valid (check
character, birth date, county code) but belong to nobody.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from typing import TextIO

from django.db import transaction

from doudi.accounts.areas import region_name
from doudi.accounts.models import RoleAssignment, User
from doudi.accounts.roles import Role
from doudi.policy.identity import check_character

DEMO_PASSWORD_SUFFIX = "-Demo2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    areas: tuple[str, ...]
    department: str = ""
    staff: bool = False

    @property
    def password(self) -> str:
        return self.username + DEMO_PASSWORD_SUFFIX


# Villages (12 digits) and townships (9 digits) under the three seed counties/cities.
HUINING_TOWN, HUINING_VILLAGES = "620422100", ("620422100201", "620422100202", "620422101201")
BAOTOU_TOWN, BAOTOU_VILLAGES = "150202001", ("150202001012", "150202001013", "150203001015")
WUHAI_TOWN, WUHAI_VILLAGES = "150302001", ("150302001002", "150302001003", "150303001006")

USERS: tuple[DemoUser, ...] = (
    DemoUser("cunxie", "李协理", Role.VILLAGE_ASSISTANT, (HUINING_VILLAGES[0],)),
    DemoUser("jingban", "王经办", Role.TOWNSHIP_CASEWORKER, (HUINING_TOWN,)),
    DemoUser("shenhe", "赵审核", Role.TOWNSHIP_REVIEWER, (HUINING_TOWN,)),
    DemoUser("shenpi", "刘审批", Role.COUNTY_APPROVER, ("620422",)),
    DemoUser("hedui", "陈核对", Role.VERIFICATION_OFFICER, ("620422",)),
    DemoUser("caiwu", "杨财务", Role.FINANCE_OFFICER, ("620422",)),
    DemoUser("lianluo", "周联络", Role.DEPARTMENT_LIAISON, ("620422",), department="人社"),
    DemoUser("jiandu", "吴监督", Role.SUPERVISOR, ("620400",)),
    DemoUser("shenji", "郑审计", Role.AUDITOR, ("620422",)),
    DemoUser("cishan", "孙慈善", Role.CHARITY, ("620422",)),
    DemoUser("guanli", "马管理", Role.ADMINISTRATOR, ("620000", "150000"), staff=True),
    DemoUser("baotou", "高经办", Role.TOWNSHIP_CASEWORKER, (BAOTOU_TOWN,)),
    DemoUser("wuhai", "胡经办", Role.TOWNSHIP_CASEWORKER, (WUHAI_TOWN,)),
    DemoUser("caiwu2", "钱财务", Role.FINANCE_OFFICER, ("620422",)),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英文华建国志红玉梅春花海燕德福生荣"


def make_id_number(county: str, birth: dt.date, sex: str, seq: int) -> str:
    """A valid synthetic resident ID number: county code, birth date, sequence (odd = male), check."""
    order = (seq % 500) * 2 + (1 if sex == "M" else 0)
    first17 = f"{county}{birth:%Y%m%d}{order:03d}"
    return first17 + check_character(first17)


def ensure_users() -> list[DemoUser]:
    for du in USERS:
        user, _ = User.objects.get_or_create(username=du.username)
        user.full_name, user.department = du.full_name, du.department
        user.is_staff, user.is_superuser = du.staff, False  # rights come from roles only
        user.set_password(du.password)
        user.save()
        for area in du.areas:
            RoleAssignment.objects.get_or_create(user=user, role=du.role, area=area)
    return list(USERS)


REGIONS = (("620422", HUINING_VILLAGES, 140, "rural"), ("150200", BAOTOU_VILLAGES, 90, "urban"),
           ("150300", WUHAI_VILLAGES, 80, "urban"))


def ensure_population(seed: int = 4) -> int:
    """A few hundred households in the three regions (skipped when households exist)."""
    from doudi.registry.models import Household

    if Household.objects.exists():
        return Household.objects.count()
    rng = random.Random(seed)
    seq = 0
    with transaction.atomic():
        for _city, villages, n, residence in REGIONS:
            for _ in range(n):
                seq += 1
                _make_household(rng, rng.choice(villages), residence, seq)
    return Household.objects.count()


def _make_household(rng: random.Random, village: str, residence: str, seq: int) -> None:
    from doudi.registry.models import Household, Membership, Person, Relation

    today = dt.date.today()
    county = village[:6]
    surname = rng.choice(SURNAMES)
    hh = Household.objects.create(
        region_code=village, residence=residence if rng.random() < 0.8 else ("rural" if residence == "urban" else "urban"),
        address=f"{rng.randint(1, 30)}组{rng.randint(1, 99)}号",
        facts={"assets": {"financial": rng.choice([0, 0, 500, 2000, 8000]), "homes": 1,
                          "vehicles": 0 if rng.random() < 0.9 else 1}})
    head_age = rng.randint(28, 80)
    plan = [("self", head_age)]
    if rng.random() < 0.7:
        plan.append(("spouse", max(20, head_age + rng.randint(-5, 5))))
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        if head_age - 20 >= 1:
            plan.append(("child", rng.randint(1, min(head_age - 20, 30))))
    if head_age < 50 and rng.random() < 0.2:
        plan.append(("parent", head_age + rng.randint(22, 30)))
    head_sex = "M" if rng.random() < 0.6 else "F"
    for k, (relation, age) in enumerate(plan):
        sex = head_sex if k == 0 else ("F" if head_sex == "M" else "M") if relation == "spouse" else rng.choice("MF")
        birth = dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        name = (surname if relation in ("self", "child") else rng.choice(SURNAMES)) + "".join(
            rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
        number = make_id_number(county, birth, sex, seq * 7 + k)
        facts: dict = {}
        if 18 <= age < 60 and rng.random() < 0.7:
            facts["monthly_income"] = {"wages": rng.choice([0, 300, 600, 900, 1200, 1800, 2500])}
        if rng.random() < 0.08:
            facts["disability"] = {"kind": rng.choice(["physical", "visual", "intellectual", "mental"]),
                                   "grade": rng.randint(1, 4)}
        if age >= 70 and rng.random() < 0.3:
            facts["self_care"] = "partial"
        person = Person.objects.filter(id_number=number).first() or Person.objects.create(
            id_number=number, name=name, facts=facts)
        Membership.objects.create(household=hh, person=person, relation=Relation(relation),
                                  start=today - dt.timedelta(days=rng.randint(200, 4000)))


def populate(stdout: TextIO | None = None) -> str:
    """Everything `doudi demo` puts in the database; returns the text to print (users and passwords)."""
    from doudi.policy.params import default_policy

    policy = default_policy()
    users = ensure_users()
    households = ensure_population()
    cases_note = ""
    if _exists("doudi.cases.demo"):
        result = import_module("doudi.cases.demo").populate()
        cases_note = f"\n低保案件：{result}" if result else "\n低保案件：已生成"
    for module, label in (("doudi.support.demo", "特困案件"), ("doudi.relief.demo", "临时救助案件"),
                          ("doudi.benefits.demo", "待遇管理"), ("doudi.payments.demo", "资金发放"),
                          ("doudi.verification.demo", "核对与比对"),
                          ("doudi.attachments.demo", "证件与材料"),
                          ("doudi.reports.demo", "统计与监督"),
                          ("doudi.disaster.demo", "受灾人员救助"), ("doudi.charity.demo", "慈善与社会帮扶"),
                          ("doudi.welfare.demo", "困难老年人补贴"),
                          ("doudi.programs.demo", "专项救助"), ("doudi.monitoring.demo", "监测预警")):
        if _exists(module):
            result = import_module(module).populate()
            cases_note += f"\n{label}：{result}" if result else ""
    lines = [f"政策参数：已载入 {len(policy.levels)} 个层级（国家、省、市、县）的参数文件",
             f"演示人口：{households} 户（会宁县、包头市、乌海市）{cases_note}", "", "演示用户（用户名 / 密码 / 角色 / 区域）："]
    for du in users:
        where = "、".join(f"{region_name(a)}（{a}）" for a in du.areas)
        lines.append(f"  {du.username:<8} {du.password:<18} {Role(du.role).label}  {where}")
    return "\n".join(lines)


def _exists(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except (ImportError, ValueError):
        return False
