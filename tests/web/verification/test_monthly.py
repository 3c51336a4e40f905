"""The monthly check of every recipient: hand-made department files, one finding of every kind.

Ten Huining households (urban, standard 700.00 a month, 620422 dibao.yaml) each with a live
低保 benefit from 2026-01; the department files below each give one of them one finding.
"""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.verification import monthly
from doudi.verification.datasets import VerificationError
from doudi.verification.models import Finding, FindingState, Match

from .conftest import DAY

pytestmark = pytest.mark.django_db
VILLAGE = "620422100201"


@pytest.fixture
def recipients(make_household, db):
    """name -> (household, benefit); every household one member unless said otherwise."""
    from doudi.benefits.services import start_benefit
    from doudi.registry.documents import household_document

    plan = {
        "death": [("死者甲", "self", dt.date(1940, 1, 1), "M", {})],
        "huji": [("迁出乙", "self", dt.date(1960, 2, 2), "M", {}), ("无户丙", "spouse", dt.date(1962, 3, 3), "F", {})],
        "vehicle": [("有车丁", "self", dt.date(1970, 4, 4), "M", {})],
        "estate": [("有房戊", "self", dt.date(1971, 5, 5), "F", {})],
        "business": [("经营己", "self", dt.date(1972, 6, 6), "M", {})],
        "income": [("收入庚", "self", dt.date(1975, 7, 7), "M", {"monthly_income": {"wages": 600}}),
                   ("收入辛", "spouse", dt.date(1976, 8, 8), "F", {})],
        "two": [("两县壬", "self", dt.date(1966, 9, 9), "M", {})],
        "kin": [("亲属癸", "self", dt.date(1958, 10, 10), "F", {})],
        "pension": [("养老子", "self", dt.date(1964, 11, 11), "M", {})],
        "possible": [("张秀兰", "self", dt.date(1945, 12, 12), "F", {})],
    }
    out = {}
    for key, members in plan.items():
        hh = make_household(VILLAGE, "urban", members, facts={"assets": {"homes": 1, "vehicles": 0}})
        b = start_benefit(None, household=hh, program="dibao", amount_fen=10000, start_month=dt.date(2026, 1, 1),
                          household_document=household_document(hh, dt.date(2025, 12, 20)), on=dt.date(2025, 12, 20))
        out[key] = (hh, b)
    return out


def _person(recipients, key, i=0):
    return [m.person for m in recipients[key][0].memberships_on(None).order_by("id")][i]


@pytest.fixture
def files(recipients, upload, huining_caseworker):
    """The department files, one snapshot each, extracted on DAY."""
    from doudi.registry.models import Kinship, Person

    p = lambda key, i=0: _person(recipients, key, i)  # noqa: E731
    everyone = [m.person for hh, _ in recipients.values() for m in hh.memberships_on(None)]
    # 公安 户籍: the whole county's register: 迁出乙 moved out, 无户丙 missing
    huji = [[x.id_number, x.name, "正常"] for x in everyone if x.name not in ("迁出乙", "无户丙")]
    huji.append([p("huji").id_number, "迁出乙", "迁出"])
    assert upload("huji", ["身份证号", "姓名", "户籍状态"], huji).ok
    assert upload("death", ["身份证号", "姓名", "出生日期", "区划代码", "死亡日期"], [
        [p("death").id_number, "死者甲", "", "", "2026-09-15"],
        # no ID number: the same name, birth date and village as 张秀兰 (a possible match)
        ["", "张秀兰", "1945-12-12", VILLAGE, "2026-10-01"]]).ok
    assert upload("vehicle", ["身份证号", "姓名", "号牌号码"], [
        [p("vehicle").id_number, "有车丁", "甘D10001"], [p("vehicle").id_number, "有车丁", "甘D10002"]]).ok
    assert upload("real_estate", ["身份证号", "姓名", "不动产权证号", "用途"], [
        [p("estate").id_number, "有房戊", "甘(2020)会宁县不动产权第001号", "住宅"],
        [p("estate").id_number, "有房戊", "甘(2021)会宁县不动产权第002号", "住宅"]]).ok
    assert upload("business", ["身份证号", "姓名", "统一社会信用代码", "市场主体名称", "登记状态"], [
        [p("business").id_number, "经营己", "92620422MA00000001", "会宁县己记小卖部", "存续"]]).ok
    # 人社: 收入庚's contribution base 3000 in 2026-10 (declared wages 600); 养老子's pension since 2026-09
    assert upload("social_insurance", ["身份证号", "姓名", "缴费月份", "缴费基数"], [
        [p("income").id_number, "收入庚", "2026-09", "2800"], [p("income").id_number, "收入庚", "2026-10", "3000"]]).ok
    assert upload("pension", ["身份证号", "姓名", "养老金类别", "起始月份", "月领取金额"], [
        [p("pension").id_number, "养老子", "城乡居民基础养老金", "2026-09", "150"]]).ok
    assert upload("benefit_elsewhere", ["身份证号", "姓名", "救助项目", "发放县(区)代码", "月发放金额"], [
        [p("two").id_number, "两县壬", "低保", "620421", "600"]]).ok
    # NAT-DB-KIN: 亲属癸's son is the caseworker
    son = Person.objects.create(id_number=huining_caseworker.id_number or _staff_id(huining_caseworker), name="王经办")
    Kinship.objects.create(person=p("kin"), relative=son, kind="child")
    return recipients


