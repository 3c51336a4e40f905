"""An administrator manages only the users of its areas, never its own roles, and every role grant is
audited in the area of the role (issue 16 item 3, /admin/accounts/user/)."""

import pytest

from doudi.accounts.models import AuditEntry, RoleAssignment, User

from ..conftest import BAOTOU_TOWN, HUINING_TOWN

pytestmark = pytest.mark.django_db


def _post(c, user, roles, extra=None):
    """Post the admin change form of ``user`` with ``roles`` [(role, area)] added as new inline rows."""
    existing = list(user.role_assignments.all())
    data = {"username": user.username, "full_name": user.full_name, "department": user.department,
            "id_number": "", "email": "", "is_active": "on",
            "role_assignments-TOTAL_FORMS": str(len(existing) + len(roles)),
            "role_assignments-INITIAL_FORMS": str(len(existing)),
            "role_assignments-MIN_NUM_FORMS": "0", "role_assignments-MAX_NUM_FORMS": "1000"}
    if user.is_staff:
        data["is_staff"] = "on"
    for i, ra in enumerate(existing):
        data.update({f"role_assignments-{i}-id": str(ra.pk), f"role_assignments-{i}-user": str(user.pk),
                     f"role_assignments-{i}-role": ra.role, f"role_assignments-{i}-area": ra.area,
                     f"role_assignments-{i}-active": "on"})
    for j, (role, area) in enumerate(roles, start=len(existing)):
        data.update({f"role_assignments-{j}-role": role, f"role_assignments-{j}-area": area,
                     f"role_assignments-{j}-active": "on", f"role_assignments-{j}-user": str(user.pk)})
    data.update(extra or {})
    return c.post(f"/admin/accounts/user/{user.pk}/change/", data)


def test_the_administrator_cannot_give_itself_a_deciding_role(client_for, administrator):
    c = client_for(administrator)
    r = _post(c, administrator, [("county_approver", "620422")])
    assert r.status_code in (302, 404, 403) or "不能为自己" in r.content.decode()
    assert not RoleAssignment.objects.filter(user=administrator, role="county_approver").exists()


def test_the_administrator_sees_and_changes_only_users_of_its_areas(client_for, administrator, huining_caseworker,
                                                                    baotou_caseworker):
    c = client_for(administrator)  # 甘肃省 620000
    page = c.get("/admin/accounts/user/").content.decode()
    assert huining_caseworker.username in page and baotou_caseworker.username not in page
    assert c.get(f"/admin/accounts/user/{baotou_caseworker.pk}/change/").status_code in (302, 404)
    r = _post(c, baotou_caseworker, [("county_approver", "150202")])
    assert r.status_code in (302, 404)
    assert not RoleAssignment.objects.filter(user=baotou_caseworker, role="county_approver").exists()
    assert c.get(f"/admin/accounts/user/{baotou_caseworker.pk}/password/").status_code in (302, 404)


def test_a_role_outside_the_administrators_areas_is_refused(client_for, administrator, huining_caseworker):
    r = _post(client_for(administrator), huining_caseworker, [("township_caseworker", BAOTOU_TOWN)])
    assert r.status_code == 200 and "不在您管理的区域内" in r.content.decode()
    assert not RoleAssignment.objects.filter(user=huining_caseworker, area=BAOTOU_TOWN).exists()


def test_a_role_grant_is_audited_in_the_area_of_the_role(client_for, administrator, huining_caseworker, auditor):
    r = _post(client_for(administrator), huining_caseworker, [("township_reviewer", HUINING_TOWN)])
    assert r.status_code == 302, r.content.decode()[-2000:]
    assert RoleAssignment.objects.filter(user=huining_caseworker, role="township_reviewer").exists()
    e = AuditEntry.objects.get(action="user.role_grant")
    assert e.area == HUINING_TOWN and e.detail["role"] == "township_reviewer"
    from doudi.accounts import access

    assert access.can(auditor, "audit.view", e)  # the Huining auditor sees it


def test_a_new_user_without_roles_is_visible_to_the_administrator(client_for, administrator):
    User.objects.create_user(username="xinren", password="Cast-Password-2026")
    assert "xinren" in client_for(administrator).get("/admin/accounts/user/").content.decode()
