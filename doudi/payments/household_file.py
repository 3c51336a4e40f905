"""Payments in the household file: the payments made (released rolls), the accounts; 登记收款账户."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.registry.household_file import FileAction, Section


def household_sections(user: Any, household: Any) -> list[Section]:
    from doudi.payments.services import accounts_of, debts_of, household_payments

    payments = list(household_payments(user, household)[:36])
    accounts = list(accounts_of(user, household)[:20])
    return [Section("payments", "资金发放", "payments/file/_payments.html",
                    {"payments": payments, "accounts": accounts, "debts": debts_of(user, household)}, order=57, count=len(payments))]


def household_actions(user: Any, household: Any) -> list[FileAction]:
    if not (access.can(user, Action.PAYMENT_MANAGE, household) or access.can(user, Action.CASE_ACCEPT, household)):
        return []
    return [FileAction("登记收款账户", reverse("payments:account_new", args=[household.pk]), 58)]
