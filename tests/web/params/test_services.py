"""Entering and approving dated parameter values (issue 10): validation by unit and bounds with
Chinese errors naming the field, four eyes at the same level, audit, and the store every
decision reads (future-dated values take effect on their date and not before)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from doudi.accounts.models import AuditEntry
from doudi.params import services, store
from doudi.params.models import ParameterValue
from doudi.params.services import ParamsError

D = dt.date


def enter(user, **kw):
    args = {"parameter": "dibao.standard.urban", "region": "620422", "effective_from": D(2026, 7, 1),
            "value": "750.00", "document": "会民发〔2026〕1号", "clause": "第二条"}
    args.update(kw)
    return services.enter(user, **args)


def resolve(name, county, on, residence="urban"):
    return store.current_policy().resolve(name, county, on, residence)


def test_an_approved_value_takes_effect_on_its_date_and_not_before(huining_approver, huining_approver_2):
    v = enter(huining_approver)
    assert v.state == "pending" and v.unit == "元/人·月"
    assert resolve("dibao.standard.urban", "620422", D(2026, 7, 1)).value == Decimal("700.00")  # not yet approved
    services.approve(huining_approver_2, v.pk)
    before = resolve("dibao.standard.urban", "620422", D(2026, 6, 30))
    after = resolve("dibao.standard.urban", "620422", D(2026, 7, 1))
    assert before.value == Decimal("700.00")
    assert (after.value, after.level, after.source, after.placeholder) == (
        Decimal("750.00"), "county", "会民发〔2026〕1号 第二条", False)
    actions = list(AuditEntry.objects.filter(kind="parameter_change").values_list("action", "username"))
    assert ("params.enter", "huining_approver") in actions and ("params.approve", "huining_approver_2") in actions


def test_own_approval_is_refused_and_nothing_changes(huining_approver):
    v = enter(huining_approver)
    with pytest.raises(PermissionDenied, match="自己"):
        services.approve(huining_approver, v.pk)
    assert ParameterValue.objects.get(pk=v.pk).state == "pending"


def test_a_user_of_another_level_may_not_approve(huining_approver, baotou_city, administrator):
    v = enter(huining_approver)
    with pytest.raises(PermissionDenied):  # the province administrator is not of the county's level
        services.approve(administrator, v.pk)


def test_a_city_change_reaches_all_its_counties(baotou_city, baotou_city_2):
    v = enter(baotou_city, region="150200", value="900.00", document="包民发〔2026〕3号")
    services.approve(baotou_city_2, v.pk)
    for county in ("150202", "150203", "150206"):
        r = resolve("dibao.standard.urban", county, D(2026, 7, 1))
        assert (r.value, r.level, r.region) == (Decimal("900.00"), "city", "150200"), county


@pytest.mark.parametrize(("kw", "field", "words"), [
    ({"parameter": "dibao.no_such"}, "parameter", "未知参数"),
    ({"region": "150202"}, "region", "不在您的辖区内"),
    ({"region": "62042"}, "region", "6 位代码"),
    ({"effective_from": "2026-13-01"}, "effective_from", "年-月-日"),
    ({"value": "-1"}, "value", "不小于 0"),
    ({"value": "750.005"}, "value", "两位小数"),
    ({"value": "七百"}, "value", "金额"),
    ({"value": ""}, "value", "请填写"),
    ({"parameter": "dibao.disability_uplift", "value": "1.2"}, "value", "0 至 1"),
    ({"parameter": "dibao.edge.ratio", "value": "0.8"}, "value", "不小于 1"),
    ({"parameter": "dibao.rigid_deduction.tiers", "value": '[{"above": 500, "ratio": 0.5}, {"above": 100, "ratio": 0.3}]'},
     "value", "逐级递增"),
    ({"parameter": "dibao.gradual_exit.months", "value": "2.5"}, "value", "整数"),
    ({"document": ""}, "document", "文号"),
])
def test_bad_input_names_the_field_in_chinese_and_stores_nothing(huining_approver, kw, field, words):
    with pytest.raises(ParamsError) as e:
        enter(huining_approver, **kw)
    assert e.value.field == field and words in e.value.message, e.value.message
    assert ParameterValue.objects.count() == 0


def test_db7_and_ta3_bounds_in_wuhai(db):
    from tests.web.params.conftest import make_user

    wuhai = make_user("wuhai_city", "administrator", "150300", "乌海市参数员")
    # DB-7: the supplement is not less than 5% of the standard (wuhai-2014 二.3)
    with pytest.raises(ParamsError) as e:
        enter(wuhai, region="150300", parameter="dibao.supplement.elderly", value="0.04", document="乌民发")
    assert e.value.field == "value" and "0.05" in e.value.message and "wuhai-2014" in e.value.message
    enter(wuhai, region="150300", parameter="dibao.supplement.elderly", value="0.08", document="乌民发")
    # TA-3: the smallest grant may not exceed the largest (30000.00 in Wuhai)
    with pytest.raises(ParamsError) as e:
        enter(wuhai, region="150300", parameter="temporary.grant.min", value="40000", document="乌民发")
    assert e.value.field == "value" and "30000.00" in e.value.message


def test_a_second_pending_change_of_the_same_parameter_and_date_is_refused(huining_approver, huining_approver_2):
    enter(huining_approver)
    with pytest.raises(ParamsError) as e:
        enter(huining_approver_2, value="760.00")
    assert e.value.field == "effective_from" and "待审批" in e.value.message
    enter(huining_approver_2, value="760.00", effective_from=D(2026, 8, 1))  # another date is fine
    assert ParameterValue.objects.count() == 2


def test_rejected_values_never_take_effect(huining_approver, huining_approver_2):
    v = enter(huining_approver)
    with pytest.raises(ParamsError):
        services.reject(huining_approver_2, v.pk, reason="")
    services.reject(huining_approver_2, v.pk, reason="文号有误")
    assert resolve("dibao.standard.urban", "620422", D(2026, 7, 1)).value == Decimal("700.00")
    with pytest.raises(ParamsError):
        services.approve(huining_approver_2, v.pk)


def test_a_caseworker_has_no_params_change(huining_caseworker):
    with pytest.raises(PermissionDenied):
        enter(huining_caseworker)


def test_in_force_lists_level_source_and_placeholder_in_chinese(huining_approver):
    rows = {r["name"]: r for r in services.in_force("620422", D(2026, 7, 1))}
    r = rows["dibao.standard.urban"]
    assert (r["label"], r["value"], r["unit"], r["level"], r["placeholder"]) == (
        "城市低保标准", "700.00", "元/人·月", "县级", True)
    assert rows["dibao.standard.rural"]["level"] == "省级"  # rural Huining: Gansu's figure


def test_an_approval_by_another_process_is_noticed_by_the_version_query(huining_approver, huining_approver_2):
    """store.version() is written-out SQL (asked on every decision): it gives the ORM's aggregate, and a value
    approved elsewhere (a row changed without this process's invalidate) changes it and the policy read next."""
    from django.db.models import Count, Max
    from django.utils import timezone

    def orm():
        v = ParameterValue.objects.filter(state="approved").aggregate(n=Count("id"), last=Max("id"),
                                                                      at=Max("approved_at"))
        return v["n"], v["last"], v["at"]

    assert store.version() == orm() == (0, None, None)
    assert resolve("dibao.standard.urban", "620422", D(2026, 7, 1)).value == Decimal("700.00")
    v = enter(huining_approver)
    ParameterValue.objects.filter(pk=v.pk).update(state="approved", approved_by=huining_approver_2,
                                                  approved_at=timezone.now())  # as another process would
    first = store.version()
    assert first[:2] == orm()[:2] == (1, v.pk) and first[2] is not None
    assert resolve("dibao.standard.urban", "620422", D(2026, 7, 1)).value == Decimal("750.00")
    ParameterValue.objects.filter(pk=v.pk).update(state="rejected")
    assert store.version()[:2] == (0, None)
    assert resolve("dibao.standard.urban", "620422", D(2026, 7, 1)).value == Decimal("700.00")
