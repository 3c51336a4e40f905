"""Seed the calendar table with the years chinesecalendar knows (2004 to its last year)."""

import datetime as dt

from django.db import migrations


def seed(apps, schema_editor):
    from doudi.workdays.calendar import (
        _chinesecalendar_version,
        chinesecalendar_years,
        special_days_from_chinesecalendar,
    )

    CalendarYear = apps.get_model("workdays", "CalendarYear")
    SpecialDay = apps.get_model("workdays", "SpecialDay")
    first, last = chinesecalendar_years()
    source = f"chinesecalendar {_chinesecalendar_version()}（国务院办公厅节假日安排）"
    now = dt.datetime.now(dt.UTC)
    for year in range(max(first, 2015), last + 1):
        cy = CalendarYear.objects.create(year=year, source=source, entered_by="chinesecalendar", entered_at=now)
        SpecialDay.objects.bulk_create(
            [SpecialDay(date=d, is_workday=w, name=n, year=cy) for d, w, n in special_days_from_chinesecalendar(year)])


def unseed(apps, schema_editor):
    apps.get_model("workdays", "CalendarYear").objects.filter(entered_by="chinesecalendar").delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
