"""Demo needs board and social help for `doudi demo`: a published need with a charity's offer, help
recorded beside government help, union help (WK-1) and the year's 2% bought-services budget."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

DEMO_VILLAGE = "620422100202"


def populate() -> str | None:
    from doudi.accounts.models import User
    from doudi.charity import services as s
    from doudi.charity.models import Need
    from doudi.registry.models import Household

    if Need.objects.exists():
        return f"{Need.objects.count()} 条需求（已存在）"
    users = {u.username: u for u in User.objects.filter(username__in=["jingban", "shenpi", "cishan"])}
    pool = list(Household.objects.filter(region_code=DEMO_VILLAGE).order_by("id")[:3])
    if len(users) < 3 or len(pool) < 3:
        return None
    today = timezone.localdate()
    with transaction.atomic():
        n1 = s.publish_need(users["jingban"], household_id=pool[0].pk, category="schooling",
                            text="演示：初中学生需要学习用品和冬季衣物", source="case", consent=True, on=today)
        s.publish_need(users["jingban"], household_id=pool[1].pk, category="care",
                       text="演示：重度残疾老人需要上门照护服务", source="visit", consent=True, on=today)
        o = s.make_offer(users["cishan"], n1.pk, content="演示：资助学习用品一套", amount="300", on=today)
        s.answer_offer(users["jingban"], o.pk, accept=True, on=today)
        s.charity_help(users["cishan"], n1.pk, kind="goods", content="演示：学习用品一套、冬衣两件", amount="300", on=today)
        s.record_help(users["jingban"], household_id=pool[2].pk, giver="union", organisation="会宁县总工会",
                      kind="money", content="演示：困难职工生活救助", amount="1000", union_tier="relative",
                      union_items=["living"], on=today)
        s.set_budget(users["shenpi"], region="620422", year=today.year, assistance_funds="5000000", on=today)
    return "2 条公开需求（1 条已认领并帮扶），1 条工会帮扶，年度购买服务资金已登记"
