"""亲属关联请求 awaiting this area's consent (issue 16 item 2), for the one worklist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse


def items(user: Any, today: dt.date) -> list[dict]:
    from doudi.accounts import access
    from doudi.accounts.roles import Action
    from doudi.registry.services import kin_requests_to_decide

    out = []
    if not access.areas_of(user, Action.HOUSEHOLD_EDIT):  # consent is given where the file is kept
        return out
    for r in kin_requests_to_decide(user).filter(state="pending").exclude(requested_by=user)[:200]:
        out.append({"due": None, "title": f"{r.number} 其他地区请求登记亲属关系，待本地区同意",
                    "url": reverse("registry:kin_requests") + f"#kin-request-{r.pk}",
                    "household": r.relative.name, "state": r.get_state_display(), "rule": "亲属关联须经档案所在地同意"})
    return out
