"""REST API: the current user's roles, and the audit log (read-only, of the user's areas)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from doudi.accounts import access
from doudi.accounts.models import AuditEntry
from doudi.accounts.roles import Action, Role, actions_of


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = ["id", "time", "username", "area", "kind", "action", "object_type", "object_id", "object_repr",
                  "reason"]
        read_only_fields = fields


class AuditEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """审计日志 (read-only): entries in the areas where the user may read the audit log."""

    serializer_class = AuditEntrySerializer
    queryset = AuditEntry.objects.none()

    def get_queryset(self):
        return access.scope_queryset(self.request.user, AuditEntry.objects.all(), Action.AUDIT_VIEW)


class RoleSerializer(serializers.Serializer):
    role = serializers.CharField()
    label = serializers.CharField()
    area = serializers.CharField()
    actions = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = RoleSerializer(many=True)


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):  # noqa: ANN001
    """当前用户: roles, areas and the actions they allow."""
    roles = [{"role": r, "label": Role(r).label, "area": a, "actions": sorted(actions_of(r))}
             for r, a in access.roles_of(request.user)]
    return Response({"username": request.user.username, "full_name": request.user.full_name, "roles": roles})


router = SimpleRouter()
router.register("audit", AuditEntryViewSet, basename="audit")
urlpatterns = [path("me/", me, name="api-me"), *router.urls]