def _staff_id(user):
    from web.conftest import make_id_number

    user.id_number = make_id_number("620422", dt.date(1985, 1, 1))
    user.save()
    return user.id_number


def test_every_finding_kind_is_raised_once_with_its_figures(files, huining_verifier):
    run = monthly.run_check(huining_verifier, "620422", on=DAY, sets={"dibao.property.max_vehicles": "1"})
    assert run.counts == {"death": 2, "not_in_huji": 2, "vehicle": 1, "real_estate": 1, "business": 1, "income": 1,
                          "two_counties": 1, "kin": 1, "pension": 1}
    by = {(f.kind, f.match): f for f in Finding.objects.all()}
    assert "2026-09-15 死亡" in by[("death", "exact")].detail
    assert {f.person.name for f in Finding.objects.filter(kind="not_in_huji")} == {"迁出乙", "无户丙"}
    # 2 vehicles, the limit set to 1 for the run
    assert "机动车 2 辆" in by[("vehicle", "exact")].detail and "超过本地限额 1 辆" in by[("vehicle", "exact")].detail
    # 2 homes, declared 1
    assert "住宅 2 套" in by[("real_estate", "exact")].detail
    assert "己记小卖部" in by[("business", "exact")].detail
    # (3000 + 0) / 2 = 1500.00 per head, not below 700.00 (declared 600)
    assert by[("income", "exact")].figures["dept_total"] == 300000
    assert "人均 1500.00 元" in by[("income", "exact")].detail
    assert "620421" in by[("two_counties", "exact")].detail
    assert "近亲属" in by[("kin", "exact")].detail
    assert "2026-09" in by[("pension", "exact")].detail and "不计入收入（DB-3）" in by[("pension", "exact")].detail
    possible = by[("death", "possible")]
    assert possible.person.name == "张秀兰" and possible.score == pytest.approx(1)
    assert all(f.due_on == dt.date(2026, 11, 16) for f in Finding.objects.all())  # 10 working days after Mon 11-02
    assert by[("death", "exact")].source["label"] == "公安·死亡登记"


def test_a_second_run_raises_nothing_new(files, huining_verifier):
    monthly.run_check(huining_verifier, "620422", on=DAY)
    n = Finding.objects.count()
    again = monthly.run_check(huining_verifier, "620422", on=DAY + dt.timedelta(days=1))
    assert again.new_findings == 0 and Finding.objects.count() == n


def test_findings_are_township_tasks_cleared_with_a_reason_or_leading_to_a_review(files, huining_verifier,
                                                                                   huining_caseworker):
    from doudi.benefits.models import Review
    from doudi.verification.worklist import items

    monthly.run_check(huining_verifier, "620422", on=DAY)
    tasks = [i for i in items(huining_caseworker, DAY) if i["title"].startswith("比对发现")]
    assert len(tasks) == Finding.objects.count()
    death = Finding.objects.get(kind="death", match=Match.EXACT)
    monthly.start_review(huining_caseworker, death.pk, on=DAY)
    death.refresh_from_db()
    assert death.state == FindingState.REVIEW
    review = Review.objects.get(benefit=death.benefit)
    assert review.trigger == "death" and death.review == review
    biz = Finding.objects.get(kind="business")
    with pytest.raises(VerificationError):
        monthly.clear_finding(huining_caseworker, biz.pk, reason=" ")
    monthly.clear_finding(huining_caseworker, biz.pk, reason="小卖部已于2025年歇业,营业执照待注销")
    biz.refresh_from_db()
    assert biz.state == FindingState.CLEARED and biz.handled_by == huining_caseworker
    # the verification officer may not handle the township's tasks
    with pytest.raises(Exception) as e:
        monthly.clear_finding(huining_verifier, Finding.objects.get(kind="vehicle").pk, reason="x")
    assert "乡镇" in str(e.value)


def test_a_possible_match_is_never_acted_on_until_a_person_confirms_it(files, huining_verifier, huining_caseworker):
    from doudi.benefits.models import Review

    monthly.run_check(huining_verifier, "620422", on=DAY)
    f = Finding.objects.get(match=Match.POSSIBLE)
    with pytest.raises(VerificationError) as e:
        monthly.start_review(huining_caseworker, f.pk, on=DAY)
    assert "确认" in e.value.message
    assert not Review.objects.filter(benefit=f.benefit).exists()
    f.benefit.refresh_from_db()
    assert f.benefit.status == "active"
    monthly.confirm_match(huining_caseworker, f.pk)
    monthly.start_review(huining_caseworker, f.pk, on=DAY)
    assert Review.objects.filter(benefit=f.benefit).exists()


