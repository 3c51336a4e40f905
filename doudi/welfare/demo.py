"""Demo EL-1 application for `doudi demo`: an elderly-allowance application awaiting the county."""

from __future__ import annotations

from django.utils import timezone

from doudi.accounts.areas import region_q


def populate() -> str | None:
    from doudi.accounts.models import User
    from doudi.benefits.models import LIVE_VALUES, Benefit
    from doudi.welfare import services as s
    from doudi.welfare.models import ElderlyCase

    if ElderlyCase.objects.exists():
        return f"{ElderlyCase.objects.count()} 件困难老年人补贴申请（已存在）"
    user = User.objects.filter(username="jingban").first()
    b = (Benefit.objects.filter(region_q("household__region_code", "620422100"), program="dibao",
                                status__in=LIVE_VALUES)
         .select_related("household").order_by("id").first())
    if user is None or b is None:
        return None
    s.submit_elderly(user, household_id=b.household_id, on=timezone.localdate())
    return "1 件困难老年人补贴申请待县级审批"
