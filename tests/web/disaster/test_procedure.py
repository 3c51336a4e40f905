"""Disaster relief through its services: reports (DR-2), the four steps with their deadlines and four
eyes (DR-1), the DR-4 order, goods from the stock with its ledger, the funding shares (DR-3), areas.

Step limits (data/procedure.yaml, placeholders): 村评 3, 乡审 3, 县定 5, 发放 5 working days.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from doudi.accounts import access
from doudi.accounts.models import User
from doudi.disaster import services as s
from doudi.disaster.procedure import ProcedureError

from ..conftest import HUINING, HUINING_TOWN, HUINING_VILLAGE, OTHER_HUINING_VILLAGE
from .conftest import DAY, at

D = dt.date
pytestmark = pytest.mark.django_db


def test_dr2_an_event_reported_within_two_hours_counts_as_the_townships_report(flood):
    e = flood()
    assert not e.report_late and e.number.startswith("ZH6204222026")
    r = e.reports.get()
    assert (r.region, r.day, r.kind, r.late) == (HUINING_TOWN, DAY, "event", False)


def test_dr2_a_report_after_two_hours_is_marked_late(huining_caseworker):
    # occurred 08:00, reported 10:01: more than 2 hours
    e = s.report_event(huining_caseworker, region=HUINING_TOWN, kind="hail", stage="emergency",
                       occurred_at=at(DAY, 8), description="冰雹", now=at(DAY, 10, 1))
    assert e.report_late and e.reports.get().late


def test_dr2_the_zero_report_once_a_day_and_not_on_a_day_with_an_event(huining_caseworker, flood):
    r = s.zero_report(huining_caseworker, township=HUINING_TOWN, day=D(2026, 3, 3), now=at(D(2026, 3, 3), 9))
    assert r.kind == "zero" and not r.late
    with pytest.raises(ProcedureError) as e:
        s.zero_report(huining_caseworker, township=HUINING_TOWN, day=D(2026, 3, 3), now=at(D(2026, 3, 3), 10))
    assert e.value.field == "day"
    flood()
    with pytest.raises(ProcedureError, match="已报送灾情"):
        s.zero_report(huining_caseworker, township=HUINING_TOWN, day=DAY, now=at(DAY, 10))
    # after 17:00 (zero_report_hour) the zero report is late
    assert s.zero_report(huining_caseworker, township=HUINING_TOWN, day=D(2026, 3, 4), now=at(D(2026, 3, 4), 18)).late


def test_dr2_the_county_is_warned_of_townships_that_sent_neither(huining_caseworker, huining_approver):
    s.zero_report(huining_caseworker, township=HUINING_TOWN, day=DAY, now=at(DAY, 9))
    rows = {r["township"]: r for r in s.report_status(huining_approver, DAY, now=at(DAY, 18))}
    assert not rows[HUINING_TOWN]["missing"] and rows[HUINING_TOWN]["zero"]
    others = [t for t, r in rows.items() if r["missing"]]
    assert others and HUINING_TOWN not in others and all(t.startswith(HUINING) for t in others)
    # before 17:00 nobody is missing yet
    assert not any(r["missing"] for r in s.report_status(huining_approver, DAY, now=at(DAY, 16)))


def test_dr2_a_township_reports_only_in_its_own_area(other_town_caseworker, huining_village_assistant):
    with pytest.raises(PermissionDenied):
        s.report_event(other_town_caseworker, region=HUINING_TOWN, kind="flood", stage="emergency",
                       occurred_at=at(DAY, 8), description="x", now=at(DAY, 9))
    with pytest.raises(PermissionDenied):  # the village does not report (PR-2: the township does)
        s.zero_report(huining_village_assistant, township=HUINING_TOWN, day=DAY, now=at(DAY, 9))


def test_dr1_four_steps_with_working_day_deadlines(flood, walk, huining_household):
    e = flood()
    g = walk(e, huining_household, to="applied")
    # applied Mon 2 Mar: 村评 within 3 working days → Tue 3 (1), Wed 4 (2), Thu 5 (3)
    assert (g.state, g.due_on, g.due_kind) == ("applied", D(2026, 3, 5), "appraisal")


def test_dr1_the_whole_walk_money_paid_straight_to_the_household(flood, walk, huining_household, huining_caseworker):
    g = walk(flood(), huining_household, amount="1500.50")
    # reviewed Tue 3 Mar → 县定 within 5 working days; approved Wed 4 Mar → 发放 within 5: Thu 5 … Wed 11 Mar
    assert (g.state, g.amount_fen, g.form, g.due_on) == ("approved", 150050, "money", D(2026, 3, 11))
    assert [ev.action for ev in g.events.all()] == ["apply", "appraise", "review", "approve"]
    assert len({ev.actor_id for ev in g.events.all()}) == 4  # four steps, four users
    s.issue(huining_caseworker, g.pk, issued_on=D(2026, 3, 5), on=D(2026, 3, 5))
    g.refresh_from_db()
    assert (g.state, g.issued_on, g.due_on) == ("issued", D(2026, 3, 5), None)


def test_dr1_deadlines_of_appraisal_and_review(flood, walk, huining_household):
    g = walk(flood(), huining_household, to="appraised")
    g.refresh_from_db()
    # appraised Mon 2 Mar → 乡审 within 3 working days: Thu 5 Mar
    assert (g.state, g.due_on, g.due_kind) == ("appraised", D(2026, 3, 5), "review")
    assert g.priority == 5  # none of DR-4's groups


def test_four_eyes_who_took_one_step_does_not_take_the_next(flood, huining_household, huining_caseworker,
                                                           huining_village_assistant, huining_reviewer):
    from doudi.accounts.models import RoleAssignment

    # a user holding both the village and the township reviewer's role
    RoleAssignment.objects.create(user=huining_village_assistant, role="township_reviewer", area=HUINING_TOWN)
    g = s.apply(huining_caseworker, event_id=flood().pk, household_id=huining_household.pk, losses="受损", on=DAY)
    s.appraise(huining_village_assistant, g.pk, appraisal="同意", on=DAY)
    with pytest.raises(ProcedureError, match="村评"):
        s.review(huining_village_assistant, g.pk, opinion="同意", on=DAY)
    s.review(huining_reviewer, g.pk, opinion="同意", on=DAY)
    RoleAssignment.objects.create(user=huining_reviewer, role="county_approver", area=HUINING)
    access.forget(huining_reviewer)
    with pytest.raises(ProcedureError, match="乡审"):
        s.approve(huining_reviewer, g.pk, amount="100", on=DAY)
    assert s.took_part(huining_reviewer, s.Grant.objects.get(pk=g.pk), s.Action.APPROVE)


def test_the_roles_of_the_four_steps(flood, huining_household, huining_caseworker, huining_reviewer,
                                     huining_village_assistant):
    g = s.apply(huining_village_assistant, event_id=flood().pk, household_id=huining_household.pk, losses="受损",
                on=DAY)  # the village records the household's application
    with pytest.raises(PermissionDenied):  # the township reviewer does not record the village's appraisal
        s.appraise(huining_reviewer, g.pk, appraisal="同意")
    with pytest.raises(ProcedureError):  # not before the village has appraised
        s.review(huining_reviewer, g.pk, opinion="同意")


def test_dr4_the_village_list_puts_collapsed_houses_then_dibao_then_disabled(flood, walk, make_household):
    from doudi.benefits.models import Benefit

    e = flood()
    plain = make_household(HUINING_VILLAGE, "rural", [("甲", "self", D(1970, 1, 1), "M", {})])
    disabled = make_household(HUINING_VILLAGE, "rural", [("乙", "self", D(1970, 1, 1), "M",
                                                          {"disability": {"kind": "physical", "grade": 2}})])
    dibao = make_household(HUINING_VILLAGE, "rural", [("丙", "self", D(1970, 1, 1), "M", {})])
    Benefit.objects.create(household=dibao, region=dibao.region_code, program="dibao", amount_fen=50000,
                           start_month=D(2026, 1, 1))
    collapsed = make_household(HUINING_VILLAGE, "rural", [("丁", "self", D(1970, 1, 1), "M", {})])
    for hh in (plain, disabled, dibao):
        walk(e, hh, to="applied")
    walk(e, collapsed, to="applied", collapsed=True)
    order = [(g.applicant_name, g.priority) for g in s.visible_grants(
        User.objects.get(username="huining_caseworker")).order_by("priority", "submitted_on", "id")]
    assert order == [("丁", 1), ("丙", 2), ("乙", 4), ("甲", 5)]
    ledger = s.ledger_rows(User.objects.get(username="huining_approver"), e)
    assert [r[2] for r in ledger] == ["倒房重建户", "受灾低保户", "残疾人家庭", "其他受灾户"]


def test_goods_are_issued_from_the_stock_with_its_ledger(flood, walk, huining_household, huining_approver,
                                                        huining_finance):
    s.receive_stock(huining_approver, region=HUINING, name="棉被", unit="床", quantity=10, note="省厅调拨", on=DAY)
    item = s.StockItem.objects.get()
    g = walk(flood(), huining_household, amount="", goods_item=item.pk, goods_quantity=3)
    assert (g.form, g.goods_quantity, g.amount_fen) == ("goods", 3, 0)
    s.issue(huining_finance, g.pk, on=D(2026, 3, 5))
    item.refresh_from_db()
    assert item.quantity == 7
    assert [(m.kind, m.quantity, m.balance) for m in item.movements.all()] == [("in", 10, 10), ("out", 3, 7)]


def test_goods_beyond_the_stock_are_refused(flood, walk, huining_household, huining_approver):
    s.receive_stock(huining_approver, region=HUINING, name="大米", unit="袋", quantity=2, on=DAY)
    with pytest.raises(ProcedureError) as e:
        walk(flood(), huining_household, amount="", goods_item=s.StockItem.objects.get().pk, goods_quantity=3)
    assert e.value.field == "goods_quantity"


def test_dr3_the_events_funding_shares_are_recorded(flood, huining_approver):
    f = s.record_funding(huining_approver, flood().pk, total="200000.00", note="中央救灾资金", on=DAY)
    # 200 000.00 × 70 % = 140 000.00; × 15 % = 30 000.00 twice
    assert (f.total_fen, f.national_fen, f.city_fen, f.county_fen) == (20_000_000, 14_000_000, 3_000_000, 3_000_000)
    assert f.shares == {"national": "0.70", "city": "0.15", "county": "0.15"}


def test_area_isolation(flood, walk, huining_household, other_town_caseworker, baotou_caseworker):
    e = flood()
    g = walk(e, huining_household, to="applied")
    for user in (other_town_caseworker, baotou_caseworker):
        assert not s.visible_grants(user).exists() and not s.visible_events(user).exists()
        with pytest.raises(Http404):
            s.access_case(user, g.pk)
        with pytest.raises(Http404):
            s.appraise(user, g.pk, appraisal="x")


def test_a_household_outside_the_event_area_is_refused(flood, huining_caseworker, make_household):
    from doudi.accounts.models import RoleAssignment

    from ..conftest import OTHER_HUINING_TOWN

    e = flood()  # in HUINING_TOWN
    RoleAssignment.objects.create(user=huining_caseworker, role="township_caseworker", area=OTHER_HUINING_TOWN)
    access.forget(huining_caseworker)
    far = make_household(OTHER_HUINING_VILLAGE, "rural", [("远", "self", D(1970, 1, 1), "M", {})])
    with pytest.raises(ProcedureError) as exc:  # the user may act there, but the flood did not hit that township
        s.apply(huining_caseworker, event_id=e.pk, household_id=far.pk, losses="x")
    assert exc.value.field == "household_id"


def test_a_household_not_in_the_registry_is_registered_with_its_application(flood, huining_caseworker):
    from ..conftest import make_id_number

    g = s.apply_new_household(huining_caseworker, event_id=flood().pk, region=HUINING_VILLAGE, residence="rural",
                              head_name="新登记", id_number=make_id_number(), losses="房屋倒塌", house_collapsed=True,
                              on=DAY)
    assert g.household.head.name == "新登记" and g.priority == 1
    with pytest.raises(ProcedureError) as e:
        s.apply_new_household(huining_caseworker, event_id=g.event_id, region=HUINING_VILLAGE, residence="rural",
                              head_name="错号", id_number="123", losses="x")
    assert e.value.field == "id_number"


def test_one_grant_per_household_event_and_stage(flood, walk, huining_household, huining_caseworker):
    e = flood()
    walk(e, huining_household, to="applied")
    with pytest.raises(ProcedureError, match="已有本次灾情"):
        s.apply(huining_caseworker, event_id=e.pk, household_id=huining_household.pk, losses="x")
    # another stage (DR-5) is another grant
    assert s.apply(huining_caseworker, event_id=e.pk, household_id=huining_household.pk, losses="过渡期",
                   stage="transition").stage == "transition"


def test_refusal_at_the_township_review(flood, walk, huining_household, huining_reviewer):
    g = walk(flood(), huining_household, to="appraised")
    with pytest.raises(ProcedureError) as e:
        s.refuse(huining_reviewer, g.pk, reasons=" ")
    assert e.value.field == "reasons"
    s.refuse(huining_reviewer, g.pk, reasons="核查未受灾", on=DAY)
    g.refresh_from_db()
    assert (g.state, g.due_on) == ("refused", None)


def test_the_worklist_shows_the_step_due_and_the_missing_reports(flood, walk, huining_household, huining_caseworker,
                                                                 huining_village_assistant, huining_approver):
    walk(flood(), huining_household, to="applied")  # the flood of Mon 2 Mar is the township's report that day
    items = s.worklist_items(huining_village_assistant, D(2026, 3, 6))
    assert any("户申待村评" in i["title"] and i["overdue"] for i in items)
    assert not any("未报送" in i["title"] for i in items)  # the village does not report
    # DR-2, lookback 3 days (placeholder) from Wed 4 Mar: the township sent nothing on 3 and 4 Mar
    own = [i["title"] for i in s.worklist_items(huining_caseworker, D(2026, 3, 4)) if "未报送" in i["title"]]
    assert own == [f"2026-03-03 {s.region_name('620422100')}未报送灾情或零报告",
                   f"2026-03-04 {s.region_name('620422100')}未报送灾情或零报告"]
    s.zero_report(huining_caseworker, township="620422100", day=D(2026, 3, 3), now=at(D(2026, 3, 3), 9))
    own = [i["title"] for i in s.worklist_items(huining_caseworker, D(2026, 3, 4)) if "未报送" in i["title"]]
    assert own == [f"2026-03-04 {s.region_name('620422100')}未报送灾情或零报告"]
    # the county: one line a day counting its townships that sent neither
    county = [i for i in s.worklist_items(huining_approver, D(2026, 3, 4)) if "未报送" in i["title"]]
    assert len(county) == 3 and all("个乡镇未报送" in i["title"] for i in county)


@pytest.mark.parametrize("typed", ["2e5", "２００００", "-1", "Infinity", "100.001"])
def test_dr3_a_funding_total_the_money_field_refuses_is_refused_by_the_service(typed, flood, huining_approver):
    """Issue 16 item 6: the service reads the total as the form's MoneyField does (doudi.web.money);
    nothing is recorded."""
    from doudi.disaster.models import EventFunding

    with pytest.raises(ProcedureError) as e:
        s.record_funding(huining_approver, flood().pk, total=typed, on=DAY)
    assert e.value.field == "total" and "救灾资金总额" in e.value.message
    assert not EventFunding.objects.exists()
