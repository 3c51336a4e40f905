"""Open disaster-relief work for the one worklist (doudi.cases.views.other_apps_items calls items())."""

from __future__ import annotations

import datetime as dt
from typing import Any

from doudi.disaster import services


def items(user: Any, today: dt.date) -> list[dict]:
    return [{**i, "due": i["deadline"], "rule": i["what"]} for i in services.worklist_items(user, today)]
