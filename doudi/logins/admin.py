"""接口令牌 in the admin: listed, and revoked (a token is created with `doudi token create` only,
since the token itself is shown once)."""

from django.contrib import admin

from doudi.logins import services
from doudi.logins.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "expires_at", "last_used_at", "state")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "user__username", "name")
    readonly_fields = ("user", "name", "prefix", "created_at", "created_by", "expires_at", "revoked_at",
                       "revoked_by", "last_used_at")
    actions = ["revoke"]

    @admin.display(description="状态")
    def state(self, obj):
        return obj.state

    @admin.action(description="撤销所选令牌", permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset:
            services.revoke(token, by=request.user.username)
        self.message_user(request, f"已撤销 {queryset.count()} 个令牌")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
