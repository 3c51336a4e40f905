"""The audit log: every read of a person's file is logged, and nobody can change or delete an entry."""

import pytest
from django.db import DatabaseError, connection, transaction

from doudi.accounts import audit
from doudi.accounts.models import AppendOnly, AuditEntry, AuditKind

from .conftest import HUINING_VILLAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(huining_caseworker, huining_household):
    return audit.record(huining_caseworker, AuditKind.READ, huining_household, reason="入户调查")


def test_an_entry_records_user_time_area_action_object_and_reason(entry, huining_caseworker, huining_household):
    e = AuditEntry.objects.get(pk=entry.pk)
    assert e.user == huining_caseworker and e.username == "huining_caseworker"
    assert e.area == HUINING_VILLAGE and e.kind == "read" and e.reason == "入户调查"
    assert e.object_type == "registry.Household" and e.object_id == str(huining_household.pk)
    assert e.time is not None


def test_saving_an_existing_entry_is_refused(entry):
    entry.reason = "改写"
    with pytest.raises(AppendOnly):
        entry.save()


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="改写")


def test_the_database_refuses_a_raw_sql_update_of_the_audit_log(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE accounts_auditentry SET reason = 'forged' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).reason == "入户调查"


def test_on_postgresql_the_database_refuses_a_raw_sql_delete_of_the_audit_log(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM accounts_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_auditor_reads_the_audit_log_of_its_county(client_for, auditor, entry):
    r = client_for(auditor).get("/accounts/audit/")
    assert r.status_code == 200 and "入户调查" in r.content.decode()


def test_the_city_supervisor_reads_the_audit_log_of_its_city(client_for, supervisor, entry):
    assert "入户调查" in client_for(supervisor).get("/accounts/audit/").content.decode()


def test_an_auditor_does_not_see_entries_of_another_area(client_for, auditor, baotou_caseworker, baotou_household):
    audit.record(baotou_caseworker, AuditKind.READ, baotou_household, reason="包头核查")
    assert "包头核查" not in client_for(auditor).get("/accounts/audit/").content.decode()
    data = client_for(auditor).get("/api/v1/audit/").json()
    assert all(e["reason"] != "包头核查" for e in data["results"])


def test_caseworkers_and_approvers_cannot_read_the_audit_log(client_for, huining_caseworker, huining_approver, entry):
    for user in (huining_caseworker, huining_approver):
        assert client_for(user).get("/accounts/audit/").status_code == 403
        assert client_for(user).get("/api/v1/audit/").json()["count"] == 0


def test_the_audit_api_is_read_only(client_for, auditor, entry):
    c = client_for(auditor)
    assert c.get(f"/api/v1/audit/{entry.pk}/").json()["reason"] == "入户调查"
    assert c.put(f"/api/v1/audit/{entry.pk}/", {"reason": "x"}, content_type="application/json").status_code == 405
    assert c.delete(f"/api/v1/audit/{entry.pk}/").status_code == 405


def test_reading_a_household_through_the_api_is_logged(client_for, huining_approver, huining_household):
    client_for(huining_approver).get(f"/api/v1/households/{huining_household.pk}/")
    e = AuditEntry.objects.get(kind="read")
    assert e.user == huining_approver and e.object_id == str(huining_household.pk)


def test_a_user_change_by_the_administrator_is_logged(client_for, administrator, huining_caseworker):
    r = client_for(administrator).post(f"/admin/accounts/user/{huining_caseworker.pk}/change/", {
        "username": "huining_caseworker", "full_name": "王经办（改）", "department": "", "id_number": "",
        "email": "", "is_active": "on",
        "role_assignments-TOTAL_FORMS": "0", "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-MIN_NUM_FORMS": "0", "role_assignments-MAX_NUM_FORMS": "1000"})
    assert r.status_code == 302, r.content.decode()[:3000]
    assert AuditEntry.objects.filter(kind="user_change", object_id=str(huining_caseworker.pk)).exists()
