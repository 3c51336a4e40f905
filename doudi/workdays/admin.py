"""The calendar in the admin: an administrator enters each year's schedule when it is published."""

from __future__ import annotations

from django.contrib import admin

from doudi.accounts import audit
from doudi.accounts.admin import ActionAdminMixin, _admin_area
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.workdays.models import CalendarYear, SpecialDay


class SpecialDayInline(ActionAdminMixin, admin.TabularInline):
    required_action = Action.PARAMS_CHANGE
    model = SpecialDay
    extra = 5
    fields = ["date", "is_workday", "name"]


@admin.register(CalendarYear)
class CalendarYearAdmin(ActionAdminMixin, admin.ModelAdmin):
    required_action = Action.PARAMS_CHANGE
    inlines = [SpecialDayInline]
    list_display = ["year", "source", "entered_by", "entered_at"]
    fields = ["year", "source"]

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        obj.entered_by = request.user.username
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:  # noqa: ANN001
        super().save_related(request, form, formsets, change)
        days = list(form.instance.days.values_list("date", "is_workday", "name"))
        audit.record(request.user, AuditKind.PARAMETER_CHANGE, form.instance, area=_admin_area(request.user, Action.PARAMS_CHANGE), action="calendar.year",
                     reason=f"录入{form.instance.year}年节假日安排：{form.instance.source}",
                     detail={"days": [[d.isoformat(), w, n] for d, w, n in days]})

    def delete_model(self, request, obj) -> None:  # noqa: ANN001
        audit.record(request.user, AuditKind.PARAMETER_CHANGE, obj, area=_admin_area(request.user, Action.PARAMS_CHANGE), action="calendar.delete",
                     reason=f"删除{obj.year}年节假日安排")
        super().delete_model(request, obj)
