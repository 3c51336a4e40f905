"""TA-5 (funeral fees of 低保 recipients waived: the certificate) and EL-1 (the elderly allowance by
parameter), each expected figure worked by hand from the rule text and the placeholder parameters:
elderly_min_age 80, elderly_monthly 50.00 yuan, elderly_decision_working_days 10."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from doudi.welfare import rules
from doudi.welfare import services as s
from doudi.welfare.rules import WelfareError

from ..conftest import HUINING_VILLAGE

D = dt.date
pytestmark = pytest.mark.django_db


START = D(2025, 1, 1)


def _dibao(hh, start=START, **kw):
    from doudi.benefits.models import Benefit

    return Benefit.objects.create(household=hh, region=hh.region_code, program="dibao", amount_fen=60000,
                                  start_month=start, **kw)


@pytest.fixture
def elders(make_household):
    return make_household(HUINING_VILLAGE, "rural", [
        ("老甲", "self", D(1944, 5, 1), "M", {}),      # 81 on 2 Mar 2026
        ("老乙", "spouse", D(1946, 3, 2), "F", {}),    # 80 on 2 Mar 2026 (birthday that day)
        ("儿子", "child", D(1976, 1, 1), "M", {}),     # 50
    ])


def test_el1_the_allowance_is_the_parameter_for_each_member_of_age():
    # two members aged 81 and 80 (≥ 80), one aged 50: 2 × 50.00 = 100.00 yuan a month
    fen, ages, why = rules.elderly_allowance([D(1944, 5, 1), D(1946, 3, 2), D(1976, 1, 1)], D(2026, 3, 2), True)
    assert (fen, ages) == (10000, [81, 80]) and "EL-1" in why
    # a day before the birthday she is 79: one member, 50.00
    assert rules.elderly_allowance([D(1944, 5, 1), D(1946, 3, 2)], D(2026, 3, 1), True)[0] == 5000
    # not a 低保 or 特困 household: nothing
    assert rules.elderly_allowance([D(1944, 5, 1)], D(2026, 3, 2), False)[0] == 0


def test_el1_procedure_starts_a_monthly_benefit(elders, huining_caseworker, huining_approver, calendar):
    from doudi.benefits.models import Benefit

    _dibao(elders)
    c = s.submit_elderly(huining_caseworker, household_id=elders.pk, on=D(2026, 3, 2))
    # Mon 2 Mar + 10 working days: 3,4,5,6 (4), 9–13 (9), Mon 16 (10)
    assert c.due_on == D(2026, 3, 16)
    c = s.decide_elderly(huining_approver, c.pk, approve=True, on=D(2026, 3, 2))
    assert (c.state, c.amount_fen) == ("approved", 10000)
    b = Benefit.objects.get(pk=c.benefit_ref)
    assert (b.program, b.amount_fen, b.start_month) == ("elderly", 10000, D(2026, 4, 1))
    assert {p["name"] for p in c.parameters} >= {"elderly_min_age", "elderly_monthly"}


def test_el1_four_eyes_and_area(elders, huining_caseworker, cast, other_town_caseworker):
    from django.http import Http404

    from doudi.accounts import access
    from doudi.accounts.models import RoleAssignment

    _dibao(elders)
    c = s.submit_elderly(huining_caseworker, household_id=elders.pk)
    with pytest.raises(PermissionDenied):  # the township does not approve
        s.decide_elderly(huining_caseworker, c.pk, approve=True)
    RoleAssignment.objects.create(user=huining_caseworker, role="county_approver", area="620422")
    access.forget(huining_caseworker)
    with pytest.raises(WelfareError, match="受理了本申请"):
        s.decide_elderly(huining_caseworker, c.pk, approve=True)
    with pytest.raises(Http404):
        s.decide_elderly(other_town_caseworker, c.pk, approve=True)
    assert not s.visible_elderly(other_town_caseworker).exists()


def test_el1_a_household_not_in_difficulty_is_not_approved(elders, huining_caseworker, huining_approver):
    c = s.submit_elderly(huining_caseworker, household_id=elders.pk)
    with pytest.raises(WelfareError, match="不是低保或特困家庭"):
        s.decide_elderly(huining_approver, c.pk, approve=True)
    assert s.decide_elderly(huining_approver, c.pk, approve=False, reasons="不是困难家庭").state == "refused"


def test_ta5_the_certificate_for_a_dibao_recipient(elders, huining_caseworker, client_for):
    from doudi.accounts.models import AuditEntry

    _dibao(elders)
    person = elders.head
    c = s.issue_funeral_certificate(huining_caseworker, person_id=person.pk, deceased_on=D(2026, 3, 1),
                                    funeral_home="会宁县殡仪馆", on=D(2026, 3, 2))
    assert c.number.startswith("SZ6204222026")
    page = client_for(huining_caseworker).get(f"/welfare/funeral/{c.pk}/").content.decode()
    assert "基本丧葬服务费用减免证明" in page and "老甲" in page and "会宁县殡仪馆" in page and "盖章处" in page
    assert person.id_number not in page  # masked
    pdf = client_for(huining_caseworker).get(f"/welfare/funeral/{c.pk}/?format=pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert AuditEntry.objects.filter(action="welfare.funeral.pdf").exists()
    with pytest.raises(WelfareError, match="已为"):
        s.issue_funeral_certificate(huining_caseworker, person_id=person.pk, deceased_on=D(2026, 3, 1),
                                    funeral_home="会宁县殡仪馆")


def test_ta5_no_certificate_without_dibao_on_the_day_of_death(elders, huining_caseworker):
    # TA-5 waives the fees of 低保 recipients: the benefit began in April, the death was in March
    _dibao(elders, start=D(2026, 4, 1))
    with pytest.raises(WelfareError) as e:
        s.issue_funeral_certificate(huining_caseworker, person_id=elders.head.pk, deceased_on=D(2026, 3, 20),
                                    funeral_home="会宁县殡仪馆", on=D(2026, 4, 2))
    assert e.value.field == "person_id" and "TA-5" in e.value.message


def test_ta5_a_benefit_ended_after_the_death_still_counts(elders, huining_caseworker):
    _dibao(elders, status="ended", end_month=D(2026, 4, 1))
    assert s.issue_funeral_certificate(huining_caseworker, person_id=elders.head.pk, deceased_on=D(2026, 3, 20),
                                       funeral_home="会宁县殡仪馆", on=D(2026, 4, 2))


def test_pages_render_and_file_actions(elders, huining_caseworker, huining_approver, client_for):
    _dibao(elders)
    c = client_for(huining_caseworker)
    page = c.get(f"/registry/households/{elders.pk}/").content.decode()
    assert "丧葬费减免证明" in page and "申请困难老年人补贴" in page
    assert c.get(f"/welfare/funeral/new/?household={elders.pk}").status_code == 200
    r = c.post(f"/welfare/funeral/new/?household={elders.pk}", {"person_id": elders.head.pk, "deceased_on": "",
                                                                 "funeral_home": "x"})
    assert r.status_code == 400
    assert c.post("/welfare/elderly/submit/", {"household_id": elders.pk}).status_code == 302
    # the same household again (a second click, or another window): refused beside the button, 400
    again = c.post("/welfare/elderly/submit/", {"household_id": elders.pk})
    form = again.content.decode()
    form = form[form.index('id="elderly-submit"'):]
    assert again.status_code == 400 and "该家庭已有待审批的困难老年人补贴申请" in form[:form.index("</form>")]
    a = client_for(huining_approver)
    page = a.get("/welfare/elderly/").content.decode()
    assert "2 名成员年满 80 周岁" in page
    r = a.post(f"/welfare/elderly/{s.visible_elderly(huining_approver).get().pk}/decide/", {"approve": "0"})
    assert r.status_code == 400 and "请填写不予批准的理由" in r.content.decode()


def test_el1_the_application_is_on_the_countys_worklist(elders, huining_caseworker, huining_approver):
    from doudi.welfare import worklist

    _dibao(elders)
    c = s.submit_elderly(huining_caseworker, household_id=elders.pk, on=D(2026, 3, 2))
    assert [i["title"] for i in worklist.items(huining_approver, D(2026, 3, 17))] == [f"{c.number} 困难老年人补贴待审批"]
    assert worklist.items(huining_caseworker, D(2026, 3, 17)) == []  # the township does not decide
