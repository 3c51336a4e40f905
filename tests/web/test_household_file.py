"""一户一档: one page is the household's whole file — members over time, economic facts and their
history, every case of every program, live benefits with amounts and months, reviews,
attachments — each part contributed by its app (household_file hooks), and the acts that start
from it offered only to the users who may take them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from doudi.registry import household_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(calendar, huining_caseworker, huining_approver, huining_household):
    """The household with a 低保 application, a live 低保 benefit, a recorded income change, a proof."""
    from doudi.attachments import services as attachments
    from doudi.benefits.services import start_benefit
    from doudi.cases import services as cases
    from doudi.registry import facts

    from .attachments.files import PDF, upload

    case = cases.submit_application(huining_caseworker, huining_household.pk, on=dt.date(2026, 11, 2))
    benefit = start_benefit(huining_approver, household=huining_household, program="dibao", amount_fen=65400,
                            start_month=dt.date(2026, 4, 1))
    head = huining_household.head
    huining_household.refresh_from_db()
    facts.update_facts(huining_caseworker, huining_household, huining_household.version,
                       {"assets": {"financial": "2000.00"}}, {head.pk: {"monthly_income": {"wages": "900.00"}}},
                       on=dt.date(2026, 11, 3))
    attachments.attach(huining_caseworker, case, upload("收入证明.pdf", PDF), "income_proof")
    return case, benefit


def test_every_app_contributes_its_part_of_the_file(filed, huining_caseworker, huining_household):
    keys = [s.key for s in household_file.sections(huining_caseworker, huining_household)]
    assert keys == ["members", "facts", "dibao-cases", "tekun-cases", "temporary-cases", "benefits", "reviews",
                    "payments", "attachments"]


def test_the_file_page_shows_cases_benefits_facts_history_and_attachments(filed, client_for, huining_caseworker,
                                                                          huining_household):
    case, benefit = filed
    text = client_for(huining_caseworker).get(f"/registry/households/{huining_household.pk}/").content.decode()
    assert case.number in text and "已申请待受理" in text  # the 低保 case and its state
    assert f"/cases/{case.pk}/documents/application/" in text  # its printed application form
    assert "654.00 元/月" in text and "2026年4月" in text  # the live benefit: 65400 fen a month from April
    # the facts as recorded now, and the change in the history (600 → 900 wages; 0 → 2000 financial assets)
    assert "月工资性收入：900.00 元" in text
    assert "张建国 月工资性收入：600.00 元 → 900.00 元" in text and "家庭 金融资产：— → 2000.00 元" in text
    assert "收入证明.pdf" in text and case.number in text.split('id="attachments"')[1]
    assert "李秀英" in text and "张小明" in text


def test_the_facts_history_is_one_row_per_recording_and_cannot_be_changed(filed, huining_household):
    from doudi.registry.models import FactsRecord

    (record,) = FactsRecord.objects.filter(household=huining_household)
    assert record.on_date == dt.date(2026, 11, 3)
    assert record.household_facts == {"assets": {"financial": "2000.00"}}
    assert Decimal(record.member_facts[str(huining_household.head.pk)]["monthly_income"]["wages"]) == Decimal("900")
    with pytest.raises(ValueError):
        record.save()


def _labels(user, household) -> list[str]:
    return [a.label for a in household_file.actions(user, household)]


def test_the_acts_from_the_file_follow_the_users_role(filed, huining_caseworker, huining_village_assistant,
                                                     huining_approver, huining_household):
    assert _labels(huining_caseworker, huining_household)[:4] == ["申请低保", "申请特困", "临时救助", "急难先行救助"]
    assert "报告变化" in _labels(huining_caseworker, huining_household)
    # the village assistant reports and helps (PR-2): no application is accepted by him
    assert _labels(huining_village_assistant, huining_household) == ["求助登记", "报告变化"]
    assert _labels(huining_approver, huining_household) == []


def test_the_file_of_another_area_is_not_found(filed, client_for, other_town_caseworker, baotou_caseworker,
                                               huining_household):
    for user in (other_town_caseworker, baotou_caseworker):
        assert client_for(user).get(f"/registry/households/{huining_household.pk}/").status_code == 404
