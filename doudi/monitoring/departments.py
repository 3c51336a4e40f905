"""The departments' own data sets that the monitoring warning rules read (PR-7).

huining-2022 二(一)四 asks the low-income population to be watched through the data of about
eleven departments. Four of them already supply kinds that verification reads too (医保
``medical_cost``, 人社 ``unemployment``, 教育 ``student``, 残联 ``disability``); 民政's own records
are doudi's (benefits, cases, disasters, the ``benefit_elsewhere`` of other counties). The kinds
here are the others', declared like every kind in doudi/verification/data/kinds.yaml and imported
through the verification app's data-set machinery (``doudi.verification.datasets.import_snapshot``):

=====================  ======  ===============================  =============
kind                   部门     what a record says                warning rule
=====================  ======  ===============================  =============
anti_poverty_object    乡村振兴  防返贫监测对象 and the risk state    MW-RURAL
hardship_worker        工会     困难职工档案                       MW-WORKER
custody                司法     服刑 / 强制隔离戒毒, release date    MW-CUSTODY
disaster_victim        应急     受灾人员, the day and the damage    MW-VICTIM
dangerous_housing      住建     C / D 级危房, renovated or not       MW-HOUSING
serious_illness        卫健     大病 / 严重精神障碍 diagnosis         MW-ILLNESS
=====================  ======  ===============================  =============

``household_row`` turns one household's records of these kinds into the columns of
``doudi.policy.monitoring.Facts`` that the rules read, with the de-duplication key (the evidence:
the same record does not raise the same warning twice while it is open) and the person concerned.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

# read by the scan with the other kinds (doudi.monitoring.facts.KINDS); each names the households to scan
KINDS = ("anti_poverty_object", "hardship_worker", "custody", "disaster_victim", "dangerous_housing",
         "serious_illness")
# the kind each warning rule reads (tests/web/monitoring/test_departments.py checks every kind is read)
RULE_KINDS = {"MW-RURAL": "anti_poverty_object", "MW-WORKER": "hardship_worker", "MW-CUSTODY": "custody",
              "MW-VICTIM": "disaster_victim", "MW-HOUSING": "dangerous_housing", "MW-ILLNESS": "serious_illness"}
GRADES = {"C": 3, "D": 4}


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def rural_status(members: list[dict], records: dict, on: dt.date) -> tuple[str, str, dict | None]:
    """What the latest 乡村振兴 snapshot says of the household on ``on``: ("monitored", ID number,
    record) for the first member named as a 防返贫监测对象 identified by then whose risk is not
    eliminated; else ("removed", …) for one named with the risk eliminated; else ("absent", "", None).
    MW-RURAL reads it, and the register's 防返贫监测对象 category follows it (services._sync_rural)."""
    removed: tuple[str, dict] | None = None
    for m in members:
        number = m.get("id_number") or ""
        for r in records.get(number, {}).get("anti_poverty_object", []):
            since = _date(r.get("identified_on"))
            if not since or since > on:
                continue
            if (r.get("status") or "monitored") == "monitored":
                return "monitored", number, r
            removed = removed or (number, r)
    return ("removed", *removed) if removed else ("absent", "", None)


def household_row(members: list[dict], records: dict, on: dt.date) -> tuple[dict, dict, dict]:
    """The Facts columns of the departments' kinds for one household on ``on``, the rules' keys
    and persons. ``members``: the household's document members (with ``id_number`` and their
    ``monthly_income``); ``records``: ID number → kind → records (``facts.department_records``)."""
    from doudi.monitoring.facts import own_income
    from doudi.policy.monitoring import months_between

    row: dict[str, Any] = {}
    keys: dict[str, str] = {}
    persons: dict[str, str] = {}
    victim: tuple[int, str, dt.date] | None = None
    illness: tuple[int, str, dt.date] | None = None
    status, number, record = rural_status(members, records, on)
    if status == "monitored":
        row["rural_monitored"] = True
        keys["MW-RURAL"], persons["MW-RURAL"] = f"{number}-{_date(record['identified_on']):%Y%m%d}", number
    for m in members:
        number = m.get("id_number") or ""
        recs = records.get(number, {})
        for r in recs.get("hardship_worker", []):
            since = _date(r.get("registered_on"))
            if since and since <= on:
                row["hardship_worker"] = True
                keys.setdefault("MW-WORKER", f"{number}-{since:%Y%m%d}")
                persons.setdefault("MW-WORKER", number)
        if own_income(m) > 0:
            for r in recs.get("custody", []):
                start, release = _date(r.get("start_date")), _date(r.get("release_date"))
                if start and start <= on and (release is None or release > on):
                    row["earner_custody"] = True
                    keys.setdefault("MW-CUSTODY", f"{number}-{start:%Y%m%d}")
                    persons.setdefault("MW-CUSTODY", number)
        for r in recs.get("disaster_victim", []):
            day = _date(r.get("occurred_on"))
            if day and day <= on and (victim is None or (on - day).days < victim[0]):
                victim = ((on - day).days, number, day)
        for r in recs.get("dangerous_housing", []):
            grade = GRADES.get(str(r.get("grade") or ""), 0)
            day = _date(r.get("assessed_on"))
            if grade and day and day <= on and not r.get("renovated") and grade > row.get("dangerous_house", 0):
                row["dangerous_house"] = grade
                keys["MW-HOUSING"] = f"{number}-{day:%Y%m%d}-{r.get('grade')}"
                persons["MW-HOUSING"] = number
        for r in recs.get("serious_illness", []):
            day = _date(r.get("diagnosed_on"))
            if r.get("illness_kind") in ("serious", "mental") and day and day <= on:
                months = months_between(day, on)
                if illness is None or months < illness[0]:
                    illness = (months, number, day)
    if victim:
        row["victim_days"] = victim[0]
        keys["MW-VICTIM"], persons["MW-VICTIM"] = f"{victim[1]}-{victim[2]:%Y%m%d}", victim[1]
    if illness:
        row["illness_months"] = illness[0]
        keys["MW-ILLNESS"], persons["MW-ILLNESS"] = f"{illness[1]}-{illness[2]:%Y%m%d}", illness[1]
    return row, keys, persons
