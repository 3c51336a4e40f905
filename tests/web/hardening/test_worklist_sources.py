"""Pages under load (issue 16): the worklist's sources ask the database only for what the user may act on.

On `doudi demo`'s data (doudi.web.demo.populate: open work in every app for Huining's township caseworker
王经办 `jingban` and county approver 刘审批 `shenpi`), each source of the one worklist (cases.views.
WORKLIST_SOURCES) is called alone and its queries counted. A source whose actions the user has no area for
issues no query at all and gives no item of its kind (the supervisor 吴监督 `jiandu` acts on nothing); a user
with the right still sees the items; and a source reads each kind of row once, not once per row.
"""

from __future__ import annotations

import re
from collections import Counter
from importlib import import_module

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db

# What each source must ask, derived from what the user may act on (the demo has work of every kind below):
QUERIES = {
    "caseworker": {  # township caseworker (case.accept, case.investigate, household.edit)
        "benefits": 0,      # reviews are decided by the county (case.approve): nothing to ask
        "support": 5,       # open cases; their pending reassessments, guardians (visits), necessities; heads
        "relief": 5,        # open cases; the paying cases' next stages; home notices; register follow-ups; heads
        "verification": 1,  # the township's open findings (no verification.run: no requests)
        "payments": 1,      # returned payments to correct (not finance: no rolls, no accounts)
        "disaster": 4,      # open grants; the user's own earlier steps (four eyes); heads; the DR-2 reports
        "monitoring": 2,    # the township's open warnings; their households' heads
        "welfare": 0,       # the county decides the elderly allowance
        "programs": 2,      # children's cases; people returned home to confirm (no approval, no overdue report)
        "registry": 1,      # kin requests awaiting the consent of the file's area (household.edit)
    },
    "approver": {  # county approver (case.approve, case.spot_check)
        "benefits": 1,      # open reviews
        "support": 4,       # open cases; heads; four eyes for the cases to decide (investigations, proposals)
        "relief": 3,        # open cases; four eyes (investigations); heads (no notices, no register: a township's)
        "verification": 0,  # neither verification.run nor case.accept
        "payments": 0,      # neither payment.manage nor case.accept
        "disaster": 4,      # open grants; four eyes; heads; the townships' DR-2 reports
        "monitoring": 1,    # warnings escalated to the county (none open in the demo: no heads to read)
        "welfare": 2,       # applications to approve; their households' heads
        "programs": 4,      # children's cases; disability applications to approve; the overdue report (2)
        "registry": 0,      # no household.edit
    },
    "supervisor": {  # supervisor (case.view, stats.view): acts on nothing, reads the overdue report only
        "benefits": 0, "support": 0, "relief": 0, "verification": 0, "payments": 0, "disaster": 0,
        "monitoring": 0, "welfare": 0, "registry": 0,
        "programs": 2,      # the overdue report of disability decisions and referral answers (stats.view)
    },
}
USERS = {"caseworker": "jingban", "approver": "shenpi", "supervisor": "jiandu"}
# Each source's items, told by their link (the source's own pages)
KINDS = {"benefits": r"^/benefits/reviews/", "support": r"^/support/cases/", "relief": r"^/relief/",
         "verification": r"^/verification/", "payments": r"^/payments/", "disaster": r"^/disaster/",
         "monitoring": r"^/monitoring/warnings/", "welfare": r"^/welfare/elderly", "programs": r"^/programs/",
         "registry": r"^/registry/kin-requests/"}
# The items of each kind the demo gives each user (0: the user has no right to act on that kind)
ITEMS = {
    # caseworker's verification: the demo's five open findings (doudi.verification.demo: two deaths, a vehicle, a
    # person paid in two counties, the undeclared pension of its first 特困 recipient); monitoring: the township's
    # 15 open warnings (one fewer than when that pension was a 低保 head's: the scan counts it as the household's
    # income, so its 疑似错保 warning is now of that 特困 household, which is no longer also 疑似漏保 of 低保)
    "caseworker": {"benefits": 0, "support": 5, "relief": 6, "verification": 5, "payments": 2, "disaster": 2,
                   "monitoring": 15, "welfare": 0, "programs": 1, "registry": 1},  # the kin request made below
    "approver": {"benefits": 1, "support": 2, "relief": 3, "verification": 0, "payments": 0, "disaster": 3,
                 "monitoring": 0, "welfare": 1, "programs": 1, "registry": 0},
    "supervisor": dict.fromkeys(KINDS, 0),
}


@pytest.fixture
def demo(calendar):
    """The demo's data, and a kin request from Baotou about a Huining person (for the caseworker's consent)."""
    from doudi.accounts.models import User
    from doudi.registry import services
    from doudi.registry.models import Person
    from doudi.web import demo as web_demo

    web_demo.populate()
    baotou = User.objects.get(username="baotou")
    person = Person.objects.filter(memberships__household__region_code__startswith="150202001").first()
    relative = Person.objects.filter(memberships__household__region_code__startswith="620422100").first()
    services.request_kinship(baotou, person, relative, stated_name=relative.name, kind="parent")
    return {role: User.objects.get(username=name) for role, name in USERS.items()}


