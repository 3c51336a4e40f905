"""Fraud recovery of a 特困 benefit (NAT-DB-FRAUD, doudi.benefits) ends the 特困 case too
(NAT-TK-END: from the next month), so its guardianship visits and necessities leave the worklist.

The elder of conftest.py (Huining urban, alone, aged 75, no income): approved on 2026-03-11 with 1
task unable (partial), 910.00 + 350.00 = 1260.00 a month from April 2026 (TK-1 700.00 × 1.3, TK-2).
"""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.accounts.models import AuditEntry
from doudi.benefits import services as b
from doudi.benefits.models import Benefit, Status
from doudi.support import procedure as proc
from doudi.support import services as s
from doudi.support.models import Decision

D = dt.date
FOUND = D(2026, 6, 10)


@pytest.fixture
def cared(elder_household, walk, huining_caseworker):
    """Approved for dispersed support with a guardian; a visit and the necessities are due."""
    case = walk(elder_household, unable=("bathing",))
    s.sign_agreement(huining_caseworker, case.pk, guardian_name="李照料", duties=["每日送餐", "打扫卫生"],
                     signed_on=D(2026, 4, 1), on=D(2026, 4, 1))
    case.refresh_from_db()
    return case


def _titles(user, today=FOUND):
    return [i["title"] for i in s.worklist_items(user, today)]


def _recover(approver, case, on=FOUND):
    benefit = Benefit.objects.get(program="tekun", person=case.person)
    return b.recover_fraud(approver, benefit.pk, first_month=D(2026, 4, 1), last_month=D(2026, 5, 1),
                           fine_multiple="1", reasons="隐瞒子女赡养能力", on=on)


def test_fraud_recovery_ends_the_case_and_its_visits_leave_the_worklist(cared, huining_caseworker,
                                                                        huining_approver, client_for):
    titles = _titles(huining_caseworker)
    assert any("探访" in t for t in titles) and any("生活必需品" in t for t in titles)
    rec = _recover(huining_approver, cared)
    # April and May paid 1260.00 each: 2520.00 recovered, fined 1 × 2520.00
    assert (rec.amount_fen, rec.fine_fen) == (252000, 252000)
    cared.refresh_from_db()
    assert cared.state == "terminated" and cared.support_until == D(2026, 7, 1)
    t = cared.termination
    assert (t.ground, t.decided_on, t.ends_from) == ("fraud", FOUND, D(2026, 7, 1))
    assert "隐瞒子女赡养能力" in t.facts and "2520.00" in t.facts and "NAT-DB-FRAUD" in t.facts
    assert Decision.objects.filter(case=cared, kind="terminated", effective_from=D(2026, 7, 1)).exists()
    assert not cared.guardianships.filter(ended_on__isnull=True).exists()
    assert not cared.necessities.filter(given_on__isnull=True).exists()
    # nothing of the case is on the worklists any more: the support one and the one worklist
    assert not any(cared.person.name in t for t in _titles(huining_caseworker))
    html = client_for(huining_caseworker).get("/support/").content.decode()
    assert "探访" not in html and "李照料" not in html
    benefit = Benefit.objects.get(pk=rec.benefit_id)
    assert (benefit.status, benefit.end_month) == (Status.STOPPED, D(2026, 7, 1))
    event = cared.events.get(action="end_for_fraud")
    assert event.actor == huining_approver and event.figures["recovery"] == rec.pk
    assert AuditEntry.objects.filter(action="support.end_for_fraud", object_id=str(cared.pk)).exists()
    assert AuditEntry.objects.filter(action="benefit.fraud", object_id=str(benefit.pk)).exists()


def test_fraud_during_an_intended_termination_ends_the_case_for_fraud(cared, huining_caseworker, huining_approver):
    s.propose_termination(huining_caseworker, cared.pk, ground="voluntary", facts="本人申请退出", on=D(2026, 6, 8))
    _recover(huining_approver, cared)
    cared.refresh_from_db()
    assert cared.state == "terminated" and cared.termination.ground == "fraud"


