"""Administration of users and roles — for the administrator role only; every change is audited."""

from __future__ import annotations

from django import forms
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


def managed_users(admin_user, qs):  # noqa: ANN001, ANN201
    """The users an administrator manages: every role of theirs inside the administrator's areas
    (users with no role yet too: just created, they belong nowhere); never the administrator."""
    areas = access.areas_of(admin_user, Action.USERS_MANAGE)
    if not areas:
        return qs.none()
    outside = RoleAssignment.objects.exclude(access.area_q(admin_user, Action.USERS_MANAGE, "area"))
    return qs.exclude(pk__in=outside.values("user_id")).exclude(pk=admin_user.pk)


class RoleInline(ActionAdminMixin, admin.TabularInline):
    """A user's roles; each granted only inside the administrator's areas, never to the administrator."""

    model = RoleAssignment
    extra = 1
    fields = ["role", "area", "active"]

    def get_formset(self, request, obj=None, **kwargs):  # noqa: ANN001, ANN003, ANN201
        formset = super().get_formset(request, obj, **kwargs)
        admin_user = request.user
        base_form = formset.form

        class Form(base_form):
            def clean(self):  # noqa: ANN202
                data = super().clean()
                target = self.instance.user if self.instance.user_id else obj
                if target is not None and target.pk == admin_user.pk:
                    raise forms.ValidationError("管理员不能为自己分配或变更角色")
                area = data.get("area") or ""
                if area and not access.in_area(access.areas_of(admin_user, Action.USERS_MANAGE), area):
                    self.add_error("area", f"所辖区域：{area} 不在您管理的区域内，不能在此分配角色")
                return data

        formset.form = Form
        return formset


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

    def get_queryset(self, request):  # noqa: ANN001, ANN201
        return managed_users(request.user, super().get_queryset(request))

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        super().save_model(request, obj, form, change)
        areas = sorted({r.area for r in obj.role_assignments.all()}) or [_admin_area(request.user, Action.USERS_MANAGE)]
        for area in areas:  # seen by the auditors of each area the user works in
            audit.record(request.user, AuditKind.USER_CHANGE, obj, action="user.change" if change else "user.add",
                         area=area, reason="系统管理", detail={"fields": sorted(form.changed_data)})

    def save_formset(self, request, form, formset, change) -> None:  # noqa: ANN001
        super().save_formset(request, form, formset, change)
        # one entry per granted, changed or withdrawn role, in the area of that role
        for f in formset.forms:
            if not f.has_changed() and f not in formset.deleted_forms:
                continue
            inst, deleted = f.instance, f in formset.deleted_forms
            was = {k: f.initial.get(k) for k in ("role", "area", "active")} if f.initial else None
            areas = dict.fromkeys(a for a in ((was or {}).get("area"), inst.area) if a)
            for area in areas:  # a role moved from one area to another: seen in both
                audit.record(request.user, AuditKind.USER_CHANGE, form.instance,
                             action="user.role_withdraw" if deleted else ("user.role_change" if was else "user.role_grant"),
                             area=area, reason="系统管理",
                             detail={"role": inst.role, "area": inst.area, "active": inst.active, "was": was})
