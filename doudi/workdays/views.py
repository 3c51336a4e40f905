"""The calendar page: which years' holiday schedules are entered, and the special days of a year."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.workdays.calendar import warning_for
from doudi.workdays.models import CalendarYear, SpecialDay


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    """工作日历: entered years, a warning for this and next year if missing, and one year's special days."""
    today = dt.date.today()
    years = list(CalendarYear.objects.order_by("-year"))
    entered = {y.year for y in years}
    missing = {y for y in (today.year, today.year + 1) if y not in entered}
    try:
        shown = int(request.GET.get("year", today.year))
    except ValueError:
        shown = today.year
    days = SpecialDay.objects.filter(date__year=shown).order_by("date")
    return render(request, "workdays/calendar.html", {
        "years": years, "warning": warning_for(missing), "shown": shown, "days": days,
        "shown_entered": shown in entered, "can_edit": access.can(request.user, Action.PARAMS_CHANGE)})
