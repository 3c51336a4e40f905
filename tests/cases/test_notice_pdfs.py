"""The 低保 decision and refusal notices as PDF, rendered to PNG and read as the citizen reads them
(issue 9, item 3): the county bureau by name, the amount and the month, the figures and clauses in
words, the right to review (60 days) and to sue (6 months), seal area and date — and nothing of the
internal record (parameters, Python values, placeholders, English)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from pdf_kit import assert_reads_as_a_citizen_notice, pdf_pages

from doudi.cases import services as s

from .conftest import DAY

pytestmark = pytest.mark.django_db


def _approved(walk, household, approver):
    case = walk(household, "at_county")
    s.record_spot_check(approver, case.pk, visited_on=DAY, findings="属实", consistent=True, on=DAY)
    s.approve(approver, case.pk, on=DAY + dt.timedelta(days=12))
    return case


def test_the_decision_pdf_tells_the_citizen_who_decided_what_and_why(walk, huining_household, huining_approver,
                                                                     client_for):
    case = _approved(walk, huining_household, huining_approver)
    pdf = client_for(huining_approver).get(f"/cases/{case.pk}/documents/decision/?format=pdf").content
    text = re.sub(r"\s+", "", pdf_pages(pdf, "dibao-decision"))
    assert_reads_as_a_citizen_notice(text, "会宁县民政局", case.number)
    # 3 members, wages 600, standard 700 (Huining urban): 700.00 × 3 − 600.00 = 1500.00 a month from
    # December 2026 (approved 2026-11-14, paid from the month after)
    assert "1500.00元" in text and "壹仟伍佰元整" in text and "2026年12月" in text
    assert "700.00×3−600.00=1500.00" in text
    assert "会民发〔2022〕63号" in text  # the county's document by its number, not "huining-2022"
    assert "会宁县人民政府申请行政复议" in text  # 行政复议法 2023 Art.24: the county government hears it
    assert "2026年11月14日" in text  # the date under the seal


def test_the_refusal_pdf_gives_the_reasons_and_the_rights_without_internal_data(walk, huining_household,
                                                                               huining_approver, client_for):
    case = walk(huining_household, "at_county")
    s.refuse(huining_approver, case.pk, reasons="家庭存款超过当地规定", on=dt.date(2026, 11, 13))
    pdf = client_for(huining_approver).get(f"/cases/{case.pk}/documents/refusal/?format=pdf").content
    text = re.sub(r"\s+", "", pdf_pages(pdf, "dibao-refusal"))
    assert_reads_as_a_citizen_notice(text, "会宁县民政局", case.number)
    assert "不予批准" in text and "家庭存款超过当地规定" in text and "2026年11月13日" in text


def test_the_internal_record_lists_every_parameter_by_its_chinese_label(walk, huining_household, huining_approver,
                                                                        client_for):
    case = _approved(walk, huining_household, huining_approver)
    html = client_for(huining_approver).get(f"/cases/{case.pk}/documents/record/").content.decode()
    # the record is the office's: every parameter with label, value and unit, and the placeholder marked
    assert "城市低保标准" in html and "700.00 元/人·月" in html and "占位值" in html
    assert "dibao.standard.urban" not in html and "True" not in html and "False" not in html


def test_the_notice_gives_the_offices_address_and_phone_when_the_deployment_has_them(
        walk, huining_household, huining_approver, client_for, settings, tmp_path):
    path = tmp_path / "offices.yaml"
    path.write_text("620422:\n  address: 会宁县某某路1号\n  phone: 0943-0000000\n", encoding="utf-8")
    settings.DOUDI_OFFICES_FILE = str(path)
    case = _approved(walk, huining_household, huining_approver)
    html = client_for(huining_approver).get(f"/cases/{case.pk}/documents/decision/").content.decode()
    assert "会宁县民政局地址：会宁县某某路1号；电话：0943-0000000" in html
    assert "尚未登记" not in html  # the staff's on-screen reminder is gone once the office is known
