"""Demo 特困 cases for `doudi demo`: elders living alone in the Huining demo township, in every state.

Walked through the real services with dates in the recent past, so the worklist shows due,
overdue and future deadlines, a pending self-care reassessment, visits and necessities.
Idempotent: nothing is added when demo 特困 cases exist.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

DEMO_VILLAGE = "620422100201"
SECOND = ("jingban2", "钱经办", "township_caseworker", "620422100")
PASSWORD_SUFFIX = "-Demo2026"

# (name, birth year, tasks unable, mode, the state to walk to)
PLAN = (
    ("孙福贵", 1944, (), "centralised", "submitted"),
    ("赵桂兰", 1948, ("bathing",), "dispersed", "accepted"),
    ("钱有才", 1950, ("bathing", "dressing"), "dispersed", "investigated"),
    ("周玉珍", 1946, (), "dispersed", "in_notice"),
    ("吴长山", 1941, ("bathing", "dressing", "walking", "toileting"), "centralised", "at_county"),
    ("郑秀英", 1943, ("bathing", "dressing"), "dispersed", "approved"),
    ("冯德旺", 1939, ("eating", "bathing", "dressing", "transfer", "toileting"), "centralised", "approved"),
    ("陈守义", 1952, (), "dispersed", "ending"),
)


def _users() -> dict:
    from doudi.accounts.models import RoleAssignment, User

    username, full_name, role, area = SECOND
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_password(username + PASSWORD_SUFFIX)
        user.save()
    RoleAssignment.objects.get_or_create(user=user, role=role, area=area)
    return {u.username: u for u in User.objects.filter(username__in=["jingban", "jingban2", "shenhe", "shenpi"])}


def _elder(name: str, year: int, seq: int):
    """A one-person urban household of an elder with no income and no supporter."""
    from doudi.policy.identity import check_character
    from doudi.registry.models import Household, Membership, Person

    hh = Household.objects.create(region_code=DEMO_VILLAGE, residence="urban", address=f"敬老巷{seq}号", facts={})
    first17 = f"{DEMO_VILLAGE[:6]}{year}0{(seq % 9) + 1}1{seq % 10}{800 + seq:03d}"[:17]
    number = first17 + check_character(first17)
    person = Person.objects.filter(id_number=number).first() or Person.objects.create(id_number=number, name=name)
    Membership.objects.create(household=hh, person=person, relation="self", start=dt.date(2010, 1, 1))
    return hh, person


def populate() -> str | None:
    from doudi.support.models import SupportCase

    if SupportCase.objects.exists():
        return f"{SupportCase.objects.count()} 件（已存在）"
    users = _users()
    if not {"jingban", "jingban2", "shenhe", "shenpi"} <= set(users):
        return None
    today = timezone.localdate()
    for i, (name, year, unable, mode, until) in enumerate(PLAN):
        with transaction.atomic():
            hh, person = _elder(name, year, i + 1)
            _walk(users, hh, person, unable, mode, until, today - dt.timedelta(days=60 - 4 * i), today)
    return f"{len(PLAN)} 件，覆盖受理、调查评估、公示、县级审批、供养中（含自理能力重新评估、探访）和拟终止"


def _walk(users: dict, hh, person, unable, mode: str, until: str, start: dt.date, today: dt.date) -> None:
    from doudi.support import services as s

    w, w2, rv, ap = (users[n] for n in ("jingban", "jingban2", "shenhe", "shenpi"))

    def day(n: int) -> dt.date:
        return min(start + dt.timedelta(days=n), today)

    case = s.submit(w, household_id=hh.pk, person_id=person.pk, on=start)
    pk = case.pk
    if until == "submitted":
        return
    s.accept(w, pk, on=day(1))
    if until == "accepted":
        return
    s.investigate(w, pk, visited_on=day(3), findings="独居，无劳动能力，无生活来源，无法定赡养人", mode=mode,
                  unable=list(unable), investigators=[w2.pk], on=day(3))
    if until == "investigated":
        return
    s.propose(rv, pk, recommend=True, opinion="经初审，符合特困人员认定条件", on=day(5))
    if until == "in_notice":
        return
    s.close_notice(rv, pk, on=day(12))
    if until == "at_county":
        return
    check = case.spot_checks.last()
    if check and check.selected:
        s.record_spot_check(ap, pk, visited_on=day(13), findings="县级入户抽查：情况属实", consistent=True, on=day(13))
    s.approve(ap, pk, opinion="同意认定", on=day(14))
    if mode == "dispersed":
        s.sign_agreement(w, pk, guardian_name="邻居" + person.name[0] + "大姐", relation="邻居",
                         duties=["每日探视一次", "代购生活用品和药品", "生病时送医并通知乡镇"], signed_on=day(15), on=day(15))
        s.report_change(w, pk, note="近日摔伤，行动不便", reported_on=day(30), on=day(30))
    if until == "ending":
        s.propose_termination(w, pk, ground="supporter", facts="侄子返乡定居并愿意赡养", on=day(40))