def _source(module: str, user) -> tuple[int, list[dict]]:
    from doudi.accounts import access

    access.roles_of(user)  # the roles are read once per request, before any source
    with CaptureQueriesContext(connection) as q:
        items = import_module(module).items(user, timezone.localdate())
    return len(q.captured_queries), items


def test_each_source_asks_only_for_what_the_user_may_act_on(demo):
    from doudi.cases.views import WORKLIST_SOURCES

    asked = {role: {} for role in USERS}
    shown = {role: {} for role in USERS}
    for role, user in demo.items():
        for module in WORKLIST_SOURCES:
            name = module.split(".")[1]
            n, items = _source(module, user)
            asked[role][name] = n
            shown[role][name] = sum(1 for i in items if re.match(KINDS[name], i["url"]))
            assert len(items) == shown[role][name], (role, name, [i["url"] for i in items])  # only its own kind
    assert asked == QUERIES
    assert shown == ITEMS


def test_the_page_asks_the_sources_queries_and_no_more(demo):
    """The page's queries: the request's own (session, user, roles: the page of a user with no worklist),
    the 低保 cases' part, and the sources' counted above; for the supervisor, the overdue report only."""
    from doudi.accounts.models import User
    from doudi.cases.views import worklist_items

    def page(user) -> int:
        c = Client()
        c.force_login(user)
        c.get("/cases/worklist/")  # the first page after the login writes the session's expiry
        with CaptureQueriesContext(connection) as q:
            assert c.get("/cases/worklist/").status_code == 200
        return len(q.captured_queries)

    from doudi.accounts import access

    admin = User.objects.get(username="guanli")  # no role that acts on cases: an empty worklist
    assert worklist_items(admin, timezone.localdate()) == []
    own = page(admin)
    # the 低保 cases' part: the candidate cases and their four-eyes bars (investigations, proposals, spot checks);
    # the caseworker also the transfers to answer and the window's open requests; the approver the first
    # approvals of relatives' cases (a relative's case is in the demo); the supervisor nothing
    cases_part = {"caseworker": 1 + 3 + 2, "approver": 1 + 4, "supervisor": 0}
    for role, user in demo.items():
        access.forget(user)
        with CaptureQueriesContext(connection) as q:
            worklist_items(user, timezone.localdate())
        assert len(q.captured_queries) - 1 == cases_part[role] + sum(QUERIES[role].values()), role  # 1: the roles
        assert page(user) == own + cases_part[role] + sum(QUERIES[role].values()), role


def test_a_source_reads_each_kind_of_row_once_not_once_a_row(demo):
    """The same query twice in one source would be a row's query (the heads of households, four eyes …)."""
    from doudi.cases.views import WORKLIST_SOURCES

    for role, user in demo.items():
        for module in WORKLIST_SOURCES:
            from doudi.accounts import access

            access.roles_of(user)
            with CaptureQueriesContext(connection) as q:
                import_module(module).items(user, timezone.localdate())
            shapes = Counter(re.sub(r"\b\d+\b", "N", x["sql"]) for x in q.captured_queries)
            assert not [s for s, k in shapes.items() if k > 1], (role, module)


def test_finance_reads_its_rolls_in_a_fixed_number_of_queries_whatever_their_number(demo):
    """The counties' rolls of the month, the rolls to review or release, the released rolls of the year with
    whether each was exported and still waits for the bank's results, returned payments, accounts to check:
    five queries, however many rolls were released (the exports and results were a query each roll)."""
    import datetime as dt

    from doudi.accounts.models import User
    from doudi.payments.models import BankExport, Payment, Roll

    finance = User.objects.get(username="caiwu")
    n, items = _source("doudi.payments.worklist", finance)
    assert n == 5
    assert [i["title"] for i in items if "花名册" in i["title"]] == []  # the demo's roll of the month is released
    now = timezone.now()
    month = timezone.localdate().replace(day=1)
    older = [(month - dt.timedelta(days=31 * k)).replace(day=1) for k in (1, 2)]
    rolls = [Roll.objects.create(region="620422", month=m, state="released", built_at=now) for m in older]
    BankExport.objects.create(roll=rolls[0], template="t", filename="f.txt", sha256="0" * 64, records=1,
                              total_fen=100, exported_at=now)
    account = Payment.objects.first().account
    Payment.objects.create(roll=rolls[0], seq=1, account=account, household=account.household,
                           region="620422100201", payee=account.holder_name, amount_fen=100)
    n, items = _source("doudi.payments.worklist", finance)
    assert n == 5
    titles = [i["title"] for i in items]
    assert f"导入银行回盘：{rolls[0]}" in titles and f"导出银行代发文件：{rolls[1]}" in titles
    assert f"导出银行代发文件：{rolls[0]}" not in titles and f"导入银行回盘：{rolls[1]}" not in titles
