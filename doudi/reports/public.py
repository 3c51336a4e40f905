"""信息公开 (wuhai-2014 十一.19 救助信息披露; PR-4 公示; NAT-DB-PAY): the public page of a county.

Without login: the aggregate figures (households, persons, amounts per program per month), the
standards in force, and the public-notice lists of the villages in notice now — name (masked as
the local rule `notice_mask_given_name` says), household size, amount; nothing else (security.md).
Served from the cache (`public_cache_seconds`) and limited per client address
(`public_requests_per_minute`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from importlib.util import find_spec

from django.core.cache import cache

from doudi.accounts.areas import region_name, region_q
from doudi.reports.figures import add_months, month_of, months_between
from doudi.reports.models import PROGRAMS
from doudi.reports.params import param
from doudi.reports.stats import month_totals, yuan

STANDARDS = (  # (parameter, label, residence)
    ("dibao.standard.urban", "城市低保标准（元/人·月）", "urban"),
    ("dibao.standard.rural", "农村低保标准（元/人·月）", "rural"),
    ("tekun.basic_ratio", "特困人员基本生活标准（低保标准的倍数）", "urban"),
    ("tekun.care.partial", "特困人员照料护理标准·部分丧失自理能力（元/人·月）", "urban"),
    ("tekun.care.none", "特困人员照料护理标准·完全丧失自理能力（元/人·月）", "urban"),
)


def is_county(code: str) -> bool:
    from doudi.policy import regions

    c = str(code or "")
    return len(c) == 6 and c.isdigit() and not c.endswith("00") and regions.is_known(c)


def households_in_notice_now(area: str, on: dt.date) -> dict[str, list[tuple[str, int, int]]]:
    """公示名单 of the villages of `area` in notice now, by village: (name, household size, monthly amount).

    In notice now are the 低保 proposals in their 7-day notice today (PR-4, NAT-DB-DEADLINES) and the
    households whose 低保 benefit is being paid (长期公示 for as long as the benefit is paid, PR-4):
    an approved case whose benefit is live this month, at its current amount.
    Written here as one function until doudi.cases offers its own (the staff notice board's fix)."""
    out: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    if find_spec("doudi.cases") is None:
        return {}
    from doudi.cases.models import Case, PublicNotice

    prefix = str(area)
    for n in (PublicNotice.objects.filter(region_q("case__region", prefix), case__state="in_notice",
                                          starts_on__lte=on, ends_on__gte=on, closed_on__isnull=True)
              .select_related("case", "proposal")):
        out[n.case.region].append((n.case.applicant_name, n.proposal.household_size, n.proposal.amount_fen))
    if find_spec("doudi.benefits"):
        from doudi.benefits.models import LIVE, Benefit

        live = {int(pk): amount for pk, amount in Benefit.objects.filter(
            region_q("region", prefix), program="dibao", status__in=LIVE, decision_app="cases",
            start_month__lte=month_of(on)).values_list("decision_pk", "amount_fen")}
        for case in Case.objects.filter(decision__pk__in=list(live), state="approved").select_related("decision"):
            out[case.region].append((case.applicant_name, case.decision.household_size, live[case.decision.pk]))
    return dict(sorted(out.items()))


def notice_lists(county: str, on: dt.date) -> list[dict]:
    from doudi.cases.documents import notice_rows

    return [{"village": v, "name": region_name(v), "rows": notice_rows(rows)}
            for v, rows in households_in_notice_now(county, on).items() if len(v) == 12]


def standards(county: str, on: dt.date) -> list[dict]:
    from doudi.params.store import current_policy

    policy, out = current_policy(), []
    for name, label, res in STANDARDS:
        try:
            r = policy.resolve(name, county, on, res)
        except KeyError:
            continue
        if r.value is None:
            continue
        out.append({"label": label, "value": str(r.value), "source": r.source, "from": r.start,
                    "placeholder": r.placeholder})
    return out


def figures(county: str, on: dt.date, months: int = 12) -> list[dict]:
    """Per month: per program households, persons and amounts of the county (from the monthly table)."""
    last = month_of(on)
    out = []
    for m in reversed(months_between(add_months(last, -(months - 1)), last)):
        totals = month_totals(county, m)
        line = {"month": f"{m.year}年{m.month}月", "programs": []}
        for program, label in PROGRAMS.items():
            h = p = a = 0
            for (prog, _res), t in totals.items():
                if prog == program:
                    h, p, a = h + t.m["households"], p + t.m["persons"], a + t.m["amount_fen"]
            line["programs"].append({"label": label, "households": h, "persons": p, "amount": yuan(a)})
        out.append(line)
    return out


def page_context(county: str, on: dt.date) -> dict:
    return {"county": county, "name": region_name(county), "on": on, "figures": figures(county, on),
            "standards": standards(county, on), "notices": notice_lists(county, on)}


def allowed(client: str) -> bool:
    """Rate limit: at most `public_requests_per_minute` requests a minute from one client address."""
    key = f"reports:public:rate:{client}:{dt.datetime.now():%Y%m%d%H%M}"
    limit = int(param("public_requests_per_minute"))
    if cache.add(key, 1, 70):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:
        return True
