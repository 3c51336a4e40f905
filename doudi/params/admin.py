"""Parameter values in the admin: read only (entering and approving go through /params/, four eyes)."""

from __future__ import annotations

from django.contrib import admin

from doudi.accounts.admin import ActionAdminMixin
from doudi.accounts.roles import Action
from doudi.params.models import ParameterValue


@admin.register(ParameterValue)
class ParameterValueAdmin(ActionAdminMixin, admin.ModelAdmin):
    required_action = Action.PARAMS_CHANGE
    list_display = ["parameter", "region", "effective_from", "value", "document", "state", "entered_by",
                    "approved_by"]
    list_filter = ["state"]
    search_fields = ["parameter", "region", "document"]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False
