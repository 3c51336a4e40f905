"""Demo cases of the smaller programs for `doudi demo`, in the Huining demo township: each program with at least
one case in progress. Synthetic people only. Idempotent: nothing is added when demo child files exist."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

DEMO_VILLAGE = "620422100201"


def _household(members: list[tuple[str, str, dt.date, str, dict]], residence: str = "urban", seq: list[int] = [0]):  # noqa: B006
    from doudi.registry.models import Household, Membership, Person
    from doudi.web.demo import make_id_number

    hh = Household.objects.create(region_code=DEMO_VILLAGE, residence=residence, address="会师镇示范路8号", facts={})
    for name, relation, birth, sex, facts in members:
        seq[0] += 1
        n = 400 + seq[0]
        while True:
            idn = make_id_number("620422", birth, sex, n)
            if not Person.objects.filter(id_number=idn).exists():
                break
            n += 1
        p = Person.objects.create(id_number=idn, name=name, facts=facts)
        Membership.objects.create(household=hh, person=p, relation=relation, start=dt.date(2020, 1, 1))
    return hh


def _person(hh, name: str):
    return hh.memberships.get(person__name=name).person


def populate() -> str | None:
    from doudi.accounts.models import User
    from doudi.programs.models import ChildFile

    if ChildFile.objects.filter(region=DEMO_VILLAGE).exists():
        return f"{ChildFile.objects.count()} 份儿童档案（已存在）"
    users = {u.username: u for u in User.objects.filter(username__in=["jingban", "shenhe", "shenpi", "lianluo", "guanli"])}
    if len(users) < 5:
        return None
    today = timezone.localdate()
    with transaction.atomic():
        done = [_children(users, today), _disability(users, today), _medical(users, today), _prices(users, today),
                _rescue(users, today), _partners(users, today)]
    return "；".join(done)


def _children(u: dict, today: dt.date) -> str:
    from doudi.programs import children as s

    hh = _household([("马桂兰", "self", dt.date(1958, 3, 1), "F", {"monthly_income": {"wages": 2500}}),
                     ("马小军", "other", dt.date(2014, 6, 1), "M", {}), ("马小红", "other", dt.date(2016, 9, 1), "F", {})])
    f1 = s.open_file(u["jingban"], person_id=_person(hh, "马小军").pk, category="defacto", guardian_name="马桂兰",
                     guardian_relation="祖母", father_status="imprisoned", father_months=30,
                     mother_status="lost_contact", mother_months=12, situation="随祖母生活，就读小学", on=today)
    s.submit(u["jingban"], file_id=f1.pk, kind="defacto", on=today)  # in progress: the township's 15 working days
    f2 = s.open_file(u["jingban"], person_id=_person(hh, "马小红").pk, category="defacto", guardian_name="马桂兰",
                     guardian_relation="祖母", father_status="imprisoned", father_months=30,
                     mother_status="lost_contact", mother_months=12, on=today)
    c2 = s.submit(u["jingban"], file_id=f2.pk, kind="defacto", on=today)
    s.township_check(u["shenhe"], c2.pk, findings="入户查验，父亲服刑、母亲失联属实", on=today)
    s.approve(u["shenpi"], c2.pk, opinion="同意", on=today)
    lb = _household([("留守儿", "self", dt.date(2017, 2, 1), "M", {})], residence="rural")
    s.open_file(u["jingban"], person_id=_person(lb, "留守儿").pk, category="left_behind", lb_has_carer=False,
                lb_other_guardian=False, lb_in_school=True, lb_registered=True, lb_infringed=False, lb_hardship=True,
                temporary_care_on=today, temporary_care_by="会宁县儿童福利院", situation="父母外出务工失联，无人监护",
                on=today)
    return "儿童档案 3 份（事实无人抚养儿童 1 件待乡镇查验、1 件已确认发放，无人监护留守儿童临时监护）"


def _disability(u: dict, today: dt.date) -> str:
    from doudi.programs import disability as s

    hh = _household([("牛大山", "self", dt.date(1968, 1, 1), "M", {"disability": {"kind": "physical", "grade": 1}})])
    a = s.submit(u["jingban"], household_id=hh.pk, person_id=_person(hh, "牛大山").pk, subsidy="both", on=today)
    s.approve(u["shenpi"], a.pk, on=today)
    hh2 = _household([("杨秀英", "self", dt.date(1972, 1, 1), "F", {"disability": {"kind": "visual", "grade": 2}})])
    s.submit(u["jingban"], household_id=hh2.pk, person_id=_person(hh2, "杨秀英").pk, subsidy="both", on=today)
    return "残疾人两项补贴 2 件（1 件待审批）"


def _medical(u: dict, today: dt.date) -> str:
    from doudi.benefits import services as benefits
    from doudi.programs import medical as s

    hh = _household([("周永福", "self", dt.date(1955, 5, 1), "M", {})])
    benefits.start_benefit(None, household=hh, program="dibao", amount_fen=70000, start_month=today.replace(day=1))
    p = _person(hh, "周永福")
    data = ("结算单号,身份证号,姓名,出院日期,政策范围内个人自付,病种\n"
            f"HN{today:%Y%m}001,{p.id_number},周永福,{today.isoformat()},8600.00,\n").encode()
    s.import_settlement(u["shenpi"], data=data, name="会宁县人民医院结算.csv", hospital="会宁县人民医院", region="620422")
    s.open_emergency(u["jingban"], region="620422100", hospital="会宁县人民医院", patient="无名氏（男，约50岁）",
                     identified=False, admitted_on=today, cost="5200.00", ground="unidentified")
    return "医疗救助一站式结算 1 笔，疾病应急救助 1 件待审核"


def _prices(u: dict, today: dt.date) -> str:
    from doudi.programs import prices as s

    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    s.enter_index(u["guanli"], province="62", month=last, cpi_yoy="3.80", food_cpi_yoy="5.20", published_on=today)
    return f"{last:%Y年%m月}价格指数已录入，补贴待计算"


def _rescue(u: dict, today: dt.date) -> str:
    from doudi.programs import rescue as s

    c = s.intake(u["jingban"], region="620422100", name="男，约45岁，自称姓赵", estimated_age=45, sex="M",
                 found_how="patrol", found_on=today, found_at="会师路桥下")
    s.record_search(u["jingban"], c.pk, kind="face", result="人像比对未比中，已发布寻亲公告", on=today)
    c2 = s.intake(u["jingban"], region="620422100", name="女，约60岁，自称姓孙", estimated_age=60, sex="F",
                  found_how="walk_in", found_on=today)
    s.record_search(u["jingban"], c2.pk, kind="fingerprint", result="指纹比对成功，户籍会师镇南十里铺村", matched=True,
                    home_region=DEMO_VILLAGE, on=today)
    s.return_home(u["jingban"], c2.pk, returned_on=today, receiving_region=DEMO_VILLAGE,
                  receiving_office="会师镇人民政府民政办", escort="family", note="女儿接回", on=today)
    return "流浪乞讨人员 1 人在站救助、1 人已返乡待接收地确认"


def _partners(u: dict, today: dt.date) -> str:
    from doudi.programs import partners as s

    hh = _household([("孔建军", "self", dt.date(1985, 3, 3), "M", {}), ("孔妻", "spouse", dt.date(1987, 1, 1), "F", {})],
                    residence="rural")
    p = _person(hh, "孔建军")
    s.refer(u["jingban"], household_id=hh.pk, person_id=p.pk, kind="employment", note="有劳动能力，愿意就业", on=today)
    r = s.refer(u["jingban"], household_id=hh.pk, person_id=p.pk, kind="housing", note="人均住房面积不足15平方米", on=today)
    s.answer(u["lianluo"], r.pk, accepted=True, answer="已纳入租赁补贴", on=today)
    s.list_house(u["jingban"], household_id=hh.pk, group="dibao", grade="C", on=today)
    return "转介合作部门 2 件（1 件待答复），危房改造 1 户"
