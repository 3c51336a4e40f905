"""Administration of users and roles — for the administrator role only; every change is audited."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind, RoleAssignment, User
from doudi.accounts.roles import Action


class ActionAdminMixin:
    """Admin pages open to the users whose role allows ``required_action`` (not to Django model perms)."""

    required_action: str = Action.USERS_MANAGE

    def _allowed(self, request) -> bool:  # noqa: ANN001
        return request.user.is_active and request.user.is_staff and access.can(request.user, self.required_action)

    def has_module_permission(self, request) -> bool:  # noqa: ANN001
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return self._allowed(request)

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return self._allowed(request)


def _admin_area(user, action: str) -> str:  # noqa: ANN001
    """The area an administrator's change is filed under (its first area for the action)."""
    areas = sorted(access.areas_of(user, action))
    return areas[0] if areas else ""


class RoleInline(ActionAdminMixin, admin.TabularInline):
    model = RoleAssignment
    extra = 1
    fields = ["role", "area", "active"]


@admin.register(User)
class UserAdmin(ActionAdminMixin, BaseUserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "full_name", "department", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "department", "id_number", "email")}),
        ("状态", {"fields": ("is_active", "is_staff")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "full_name", "password1", "password2")}),)

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        super().save_model(request, obj, form, change)
        audit.record(request.user, AuditKind.USER_CHANGE, obj, action="user.change" if change else "user.add",
                     area=_admin_area(request.user, Action.USERS_MANAGE), reason="系统管理", detail={"fields": sorted(form.changed_data)})

    def save_formset(self, request, form, formset, change) -> None:  # noqa: ANN001
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            roles = list(form.instance.role_assignments.values_list("role", "area", "active"))
            audit.record(request.user, AuditKind.USER_CHANGE, form.instance, action="user.roles",
                         area=_admin_area(request.user, Action.USERS_MANAGE),
                         reason="系统管理", detail={"roles": [list(r) for r in roles]})
