"""The benefit list (待遇) through the shared list mechanism (doudi.web.lists)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from doudi.accounts.areas import region_name
from doudi.benefits.models import Status
from doudi.benefits.months import month_label
from doudi.policy.money import fen_to_yuan
from doudi.web.lists import Column, ListSpec, person_search


def _rows(user: Any):
    from doudi.benefits.services import visible_benefits

    return visible_benefits(user)


def _subjects(user: Any, benefits: list) -> list:
    from doudi.benefits.services import with_subjects

    return with_subjects(user, benefits)


def _amount(b: Any) -> int:
    from doudi.benefits.templatetags.benefits_tags import approved_total_fen

    return approved_total_fen(b)


def _status(b: Any) -> str:
    from doudi.benefits.templatetags.benefits_tags import status_words

    return status_words(b)


def _period(b: Any) -> str:
    from doudi.benefits.services import paid_in_stages

    return "一次性（批准总额）" if paid_in_stages(b) else "每月"


BENEFITS = ListSpec(
    key="benefits", title="待遇", unit="项", filename="benefits",
    columns=[
        Column("家庭 / 救助对象", lambda b: b.subject.label, link=lambda b: reverse("benefits:detail", args=[b.pk])),
        Column("救助项目", lambda b: b.program_name + (f"({b.person.name})" if b.person_id and b.subject.household
                                                      else "")),
        Column("村（社区）", lambda b: region_name(b.region)),
        Column("金额（元）", lambda b: fen_to_yuan(_amount(b)), num=True),
        Column("发放方式", _period),
        Column("起始月份", lambda b: month_label(b.start_month)),
        Column("状态", lambda b: _status(b)),
        Column("复核周期", lambda b: b.get_cycle_display()),
        Column("下次复核", lambda b: b.next_review_on),
    ],
    rows=_rows, search=lambda user, rows, q: person_search(user, rows, q, person="person"),
    search_label="姓名、拼音首字母、身份证号或户号", state_field="status", states=Status.choices,
    date_field="start_month", date_label="起始月份", order=("region", "id"), prepare=_subjects,
)
