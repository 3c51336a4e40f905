"""Open temporary-assistance work as items for the one worklist (doudi.cases.views.other_apps_items calls items())."""

from __future__ import annotations

import datetime as dt
from typing import Any

from doudi.relief import services


def items(user: Any, today: dt.date) -> list[dict]:
    """Each step, reassessment, visit, payment or follow-up due, with its deadline (due) and what sets it (rule)."""
    return [{**i, "due": i["deadline"], "rule": i["what"]} for i in services.worklist_items(user, today)]
