"""Figure providers: where a figure comes from when another app can give it better.

The statistics are computed from what exists. Two figures have a better source in apps being
built beside this one, and switch to it by themselves once that app is installed:

- **Amounts paid** (发放金额): until payment rolls exist the 低保 and 特困 amounts are the benefits'
  monthly amounts (labelled 按待遇月保障金额测算). An app that pays (doudi.payments) provides the paid
  amounts by defining, in a module ``doudi/<app>/report_figures.py``::

      PAID_PROGRAMS = ("dibao", "tekun")
      def monthly_paid(first_month, last_month):   # -> iterable of
          yield region_code, month, program, residence, amount_fen   # per roll line (or summed)
      def covered_months(first_month, last_month):  # -> {(county, month)} with a released roll
          ...

  The rolls' amounts replace the benefits' for the county-months that have a released roll only;
  the other months of a county (before its first roll, say) keep the benefits' amounts, and a row
  above the county that mixes both says so (AmountSource.MIXED).

- **Verification findings cleared within deadline** (核对发现问题按期处理率): an app that verifies
  (doudi.verification) defines in its ``report_figures.py``::

      def verification_cleared(area_prefix, first_day, last_day):  # -> (cleared in time, due) or None

Nothing else needs to change: `paid_provider()` and `provider(name)` find them with find_spec.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings

from doudi.reports.models import AmountSource

MODULE = "report_figures"


def _modules() -> Iterable[Any]:
    for app in settings.DOUDI_APPS:
        if app == "doudi.reports":
            continue
        try:
            if find_spec(f"{app}.{MODULE}") is None:
                continue
        except (ImportError, ValueError):
            continue
        yield import_module(f"{app}.{MODULE}")


def provider(name: str) -> Callable | None:
    """The first installed app's function of this name in its report_figures module, if any."""
    for module in _modules():
        fn = getattr(module, name, None)
        if callable(fn):
            return fn
    return None


@dataclass(frozen=True)
class PaidProvider:
    programs: tuple[str, ...]
    monthly_paid: Callable[[dt.date, dt.date], Iterable[tuple[str, dt.date, str, str, int]]]
    source: str = AmountSource.ROLLS
    rolled_months: Callable[[dt.date, dt.date], set[tuple[str, dt.date]]] | None = None

    def covered(self, first: dt.date, last: dt.date) -> set[tuple[str, dt.date]] | None:
        """The (county, month) whose amounts come from the rolls; None = every county-month."""
        return None if self.rolled_months is None else set(self.rolled_months(first, last))


def paid_provider() -> PaidProvider | None:
    for module in _modules():
        fn = getattr(module, "monthly_paid", None)
        if callable(fn):
            rolled = getattr(module, "covered_months", None)
            return PaidProvider(tuple(getattr(module, "PAID_PROGRAMS", ("dibao", "tekun"))), fn,
                                rolled_months=rolled if callable(rolled) else None)
    return None
