"""逾期报告: disability-subsidy decisions (DS-1, 15 working days, placeholder) and partner departments' answers
to referrals (HO-1, EM-1, 10 working days, placeholder) past their deadline, in working days by the
holiday calendar (the migration's 2026 schedule: 清明 4–6 April 2026 off, Saturday to Monday).

Hand-worked dates (no holiday in March 2026):
- disability applied Mon 2026-03-02 + 15 working days → Mon 2026-03-23; still open on Tue 2026-04-07:
  late 24–27 March (4), 30 March–3 April (9), 7 April (10) = 10 working days (4–6 April are 清明).
- referral sent Fri 2026-03-20 + 10 → 23–27 (5), 30, 31, 1, 2, 3 April (10) → Fri 2026-04-03; open on
  Tue 2026-04-07: 4, 5, 6 April are off, 7 April → 1 working day (2 if 清明 were ignored).
- referral sent Mon 2026-03-02 + 10 → Mon 2026-03-16, answered Wed 2026-03-18: done late by 17, 18 = 2.
- referral sent Mon 2026-03-30 + 10 → 2026-04-14: not yet due on 2026-04-07, not in the report.
"""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.programs import disability, overdue, partners

D = dt.date
pytestmark = pytest.mark.django_db
TODAY = D(2026, 4, 7)


@pytest.fixture
def late_items(calendar, huining_caseworker, huining_liaison, make_household):
    hh = make_household(members=[("=HYPERLINK(\"x\")", "self", D(1970, 1, 1), "M",
                                  {"disability": {"kind": "physical", "grade": 1}}),
                                 ("李四", "spouse", D(1972, 1, 1), "F", {})])
    p, q = (m.person for m in hh.memberships.order_by("id"))
    a = disability.submit(huining_caseworker, household_id=hh.pk, person_id=p.pk, subsidy="both", on=D(2026, 3, 2))
    r1 = partners.refer(huining_caseworker, household_id=hh.pk, person_id=q.pk, kind="housing", note="住房困难",
                        on=D(2026, 3, 20))
    r2 = partners.refer(huining_caseworker, household_id=hh.pk, person_id=q.pk, kind="employment", note="愿意就业",
                        on=D(2026, 3, 2))
    partners.answer(huining_liaison, r2.pk, accepted=True, answer="已推荐公益性岗位", on=D(2026, 3, 18))
    partners.refer(huining_caseworker, household_id=hh.pk, person_id=q.pk, kind="pension", note="代缴养老保险",
                   on=D(2026, 3, 30))
    return a, r1, r2


def test_the_deadlines_in_working_days(late_items):
    a, r1, r2 = late_items
    assert a.due_on == D(2026, 3, 23) and r1.due_on == D(2026, 4, 3) and r2.due_on == D(2026, 3, 16)


def test_open_items_past_due_with_their_working_days_late(huining_approver, late_items):
    a, r1, _ = late_items
    rows = overdue.report(huining_approver, TODAY, include_done=False)
    assert [(o.kind, o.due_on, o.late_working_days, o.state) for o in rows] == [
        ("disability", D(2026, 3, 23), 10, "逾期未办"),
        ("referral", D(2026, 4, 3), 1, "逾期未办"),       # 清明 4–6 April not counted
    ]
    assert rows[0].number == a.number and rows[0].who == "县级民政部门审批" and rows[0].rule == "DS-1"
    assert rows[1].who == "住建部门答复" and rows[1].rule == "HO-1"
    assert "*" in rows[0].masked_id and rows[0].masked_id != a.person.id_number


def test_done_late_is_in_the_report_when_asked(huining_approver, late_items):
    rows = overdue.report(huining_approver, TODAY, include_done=True)
    done = [o for o in rows if not o.open]
    assert [(o.rule, o.due_on, o.done_on, o.late_working_days, o.state) for o in done] == [
        ("EM-1", D(2026, 3, 16), D(2026, 3, 18), 2, "逾期办结")]
    assert len(rows) == 3


def test_a_weekend_after_the_deadline_is_late_by_zero_working_days(huining_approver, late_items):
    # the referral due Fri 2026-04-03, seen on Sun 2026-04-05: past its deadline, 0 working days late
    rows = overdue.report(huining_approver, D(2026, 4, 5), kind="referral", include_done=False)
    assert [(o.due_on, o.late_working_days) for o in rows] == [(D(2026, 4, 3), 0)]


def test_area_scoping_and_the_partner_sees_only_referrals(huining_liaison, baotou_approver, other_town_caseworker,
                                                          late_items):
    assert overdue.report(baotou_approver, TODAY) == []
    assert overdue.report(other_town_caseworker, TODAY) == []
    assert {o.kind for o in overdue.report(huining_liaison, TODAY)} == {"referral"}


def test_the_worklist_line_of_the_county(huining_approver, supervisor, huining_caseworker, late_items):
    from doudi.cases.views import worklist_items

    for user in (huining_approver, supervisor):
        lines = [i for i in worklist_items(user, TODAY) if i["title"].startswith("逾期报告")]
        assert [(i["title"], i["deadline"], i["overdue"]) for i in lines] == [
            ("逾期报告：残疾人两项补贴审批 1 件、合作部门转介答复 1 件", "2026-03-23", True)]
        assert lines[0]["url"] == "/programs/overdue/"
    # the township caseworker has the items of its own steps, not the county's report line
    assert not [i for i in worklist_items(huining_caseworker, TODAY) if i["title"].startswith("逾期报告")]


def test_the_page_and_its_audited_export(client_for, huining_approver, late_items):
    from django.utils import timezone

    from doudi.accounts.models import AuditEntry
    from tests.web.xlsx_reader import read

    c = client_for(huining_approver)
    page = c.get("/programs/overdue/").content.decode()
    assert "逾期未办" in page and late_items[0].number in page
    assert late_items[0].person.id_number not in page
    r = c.get("/programs/overdue/?done=1&format=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read(r.content)
    assert rows[0][0]["text"] == "事项" and len(rows) == 1 + len(overdue.report(huining_approver, timezone.localdate()))
    names = [row[2] for row in rows[1:] if row[2]["text"].startswith("=")]
    assert names and all(cell["quoted"] and not cell["formula"] for cell in names)  # no formula injection
    e = AuditEntry.objects.filter(action="programs.overdue.export").get()
    assert e.kind == "export" and e.area == "620422" and e.user == huining_approver


def test_without_export_permission_no_export(client_for, supervisor, late_items):
    assert client_for(supervisor).get("/programs/overdue/?format=xlsx").status_code == 403
    assert client_for(supervisor).get("/programs/overdue/").status_code == 200
