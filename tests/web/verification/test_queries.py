"""部门协查: a question to one department about one application's members, answered with a file that the
request's next run reads; the liaison sees the question's persons and nothing of the household or case."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.cases import services as cases
from doudi.verification import queries, services
from doudi.verification.datasets import VerificationError
from doudi.verification.models import DepartmentQuery, QueryState, Snapshot

from .conftest import DAY, PDF, csv_bytes

pytestmark = pytest.mark.django_db

PENSION = ["身份证号", "姓名", "养老金类别", "起始月份", "月领取金额"]
LATER = DAY + dt.timedelta(days=30)


@pytest.fixture
def started(investigated, huining_household, huining_caseworker, huining_verifier):
    case = investigated(huining_household)
    cases.request_verification(huining_caseworker, case.pk, authorisation=(PDF, "授权书.pdf"), on=DAY)
    req = case.verification_requests.get()
    services.start(huining_verifier, req.pk, on=DAY)
    return req


def test_a_pension_answer_makes_the_household_ineligible_in_the_next_run(
        started, huining_household, huining_verifier, huining_liaison):
    head = huining_household.head
    rep = services.run(huining_verifier, started.pk, on=DAY)
    # declared: wages 600 in 3 persons, 200 per head < Huining's urban standard 700: (700 - 200) × 3 = 1500.00 (DB-2)
    assert rep.department_decision["programs"]["dibao"]["amount"] == "1500.00"
    [q] = queries.ask(huining_verifier, started.pk, ["pension"], on=DAY)
    assert (q.department, q.state, q.region) == ("renshe", QueryState.OPEN, huining_household.region_code)
    assert {p["name"] for p in q.persons} == {"张建国", "李秀英", "张小明"}
    out = queries.answer(huining_liaison, q.pk, data=csv_bytes(PENSION, [[head.id_number, head.name, "职工基本养老金",
                                                                         "2026-06", "1800"]]),
                         name="答复.csv", extracted_on=DAY, today=LATER)
    assert out.ok
    q.refresh_from_db()
    assert q.state == QueryState.ANSWERED and q.snapshot.rows == 1 and q.answered_by == huining_liaison
    rep = services.run(huining_verifier, started.pk, on=DAY)
    transfer = [i for i in rep.items if i["item"] == "transfer"]
    assert [(i["declared"], i["department"]) for i in transfer] == [("0.00", "1800.00")]
    # department: 600 + 1800 (an employee pension is counted, NAT-DB-INCOME) = 2400 / 3 = 800 per head, not below 700
    assert rep.department_decision["household"]["per_capita_income"] == "800.00"
    assert rep.department_decision["programs"]["dibao"]["eligible"] is False
    assert rep.changes_decision


def test_a_broken_answer_keeps_the_question_open_and_stores_nothing(started, huining_household, huining_verifier,
                                                                    huining_liaison):
    head = huining_household.head
    [q] = queries.ask(huining_verifier, started.pk, ["pension"], on=DAY)
    out = queries.answer(huining_liaison, q.pk, data=csv_bytes(PENSION, [[head.id_number, head.name, "职工基本养老金",
                                                                         "2026-06", "-5"]]),
                         name="答复.csv", extracted_on=DAY, today=LATER)
    assert not out.ok and out.problems[0].row == 2 and out.problems[0].column == "月领取金额"
    q.refresh_from_db()
    assert q.state == QueryState.OPEN and q.snapshot is None and not Snapshot.objects.exists()


def test_whole_registers_and_a_second_open_question_are_refused(started, huining_verifier):
    with pytest.raises(VerificationError) as e:
        queries.ask(huining_verifier, started.pk, ["huji"], on=DAY)
    assert e.value.field == "kinds" and "「huji」" in e.value.message
    queries.ask(huining_verifier, started.pk, ["bank_deposit"], on=DAY)
    with pytest.raises(VerificationError) as e:
        queries.ask(huining_verifier, started.pk, ["bank_deposit"], on=DAY)
    assert "已发起「银行·银行存款」协查，尚未答复" in e.value.message
    assert DepartmentQuery.objects.count() == 1


def test_the_liaison_sees_its_own_departments_questions_and_nothing_of_the_household(
        started, huining_household, huining_verifier, huining_liaison, huining_caseworker, client_for):
    from doudi.accounts.models import AuditEntry

    [mine, bank] = queries.ask(huining_verifier, started.pk, ["pension", "bank_deposit"], on=DAY)
    c = client_for(huining_liaison)
    page = c.get("/verification/queries/").content.decode()
    assert f"协查 {mine.pk}" in page and f"协查 {bank.pk}" not in page
    head = huining_household.head
    assert head.id_number not in page and head.masked_id in page  # masked in the list
    detail = c.get(f"/verification/queries/{mine.pk}/")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert head.id_number in text  # the department needs the number to look it up; the read is audited
    assert huining_household.number not in text and started.case.number not in text and "600" not in text
    assert AuditEntry.objects.filter(action="verification.query_view", user=huining_liaison).exists()
    assert c.get(f"/verification/queries/{bank.pk}/").status_code == 404  # the bank's question
    assert client_for(huining_caseworker).get(f"/verification/queries/{mine.pk}/").status_code == 404
    home = c.get("/", follow=True).content.decode()  # the liaison's worklist
    assert f"部门协查 {mine.pk}" in home and f"部门协查 {bank.pk}" not in home


def test_the_officer_asks_and_the_liaison_answers_through_the_pages(
        started, huining_household, huining_verifier, huining_liaison, client_for):
    officer = client_for(huining_verifier)
    r = officer.post(f"/verification/requests/{started.pk}/ask/", {"kinds": ["pension"]})
    assert r.status_code == 302
    q = DepartmentQuery.objects.get()
    assert f"协查 {q.pk}" in officer.get(f"/verification/requests/{started.pk}/").content.decode()
    head = huining_household.head
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("a.csv", csv_bytes(PENSION, [[head.id_number, head.name, "职工基本养老金", "2026-13",
                                                           "1800"]]))
    r = client_for(huining_liaison).post(f"/verification/queries/{q.pk}/", {"extracted_on": "2026-11-02",
                                                                            "file": bad})
    assert r.status_code == 400 and "起始月份" in r.content.decode()
    good = SimpleUploadedFile("a.csv", csv_bytes(PENSION, [[head.id_number, head.name, "职工基本养老金", "2026-06",
                                                            "1800"]]))
    r = client_for(huining_liaison).post(f"/verification/queries/{q.pk}/", {"extracted_on": "2026-11-02",
                                                                            "file": good})
    assert r.status_code == 302
    q.refresh_from_db()
    assert q.state == QueryState.ANSWERED
