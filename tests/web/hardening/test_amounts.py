"""One money field everywhere (issue 16 item 6): 1e5, full-width digits, signs, NaN are refused."""

from decimal import Decimal

import pytest

from doudi.policy.money import parse_amount
from doudi.web.money import MoneyField

BAD = ["1e5", "1E5", "１２３", "１２３.５", "+5", "-5", "NaN", "Infinity", "12.345", "", "5.", ".5", "١٢٣", True]


@pytest.mark.parametrize("raw", BAD)
def test_the_parser_refuses(raw):
    with pytest.raises(ValueError):
        parse_amount(raw)


@pytest.mark.parametrize("raw, expected", [("750", "750"), ("750.5", "750.5"), (" 750.50 ", "750.50"), (750, "750"),
                                           (Decimal("7.25"), "7.25"), (750.5, "750.5")])
def test_the_parser_reads(raw, expected):
    assert parse_amount(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["1e5", "１２３", "NaN"])
def test_the_form_field_says_which_field_in_chinese(raw):
    from django.core.exceptions import ValidationError

    f = MoneyField(label="月工资性收入（元）")
    with pytest.raises(ValidationError) as e:
        f.clean(raw)
    assert "月工资性收入（元）" in e.value.messages[0] and "阿拉伯数字" in e.value.messages[0]
    assert f.clean("1,200.50") == Decimal("1200.50")


@pytest.mark.django_db
def test_the_facts_api_refuses_an_exponent_and_full_width_digits(client_for, huining_caseworker, huining_household):
    head = huining_household.head
    c = client_for(huining_caseworker)
    for raw in ("1e5", "１２００"):
        r = c.put(f"/api/v1/households/{huining_household.pk}/facts/",
                  {"version": huining_household.version, "household": {},
                   "members": {str(head.pk): {"monthly_income": {"wages": raw}}}}, content_type="application/json")
        assert r.status_code == 400 and "月工资性收入" in r.content.decode(), r.content.decode()
    head.refresh_from_db()
    assert head.facts["monthly_income"]["wages"] == 600


@pytest.mark.django_db
def test_the_facts_page_refuses_an_exponent(client_for, huining_caseworker, huining_household):
    from doudi.registry.facts import MEMBER_FACTS, field_name

    head = huining_household.head
    spec = next(s for s in MEMBER_FACTS if s.path == "monthly_income.wages")
    r = client_for(huining_caseworker).post(f"/registry/households/{huining_household.pk}/facts/",
                                            {"version": huining_household.version, field_name(spec, head): "1e5"})
    assert r.status_code == 400 and "阿拉伯数字" in r.content.decode()