def test_a_possible_match_found_to_be_another_person_is_rejected(files, huining_verifier, huining_caseworker):
    monthly.run_check(huining_verifier, "620422", on=DAY)
    f = Finding.objects.get(match=Match.POSSIBLE)
    monthly.reject_match(huining_caseworker, f.pk, reason="经核实,死者为邻村同名同生日人员")
    f.refresh_from_db()
    assert f.state == FindingState.REJECTED


def test_only_the_countys_verification_officer_runs_the_check(files, huining_caseworker, baotou_caseworker):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        monthly.run_check(huining_caseworker, "620422", on=DAY)
    with pytest.raises(VerificationError):
        monthly.run_check(None, "999999", on=DAY)


def test_the_scheduled_job_checks_every_county_with_recipients(files):
    from doudi.verification.jobs import monthly as job

    assert job(DAY.isoformat()) == {"620422": {"death": 2, "not_in_huji": 2, "vehicle": 1, "real_estate": 1,
                                                "business": 1, "income": 1, "two_counties": 1, "kin": 1, "pension": 1}}


def test_the_dask_engine_partitioned_by_county_finds_what_the_local_engine_finds(files, huining_verifier):
    local = monthly.run_check(huining_verifier, "620422", on=DAY)
    keys = sorted(Finding.objects.values_list("kind", "benefit_id", "key"))
    Finding.objects.all().delete()
    dask = monthly.run_check(huining_verifier, "620422", on=DAY, engine_name="dask")
    assert dask.engine == "dask" and dask.counts == local.counts
    assert sorted(Finding.objects.values_list("kind", "benefit_id", "key")) == keys and len(keys) == 11


def test_the_reports_indicator_counts_findings_handled_by_their_deadline(files, huining_verifier, huining_caseworker):
    from doudi.verification.report_figures import verification_cleared

    monthly.run_check(huining_verifier, "620422", on=DAY)
    n = Finding.objects.count()
    f = Finding.objects.get(kind="business")
    monthly.clear_finding(huining_caseworker, f.pk, reason="已歇业", on=DAY + dt.timedelta(days=3))
    late = Finding.objects.get(kind="vehicle")
    monthly.clear_finding(huining_caseworker, late.pk, reason="农用车", on=dt.date(2026, 11, 30))  # after 11-16
    assert verification_cleared("620422", dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == (1, n)
    assert verification_cleared("620422", dt.date(2026, 12, 1), dt.date(2026, 12, 31)) is None


def test_a_village_assistant_may_see_but_not_clear_a_finding(files, huining_verifier, huining_village_assistant):
    from django.core.exceptions import PermissionDenied

    monthly.run_check(huining_verifier, "620422", on=DAY)
    f = Finding.objects.get(kind="business")
    with pytest.raises(PermissionDenied):
        monthly.clear_finding(huining_village_assistant, f.pk, reason="已歇业")


def test_the_finding_pages_clear_and_review_through_the_services(files, huining_verifier, huining_caseworker,
                                                                client_for):
    monthly.run_check(huining_verifier, "620422", on=DAY)
    c = client_for(huining_caseworker)
    page = c.get("/verification/findings/").content.decode()
    assert "享受待遇人员死亡" in page and "疑似" in page
    f = Finding.objects.get(kind="business")
    detail = c.get(f"/verification/findings/{f.pk}/").content.decode()
    assert "己记小卖部" in detail and 'id="clear"' in detail
    missing = c.post(f"/verification/findings/{f.pk}/clear/", {"reason": "", "version": f.version})
    assert missing.status_code == 400 and 'id="clear"' in missing.content.decode()  # the form again, its error
    f.refresh_from_db()
    assert f.state == FindingState.OPEN  # a reason is required
    # a page older than the finding's last change: refused (409) beside the form, the reason typed kept
    stale = c.post(f"/verification/findings/{f.pk}/clear/", {"reason": "旧页面上填写的理由", "version": f.version - 1})
    body = stale.content.decode()
    assert stale.status_code == 409 and "请刷新页面后重试" in body and "旧页面上填写的理由" in body
    c.post(f"/verification/findings/{f.pk}/clear/", {"reason": "已歇业", "version": f.version})
    f.refresh_from_db()
    assert f.state == FindingState.CLEARED
    # cleared again from a page opened before: the refusal is on the page
    again = c.post(f"/verification/findings/{f.pk}/clear/", {"reason": "第二次填写的理由", "version": f.version})
    assert again.status_code == 400 and "已处理" in again.content.decode()
    possible = Finding.objects.get(match=Match.POSSIBLE)
    refused = c.post(f"/verification/findings/{possible.pk}/review/", {"version": possible.version})
    possible.refresh_from_db()
    assert possible.state == FindingState.OPEN  # refused: not confirmed
    page = refused.content.decode()
    assert refused.status_code == 400
    # a possible match shows 确认为同一人 / 不是同一人, not 启动复核: the refusal is on the page, beside them
    refusal = page[page.index('role="alert"'):]
    assert "确认" in refusal[:refusal.index("</ul>")] and refusal.index("</ul>") < refusal.index('id="confirm"')
    api = c.post(f"/api/v1/findings/{possible.pk}/review/", {}, content_type="application/json")
    assert api.status_code == 400 and "确认" in api.content.decode()
