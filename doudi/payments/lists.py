"""The payee accounts list (收款账户) through the shared list mechanism: account numbers masked."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from doudi.accounts import access
from doudi.accounts.areas import region_name
from doudi.accounts.roles import Action
from doudi.payments.models import Account, AccountState
from doudi.web.lists import Column, ListSpec, person_search


def _rows(user: Any):
    return access.scope_queryset(user, Account.objects.select_related("household", "person"), Action.HOUSEHOLD_VIEW)


ACCOUNTS = ListSpec(
    key="payee_accounts", title="收款账户", unit="个", filename="payee-accounts",
    columns=[
        Column("户名", lambda a: a.holder_name, link=lambda a: reverse("payments:account", args=[a.pk])),
        Column("领款对象", lambda a: a.person.name if a.person_id else "本户"),
        Column("村（社区）", lambda a: region_name(a.region)),
        Column("账户类型", lambda a: a.get_holder_kind_display()),
        Column("开户银行", lambda a: a.bank_name),
        Column("账号", lambda a: a.masked),
        Column("一卡通", lambda a: a.yikatong),
        Column("状态", lambda a: a.get_state_display()),
        Column("登记日期", lambda a: a.entered_at.date()),
    ],
    rows=_rows, search=lambda user, rows, q: person_search(user, rows, q, person="person", names=("holder_name",)),
    search_label="户名、姓名或身份证号", state_field="state", states=AccountState.choices,
    order=("region", "-id"),
)
