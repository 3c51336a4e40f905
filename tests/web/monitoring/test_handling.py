"""From warning to help: assign, visit (with a photo), open an application (linked), close with a
reason; village reports; every step audited; refusals in Chinese naming the field."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.web.monitoring.conftest import DAY, alerts, member, scan

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def warned(worker, upload):
    p = member(worker, "刘芳")
    upload("medical_cost", ["身份证号", "姓名", "年度", "政策范围内个人自付"], [[p.id_number, p.name, 2026, "20000.00"]])
    scan()
    (a,) = alerts(worker, "MW-MEDICAL")
    return a


def test_visit_then_application_links_the_case(warned, huining_caseworker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doudi.accounts.models import AuditEntry
    from doudi.attachments.models import Attachment
    from doudi.cases.models import Case
    from doudi.monitoring import services

    services.assign(huining_caseworker, warned.pk)
    services.record_visit(huining_caseworker, warned.pk, visited_on=DAY, visitors="王经办、钱经办", found="住院治疗中",
                          photo=SimpleUploadedFile("visit.png", PNG, content_type="image/png"), on=DAY)
    services.open_application(huining_caseworker, warned.pk, program="dibao", on=DAY)
    warned.refresh_from_db()
    case = Case.objects.get(household=warned.household)
    assert (warned.state, warned.outcome, warned.linked_app, warned.linked_pk) == (
        "closed", "application", "cases", str(case.pk))
    assert Attachment.objects.filter(target_id=warned.pk, kind="visit_photo").count() == 1
    actions = set(AuditEntry.objects.filter(object_id=str(warned.pk), object_type="monitoring.Alert")
                  .values_list("action", flat=True))
    assert {"monitoring.assign", "monitoring.visit", "monitoring.close"} <= actions


def test_close_needs_a_reason_and_a_visit_for_no_need(warned, huining_caseworker):
    from doudi.monitoring import services

    with pytest.raises(services.MonitoringError) as e:
        services.close(huining_caseworker, warned.pk, outcome="no_need", note="")
    assert e.value.field == "note"
    with pytest.raises(services.MonitoringError) as e:
        services.close(huining_caseworker, warned.pk, outcome="no_need", note="已有商业保险赔付")
    assert "走访" in e.value.message
    services.close(huining_caseworker, warned.pk, outcome="unreachable", note="电话停机,上门无人")
    warned.refresh_from_db()
    assert warned.state == "closed" and warned.closed_by == huining_caseworker
    with pytest.raises(services.MonitoringError):
        services.close(huining_caseworker, warned.pk, outcome="unreachable", note="again")


def test_visit_date_refusals_name_the_field(warned, huining_caseworker):
    from doudi.monitoring import services

    for day, word in ((DAY + dt.timedelta(days=1), "晚于今天"), (DAY - dt.timedelta(days=1), "早于预警日期")):
        with pytest.raises(services.MonitoringError) as e:
            services.record_visit(huining_caseworker, warned.pk, visited_on=day, visitors="王", found="x", on=DAY)
        assert e.value.field == "visited_on" and word in e.value.message


def test_other_township_and_village_assistant_cannot_handle(warned, other_town_caseworker,
                                                           huining_village_assistant):
    from django.http import Http404

    from doudi.monitoring import services

    with pytest.raises(Http404):
        services.close(other_town_caseworker, warned.pk, outcome="unreachable", note="x")
    with pytest.raises(Http404):  # a village assistant sees only his own reports
        services.close(huining_village_assistant, warned.pk, outcome="unreachable", note="x")


def test_village_report_finds_the_household_by_id_number(huining_village_assistant, huining_household):
    from doudi.monitoring import services

    p = member(huining_household, "张建国")
    a = services.report(huining_village_assistant, name=p.name, id_number=p.id_number.lower(),
                        village="620422100201", what="妻子重病住院,无力支付医药费", on=DAY)
    assert a.rule == "MW-VILLAGE" and a.household == huining_household and a.reported_by == huining_village_assistant
    assert a.due_on == DAY + dt.timedelta(days=7)  # orange: 7 days
    assert list(services.visible_alerts(huining_village_assistant)) == [a]


def test_village_report_refusals(huining_village_assistant):
    from doudi.monitoring import services

    with pytest.raises(services.MonitoringError) as e:
        services.report(huining_village_assistant, name="某人", village="620422101201", what="困难")
    assert e.value.field == "village"
    with pytest.raises(services.MonitoringError) as e:
        services.report(huining_village_assistant, name="某人", id_number="123", village="620422100201", what="困难")
    assert e.value.field == "id_number"
    with pytest.raises(services.MonitoringError) as e:
        services.report(huining_village_assistant, name="", village="620422100201", what="困难")
    assert e.value.field == "name"


def test_report_without_household_is_linked_then_opened(huining_village_assistant, huining_caseworker,
                                                       huining_household):
    from doudi.monitoring import services

    a = services.report(huining_village_assistant, name="张建国", village="620422100201", what="失业", on=DAY)
    assert a.household is None
    with pytest.raises(services.MonitoringError) as e:
        services.open_application(huining_caseworker, a.pk, on=DAY)
    assert e.value.field == "household_id"
    services.link_household(huining_caseworker, a.pk, household_id=huining_household.pk)
    services.open_application(huining_caseworker, a.pk, on=DAY)
    a.refresh_from_db()
    assert a.outcome == "application" and a.linked_label.startswith("低保申请")


def test_enter_other_low_income_from_a_warning_once(warned, huining_caseworker, client_for):
    from django.urls import reverse

    from doudi.monitoring import services
    from doudi.monitoring.models import RegisterEntry

    services.enter_from_alert(huining_caseworker, warned.pk, category="other", evidence="大病支出后家庭困难")
    e = RegisterEntry.objects.get(household=warned.household, category="other")
    assert (e.way, e.source) == ("warning", {"alert": warned.pk})
    c = client_for(huining_caseworker)
    r = c.post(reverse("monitoring:step", args=[warned.pk, "enter"]), {"category": "other", "evidence": "再次"})
    assert r.status_code == 400 and "已在此类别中" in r.content.decode()
    page = c.get(reverse("monitoring:register")).content.decode()
    assert "其他低收入" in page and warned.household.number in page
    assert c.get(reverse("monitoring:register") + "?format=xlsx").status_code == 200
