"""Month arithmetic for benefits: a month is the date of its first day."""

from __future__ import annotations

import calendar
import datetime as dt


def month_of(d: dt.date) -> dt.date:
    """The month (its first day) that contains ``d``."""
    return d.replace(day=1)


def add_months(d: dt.date, n: int) -> dt.date:
    """``d`` moved by ``n`` calendar months; the day is kept, or the month's last day when shorter."""
    index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(d.day, last))


def next_month(d: dt.date) -> dt.date:
    """The month after the one containing ``d``."""
    return add_months(month_of(d), 1)


def months_from_to(first: dt.date, last: dt.date) -> list[dt.date]:
    """The months from ``first`` to ``last``, both included (empty when last is before first)."""
    out, m = [], month_of(first)
    while m <= month_of(last):
        out.append(m)
        m = add_months(m, 1)
    return out


def month_label(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月" if d else ""