def test_fraud_of_one_person_leaves_the_other_persons_case(make_household, walk, huining_approver):
    from ..conftest import HUINING_VILLAGE

    hh = make_household(HUINING_VILLAGE, "urban", [("王大爷", "self", D(1950, 5, 6), "M", {}),
                                                   ("王大娘", "sibling", D(1953, 9, 1), "F", {})],
                        facts={"legal_supporters": "none"})
    people = {m.person.name: m.person for m in hh.memberships.all()}
    brother = walk(hh, person=people["王大爷"], unable=("bathing",))
    sister = walk(hh, person=people["王大娘"], unable=("bathing",), start=D(2026, 3, 16))
    _recover(huining_approver, brother)
    brother.refresh_from_db()
    sister.refresh_from_db()
    assert brother.state == "terminated" and sister.state == "approved"
    assert Benefit.objects.get(person=people["王大娘"]).status == Status.ACTIVE


def test_fraud_is_not_a_ground_to_propose_and_the_step_is_not_offered(cared, huining_caseworker,
                                                                      huining_approver, client_for):
    with pytest.raises(s.ProcedureError) as e:
        s.propose_termination(huining_caseworker, cared.pk, ground="fraud", facts="骗取", on=D(2026, 6, 8))
    assert e.value.field == "ground" and "NAT-DB-FRAUD" in e.value.message
    perms = s.case_perms(huining_approver, cared)
    assert proc.Action.END_FOR_FRAUD not in proc.allowed_actions(cared.state_enum, perms)
    r = client_for(huining_approver).post(f"/api/v1/support-cases/{cared.pk}/steps/end_for_fraud/", {},
                                          content_type="application/json")
    assert r.status_code in (404, 405)
    cared.refresh_from_db()
    assert cared.state == "approved"


def test_a_caseworker_cannot_recover_and_so_cannot_end_the_case(cared, huining_caseworker):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _recover(huining_caseworker, cared)
    cared.refresh_from_db()
    assert cared.state == "approved"


def test_end_for_fraud_checks_the_area_and_the_role(cared, baotou_approver, huining_caseworker):
    from types import SimpleNamespace

    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    rec = SimpleNamespace(pk=1, benefit_id=1, reasons="虚报", amount_fen=100, fine_multiple=1, fine_fen=100)
    with pytest.raises(Http404):
        s.end_for_fraud(baotou_approver, cared.pk, rec, on=FOUND)
    with pytest.raises(PermissionDenied):
        s.end_for_fraud(huining_caseworker, cared.pk, rec, on=FOUND)
    cared.refresh_from_db()
    assert cared.state == "approved"


def test_a_fraud_recovery_of_an_ended_case_changes_nothing_there(elder_household, walk, huining_caseworker,
                                                                 huining_approver):
    case = walk(elder_household, unable=("bathing",))
    s.propose_termination(huining_caseworker, case.pk, ground="supporter", facts="儿子返乡", on=D(2026, 6, 1))
    s.terminate(huining_approver, case.pk, opinion="同意", on=D(2026, 6, 8))
    _recover(huining_approver, case, on=D(2026, 6, 20))
    case.refresh_from_db()
    assert case.state == "terminated" and case.termination.ground == "supporter"
    assert not case.events.filter(action="end_for_fraud").exists()


def test_the_recovery_page_ends_the_case_too(cared, client_for, huining_approver, huining_caseworker):
    benefit = Benefit.objects.get(program="tekun", person=cared.person)
    r = client_for(huining_approver).post(f"/benefits/{benefit.pk}/recover/", {
        "first_month": "2026-04", "last_month": "2026-05", "fine_multiple": "1", "reasons": "隐瞒收入"})
    assert r.status_code == 302
    cared.refresh_from_db()
    assert cared.state == "terminated" and cared.termination.ground == "fraud"
    assert not any(cared.person.name in t for t in _titles(huining_caseworker))
    page = client_for(huining_approver).get(f"/support/cases/{cared.pk}/")
    assert page.status_code == 200 and "骗取救助供养" in page.content.decode()
    notice = client_for(huining_approver).get(f"/support/cases/{cared.pk}/documents/termination/")
    assert notice.status_code == 200 and "以虚报、隐瞒、伪造等手段骗取救助供养" in notice.content.decode()
