"""Demo disaster relief for `doudi demo`: a flood in the Huining demo township reported in time (DR-2),
the township's late zero report of the day before, a goods stock, the DR-3 funding shares, and households at each of the four steps
(户申、村评、乡审、县定) and issued. Idempotent: nothing is added when a demo event exists."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

DEMO_TOWN, DEMO_VILLAGE, COUNTY = "620422100", "620422100201", "620422"


def populate() -> str | None:
    from doudi.accounts.models import User
    from doudi.disaster import services as s
    from doudi.disaster.models import DisasterEvent
    from doudi.registry.models import Household

    if DisasterEvent.objects.exists():
        return f"{DisasterEvent.objects.count()} 起灾情（已存在）"
    users = {u.username: u for u in User.objects.filter(username__in=["jingban", "cunxie", "shenhe", "shenpi", "caiwu"])}
    if len(users) < 5:
        return None
    pool = list(Household.objects.filter(region_code=DEMO_VILLAGE, disaster_grants__isnull=True).order_by("id")[:6])
    if len(pool) < 5:
        return None
    now = timezone.now()
    today = timezone.localdate()
    occurred = now - dt.timedelta(hours=1)
    # the zero report is for the day before the event's own (local) day: run just after midnight, the event
    # an hour ago lies in yesterday, which then has an event report and needs no zero report
    event_day = timezone.localtime(occurred).date()
    with transaction.atomic():
        event = s.report_event(users["jingban"], region=DEMO_TOWN, kind="flood", stage="emergency",
                               occurred_at=occurred, description="演示：强降雨引发山洪，部分房屋进水倒塌",
                               affected_households=36, affected_people=118, collapsed_houses=4, now=now)
        s.zero_report(users["jingban"], township=DEMO_TOWN, day=event_day - dt.timedelta(days=1), now=now)
        s.receive_stock(users["shenpi"], region=COUNTY, name="棉被", unit="床", quantity=200, note="演示：省级调拨", on=today)
        s.receive_stock(users["shenpi"], region=COUNTY, name="大米", unit="袋", quantity=300, note="演示：县级储备", on=today)
        s.record_funding(users["shenpi"], event.pk, total="300000.00", note="演示：应急期救灾资金", on=today)
        item = s.StockItem.objects.get(region=COUNTY, name="棉被")
        plan = [("applied", True, "", None), ("appraised", False, "", None), ("reviewed", False, "", None),
                ("approved", False, "", 4), ("issued", False, "3000", None)]
        for hh, (until, collapsed, amount, goods) in zip(pool, plan, strict=False):
            g = s.apply(users["jingban"], event_id=event.pk, household_id=hh.pk, losses="演示：房屋进水，粮食衣物受损",
                        house_collapsed=collapsed, requested="生活救助", on=today)
            if until == "applied":
                continue
            s.appraise(users["cunxie"], g.pk, appraisal="演示：村民代表评议，同意上报", on=today)
            if until == "appraised":
                continue
            s.review(users["shenhe"], g.pk, opinion="演示：情况属实，拟予救助", on=today)
            if until == "reviewed":
                continue
            s.approve(users["shenpi"], g.pk, amount=amount, goods_item=item.pk if goods else None,
                      goods_quantity=goods, reasons="演示：县定", on=today)
            if until == "issued":
                s.issue(users["caiwu"], g.pk, on=today)
    return "1 起灾情（2小时内报送），5 户分别处于户申、村评、乡审、县定和已发放，救灾物资和资金分担已登记"
