"""Working-day arithmetic for legal time limits (NAT-DB-DEADLINES counts in working days).

For a year whose schedule is not in the table, only weekends are counted as days off and every
deadline that crossed that year carries a warning saying so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Deadline:
    """期限: the last day, and a warning when a year without an entered schedule was counted."""

    date: dt.date
    warning: str | None = None

    def __str__(self) -> str:
        return self.date.isoformat() + (f"（{self.warning}）" if self.warning else "")


def warning_for(years: set[int]) -> str | None:
    if not years:
        return None
    ys = "、".join(f"{y}年" for y in sorted(years))
    return f"{ys}的法定节假日安排尚未录入工作日历，期限仅按周末推算，可能有误"


class Calendar:
    """A snapshot of the calendar table (entered years and their special days)."""

    def __init__(self, years: set[int], special: dict[dt.date, bool]):
        self.years = years
        self.special = special

    @classmethod
    def load(cls) -> Calendar:
        from doudi.workdays.models import CalendarYear, SpecialDay

        years = set(CalendarYear.objects.values_list("year", flat=True))
        special = dict(SpecialDay.objects.values_list("date", "is_workday"))
        return cls(years, special)

    def is_working_day(self, d: dt.date) -> bool:
        if d in self.special:
            return self.special[d]
        return d.weekday() < 5

    def add_working_days(self, start: dt.date, n: int) -> Deadline:
        """The n-th working day after ``start`` (start itself not counted); n = 0 gives start."""
        if n < 0:
            raise ValueError("n must be 0 or more working days")
        d, unknown = start, set()
        counted = 0
        while counted < n:
            d += dt.timedelta(days=1)
            if d.year not in self.years:
                unknown.add(d.year)
            if self.is_working_day(d):
                counted += 1
        return Deadline(d, warning_for(unknown))

    def working_days_between(self, start: dt.date, end: dt.date) -> tuple[int, str | None]:
        """Working days after start up to and including end (0 when end <= start)."""
        d, n, unknown = start, 0, set()
        while d < end:
            d += dt.timedelta(days=1)
            if d.year not in self.years:
                unknown.add(d.year)
            n += self.is_working_day(d)
        return n, warning_for(unknown)


def add_working_days(start: dt.date, n: int) -> Deadline:
    """The date n working days after ``start`` by the calendar table, with a warning for unentered years."""
    return Calendar.load().add_working_days(start, n)


def is_working_day(d: dt.date) -> tuple[bool, str | None]:
    cal = Calendar.load()
    return cal.is_working_day(d), (None if d.year in cal.years else warning_for({d.year}))


def working_days_between(start: dt.date, end: dt.date) -> tuple[int, str | None]:
    return Calendar.load().working_days_between(start, end)


@lru_cache(maxsize=1)
def chinesecalendar_years() -> tuple[int, int]:
    """The range of years the installed chinesecalendar knows."""
    import chinese_calendar

    ys = sorted({d.year for d in chinese_calendar.holidays})
    return ys[0], ys[-1]


def special_days_from_chinesecalendar(year: int) -> list[tuple[dt.date, bool, str]]:
    """(date, is_workday, name) for each day of ``year`` that breaks the weekend rule, per chinesecalendar."""
    import chinese_calendar

    out = []
    d = dt.date(year, 1, 1)
    while d.year == year:
        work = chinese_calendar.is_workday(d)
        if work != (d.weekday() < 5):
            _, name = chinese_calendar.get_holiday_detail(d)
            label = _HOLIDAY_ZH.get(str(name), str(name or ""))
            out.append((d, work, f"{label}调休上班" if work else label))
        d += dt.timedelta(days=1)
    return out


_HOLIDAY_ZH = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
    "None": "",
}


def seed_year(year: int, source: str | None = None) -> int:
    """Enter one year from chinesecalendar into the table (replacing its days); returns the count."""
    from doudi.workdays.models import CalendarYear, SpecialDay

    version = _chinesecalendar_version()
    cy, _ = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": source or f"chinesecalendar {version}（国务院办公厅节假日安排）",
                             "entered_by": "chinesecalendar"})
    SpecialDay.objects.filter(year=cy).delete()
    days = special_days_from_chinesecalendar(year)
    SpecialDay.objects.bulk_create([SpecialDay(date=d, is_workday=w, name=n, year=cy) for d, w, n in days])
    return len(days)


def _chinesecalendar_version() -> str:
    try:
        from importlib.metadata import version

        return version("chinesecalendar")
    except Exception:  # noqa: BLE001
        return ""
