"""A citizen's notice never calls the standard a placeholder, in any words (issue 9, item 3).

Huining's urban 低保 standard, 700.00 a month, is a placeholder in the policy data (gansu-2017 /
huining data marked `placeholder: true`): the case page tells staff so (the approver confirms it),
the case record lists it as 占位值 — and the decision and refusal notices state the standard as the
figure it is, with no remark: neither 占位 nor placeholder, nor the same said otherwise (待定, 尚未录入,
待本地公布, 暂定, 参考值). Checked on the PDF rendered to PNG (tests/pdf_kit.py), for an approved
household and for one refused because its income is above the standard (the refusal's basis
then states the standard the income was measured against).

Hand-worked: the refused household is one person earning 900.00 a month; 900.00 > 700.00, so not
eligible (DB-1).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from pdf_kit import assert_reads_as_a_citizen_notice, pdf_pages

from doudi.cases import services as s

from .conftest import DAY

pytestmark = pytest.mark.django_db

# every way of saying "this figure is not the real one" that a notice must not carry
PLACEHOLDER_WORDS = ("占位", "placeholder", "待定", "尚未录入", "未录入", "待本地公布", "暂定", "参考值", "待替换")


def _no_placeholder_words(text: str) -> None:
    found = [w for w in PLACEHOLDER_WORDS if w in text.lower()]
    assert found == [], [re.findall(f".{{0,20}}{w}.{{0,20}}", text) for w in found]


def test_the_approved_and_refused_notices_state_the_standard_without_calling_it_a_placeholder(
        walk, huining_household, make_household, huining_approver, huining_reviewer, huining_caseworker, client_for):
    c = client_for(huining_approver)
    approved = walk(huining_household, "at_county")
    page = c.get(f"/cases/{approved.pk}/").content.decode()
    assert "占位" in page  # the staff's page says it (figures-placeholder), the notices below do not
    s.record_spot_check(huining_approver, approved.pk, visited_on=DAY, findings="属实", consistent=True, on=DAY)
    s.approve(huining_approver, approved.pk, on=DAY + dt.timedelta(days=12), confirm_placeholder=True)
    text = re.sub(r"\s+", "", pdf_pages(c.get(f"/cases/{approved.pk}/documents/decision/?format=pdf").content,
                                        "dibao-decision-standard"))
    assert_reads_as_a_citizen_notice(text, "会宁县民政局", approved.number)
    _no_placeholder_words(text)
    assert "700.00" in text  # the standard, stated as a figure

    earner = make_household("620422100201", "urban", [("孙丽", "self", dt.date(1980, 2, 2), "F",
                                                       {"monthly_income": {"wages": 900}})])
    refused = walk(earner, "verified")  # the reviewer proposes not to approve; the notice runs its 7 days
    s.propose(huining_reviewer, refused.pk, recommend=False, opinion="收入高于低保标准，建议不予批准",
              on=DAY + dt.timedelta(days=3))
    s.close_notice(huining_caseworker, refused.pk, on=DAY + dt.timedelta(days=10))
    s.refuse(huining_approver, refused.pk, reasons="家庭月人均收入900.00元，高于当地城市低保标准（DB-1）",
             on=DAY + dt.timedelta(days=12))
    text = re.sub(r"\s+", "", pdf_pages(c.get(f"/cases/{refused.pk}/documents/refusal/?format=pdf").content,
                                        "dibao-refusal-standard"))
    assert_reads_as_a_citizen_notice(text, "会宁县民政局", refused.number)
    _no_placeholder_words(text)
    assert "700.00" in text and "900.00" in text and "不予批准" in text
    # the internal record of the same case keeps the mark
    record = c.get(f"/cases/{refused.pk}/documents/record/").content.decode()
    assert "占位值" in record
