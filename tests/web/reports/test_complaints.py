"""A complaint's life with an anonymous reporter, and a named reporter seen only by handler and auditor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from doudi.reports import complaints

pytestmark = pytest.mark.django_db
D = dt.date


def _record(user, handler, **kw):
    base = dict(region="620422100201", channel="phone", received_on=D(2026, 3, 2), subject_kind="staff",
                subject_name="某村委会主任", content="为亲属违规办理低保", handler_id=handler.pk, on=D(2026, 3, 2))
    base.update(kw)
    return complaints.record_complaint(user, **base)


def test_an_anonymous_complaint_from_record_to_answer(cast, calendar, huining_caseworker, huining_approver,
                                                      client_for, auditor, supervisor):
    from doudi.accounts.models import AuditEntry
    from doudi.reports.models import Complaint

    c = _record(huining_caseworker, huining_approver, anonymous=True)
    # 15 working days after 2026-03-02 (a Monday): 3–6, 9–13, 16–20, 23 → 2026-03-23
    assert c.due_on == D(2026, 3, 23) and c.handler == huining_approver
    assert (c.reporter_name, c.reporter_phone, c.reporter_address) == ("", "", "")
    with pytest.raises(ValidationError) as e:
        _record(huining_caseworker, huining_approver, anonymous=True, reporter_phone="13900000000")
    assert "anonymous" in e.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
        Complaint.objects.filter(pk=c.pk).update(reporter_name="某人")
    with pytest.raises(PermissionDenied):  # only the handler investigates
        complaints.add_note(cast["huining_approver_2"], c.pk, text="查看")
    complaints.add_note(huining_approver, c.pk, text="调取该户审批材料,约谈村委会主任", on=D(2026, 3, 10))
    c = complaints.answer(huining_approver, c.pk, outcome="founded", answer_text="情况属实,已责令整改",
                          answered_on=D(2026, 3, 20), on=D(2026, 3, 20))
    assert c.state == "answered" and c.outcome == "founded" and c.answered_on <= c.due_on
    page = client_for(supervisor).get(f"/reports/complaints/{c.pk}/").content.decode()
    assert "匿名" in page and "情况属实" in page
    assert AuditEntry.objects.filter(action="complaint.answer").count() == 1


def test_the_reporter_is_seen_by_the_handler_and_the_auditor_only(cast, calendar, huining_caseworker,
                                                                 huining_approver, client_for, auditor, supervisor):
    c = _record(huining_caseworker, huining_approver, reporter_name="举报人甲", reporter_phone="13912345678")
    assert complaints.reporter_of(huining_approver, c)["name"] == "举报人甲"
    assert complaints.reporter_of(auditor, c)["phone"] == "13912345678"
    for user in (supervisor, huining_caseworker, cast["huining_approver_2"]):
        assert complaints.reporter_of(user, c) is None
        assert "举报人甲" not in client_for(user).get(f"/reports/complaints/{c.pk}/").content.decode()
        assert client_for(user).get(f"/api/v1/complaints/{c.pk}/").json()["reporter"] is None
    assert "举报人甲" in client_for(auditor).get(f"/reports/complaints/{c.pk}/").content.decode()
    # Baotou sees nothing of it
    assert client_for(cast["baotou_caseworker"]).get(f"/reports/complaints/{c.pk}/").status_code == 404


def test_a_founded_complaint_links_the_recovery_it_caused(cast, calendar, huining_caseworker, huining_approver,
                                                         huining_household):
    from doudi.benefits.services import recover_fraud, start_benefit
    from doudi.registry.documents import household_document

    b = start_benefit(None, household=huining_household, program="dibao", amount_fen=150000,
                      start_month=D(2026, 1, 1), household_document=household_document(huining_household, D(2026, 1, 1)),
                      on=D(2026, 1, 1))
    c = _record(huining_caseworker, huining_approver, subject_kind="recipient", subject_name="张建国",
                content="隐瞒务工收入", anonymous=True)
    rec = recover_fraud(huining_approver, b.pk, first_month=D(2026, 1, 1), last_month=D(2026, 2, 1),
                        fine_multiple="1", reasons="举报属实,隐瞒收入", on=D(2026, 3, 12))
    with pytest.raises(ValidationError):  # an unfounded complaint causes nothing
        complaints.answer(huining_approver, c.pk, outcome="unfounded", answer_text="x", recovery_id=rec.pk,
                          on=D(2026, 3, 12))
    c = complaints.answer(huining_approver, c.pk, outcome="founded", answer_text="已停发并追回", recovery_id=rec.pk,
                          on=D(2026, 3, 12))
    assert c.recovery == rec


def test_the_handler_must_be_above_the_township(calendar, huining_caseworker, cast):
    with pytest.raises(ValidationError) as e:
        _record(huining_caseworker, cast["huining_caseworker_2"])
    assert "handler_id" in e.value.message_dict
    with pytest.raises(PermissionDenied):  # a Baotou caseworker records nothing about Huining
        _record(cast["baotou_caseworker"], cast["huining_approver"])
