"""The needs board, charities' records and social help (PR-10, WK-1), each figure worked by hand.

PR-10: published needs with consent, anonymised (village and need); charities' help recorded beside
government help; 2 % of assistance funds for bought services (huining). WK-1: union help in three
tiers (deep difficulty, relative difficulty, sudden difficulty).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from doudi.charity import rules
from doudi.charity import services as s
from doudi.charity.rules import HelpError

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def need(huining_caseworker, huining_household):
    return s.publish_need(huining_caseworker, household_id=huining_household.pk, category="schooling",
                          text="初中学生需要学习用品和冬衣", source="case", source_ref="DB6204222026000001",
                          consent=True, consent_on=D(2026, 3, 1), on=D(2026, 3, 2))


def test_pr10_a_need_is_published_only_with_consent(huining_caseworker, huining_household):
    with pytest.raises(HelpError) as e:
        s.publish_need(huining_caseworker, household_id=huining_household.pk, category="living", text="缺冬衣",
                       source="visit", consent=False)
    assert e.value.field == "consent"


def test_pr10_a_need_naming_the_household_is_refused(huining_caseworker, huining_household):
    for text in ("张建国家需要冬衣", f"住{huining_household.address},缺冬衣",
                 f"身份证 {huining_household.head.id_number} 缺冬衣"):
        with pytest.raises(HelpError) as e:
            s.publish_need(huining_caseworker, household_id=huining_household.pk, category="living", text=text,
                           source="visit", consent=True)
        assert e.value.field == "text"


def test_pr10_the_charity_sees_the_village_and_the_need_only(need, client_for, charity, huining_household):
    page = client_for(charity).get("/charity/").content.decode()
    assert "初中学生需要学习用品和冬衣" in page
    for secret in ("张建国", huining_household.number, huining_household.address, "DB6204222026000001"):
        assert secret not in page
    c = client_for(charity)
    assert c.get(f"/registry/households/{huining_household.pk}/").status_code in (403, 404)
    assert c.get("/disaster/").status_code == 403


def test_pr10_charity_help_lands_on_the_household_file_beside_government_help(need, charity, huining_caseworker,
                                                                             client_for, huining_household):
    o = s.make_offer(charity, need.pk, content="资助学习用品", amount="500", on=D(2026, 3, 3))
    s.answer_offer(huining_caseworker, o.pk, accept=True, on=D(2026, 3, 3))
    h = s.charity_help(charity, need.pk, kind="goods", content="学习用品一套、冬衣两件", amount="480.00",
                       given_on=D(2026, 3, 5), on=D(2026, 3, 5))
    assert (h.household_id, h.offer_id, h.amount_fen, h.giver) == (huining_household.pk, o.pk, 48000, "charity")
    page = client_for(huining_caseworker).get(f"/registry/households/{huining_household.pk}/").content.decode()
    assert "社会帮扶（慈善、工会）" in page and "学习用品一套、冬衣两件" in page and "480.00" in page


def test_the_charity_sees_only_its_own_records(need, charity, cast, client_for):
    from doudi.accounts.models import RoleAssignment, User

    other = User.objects.create_user(username="charity_2", password="x", full_name="另一慈善")
    RoleAssignment.objects.create(user=other, role="charity", area="620422")
    s.make_offer(charity, need.pk, content="资助学习用品")
    offers, helps = s.own_records(other)
    assert not offers.exists() and not helps.exists()
    assert "资助学习用品" not in client_for(other).get("/charity/").content.decode()
    assert "资助学习用品" in client_for(charity).get("/charity/mine/").content.decode()


def test_a_charity_elsewhere_sees_no_need(need, make_household):
    from doudi.accounts.models import RoleAssignment, User

    far = User.objects.create_user(username="baotou_charity", password="x", full_name="包头慈善")
    RoleAssignment.objects.create(user=far, role="charity", area="150200")
    assert not s.visible_needs(far).exists()
    with pytest.raises(Http404):
        s.make_offer(far, need.pk, content="x")


def test_wk1_union_help_is_recorded_in_one_of_three_tiers(huining_caseworker, huining_household):
    assert list(rules.UNION_TIERS.values()) == ["深度困难", "相对困难", "意外致困"]
    with pytest.raises(HelpError) as e:
        s.record_help(huining_caseworker, household_id=huining_household.pk, giver="union", organisation="县总工会",
                      kind="money", content="生活救助")
    assert e.value.field == "union_tier"
    h = s.record_help(huining_caseworker, household_id=huining_household.pk, giver="union", organisation="县总工会",
                      kind="money", content="困难职工生活救助", amount="1000", union_tier="deep",
                      union_items=["living", "medical"], given_on=D(2026, 3, 2), on=D(2026, 3, 2))
    assert (h.giver, h.union_tier, h.union_items, h.amount_fen) == ("union", "deep", ["living", "medical"], 100000)


def test_other_townships_cannot_record_help(other_town_caseworker, huining_household, charity):
    with pytest.raises(Http404):
        s.record_help(other_town_caseworker, household_id=huining_household.pk, giver="charity", organisation="x",
                      kind="money", content="x")
    with pytest.raises((PermissionDenied, Http404)):
        s.record_help(charity, household_id=huining_household.pk, giver="charity", organisation="x", kind="money",
                      content="x")


def test_pr10_the_bought_services_budget_is_two_percent(huining_approver):
    # 1 234 567.89 yuan × 2 % = 24 691.3578 → 24 691.36 yuan
    assert rules.bought_services_budget(123_456_789) == 2_469_136
    b = s.set_budget(huining_approver, region="620422", year=2026, assistance_funds="1000000.00")
    assert b.budget_fen == 2_000_000  # 1 000 000.00 × 2 % = 20 000.00
    s.buy_service(huining_approver, b.pk, provider="县社工站", content="重度残疾人照护", amount="15000")
    with pytest.raises(HelpError) as e:  # 20 000.00 − 15 000.00 = 5 000.00 left
        s.buy_service(huining_approver, b.pk, provider="县社工站", content="访视", amount="5000.01")
    assert "5000.00" in e.value.message
    with pytest.raises(HelpError):
        s.set_budget(huining_approver, region="620422", year=2026, assistance_funds="1")


def test_pages_render(need, client_for, huining_caseworker, huining_approver, charity, huining_household):
    for user, urls in ((huining_caseworker, ["/charity/", f"/charity/needs/new/?household={huining_household.pk}",
                                             f"/charity/help/new/?household={huining_household.pk}"]),
                       (huining_approver, ["/charity/budget/"]), (charity, ["/charity/", "/charity/mine/"])):
        c = client_for(user)
        for url in urls:
            assert c.get(url).status_code == 200, url
    r = client_for(huining_caseworker).post("/charity/needs/new/", {
        "household_id": huining_household.pk, "category": "living", "text": "张建国缺冬衣", "source": "visit",
        "consent": "on"})
    assert r.status_code == 400 and "不得含有姓名" in r.content.decode()
    r = client_for(charity).post(f"/charity/needs/{need.pk}/offer/", {"content": ""})
    assert r.status_code == 400


def test_a_refused_answer_or_close_comes_back_beside_its_buttons(need, charity, huining_caseworker, client_for):
    """接受 from a page opened before the offer was answered: refused (该认领已答复) beside the offer's
    buttons, 400; 关闭需求 by the charity, which may not: refused on the board, 403 (procedure.views
    .attempt_button), and the need stays open."""
    o = s.make_offer(charity, need.pk, content="资助学习用品", amount="500", on=D(2026, 3, 3))
    s.answer_offer(huining_caseworker, o.pk, accept=True, on=D(2026, 3, 3))  # in another window
    r = client_for(huining_caseworker).post(f"/charity/offers/{o.pk}/answer/", {"accept": "0"})
    body = r.content.decode()
    row = body[body.index(f'id="need-{need.pk}"'):]
    assert r.status_code == 400 and "该认领已答复" in row[:row.index("</tr>")]
    r = client_for(charity).post(f"/charity/needs/{need.pk}/close/")
    assert r.status_code == 403 and 'role="alert"' in r.content.decode()
    need.refresh_from_db()
    assert need.closed_on is None


@pytest.mark.parametrize("typed", ["1e5", "５００", "-5", "NaN", "500.555"])
def test_an_amount_the_money_field_refuses_is_refused_by_the_service_too(typed, need, charity):
    """Issue 16 item 6: the services read amounts as the form's MoneyField does (doudi.web.money),
    so an API call cannot pass 1e5 or full-width digits that the page refuses."""
    with pytest.raises(HelpError) as e:
        s.make_offer(charity, need.pk, content="资助学习用品", amount=typed)
    assert e.value.field == "amount" and "金额" in e.value.message
