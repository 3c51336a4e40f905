"""Monitoring in the household file: the household's categories in the low-income register and its warnings."""

from __future__ import annotations

from typing import Any

from doudi.registry.household_file import Section


def household_sections(user: Any, household: Any) -> list[Section]:
    from doudi.monitoring.services import visible_alerts, visible_entries

    entries = list(visible_entries(user).filter(household=household).order_by("-entered_on", "-id"))
    alerts = list(visible_alerts(user).filter(household=household).order_by("-raised_on", "-id")[:50])
    if not entries and not alerts:
        return []
    return [Section("monitoring", "低收入人口与监测预警", "monitoring/_household_file.html",
                    {"entries": entries, "alerts": alerts}, order=60, count=len(alerts))]
