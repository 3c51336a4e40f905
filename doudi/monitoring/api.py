"""REST API of monitoring under /api/v1/: warnings (list, one, and the task's steps) and the register.

Scoped like the pages (services.visible_alerts / visible_entries): outside the user's areas 404;
a village assistant sees only his own reports; a step the role may not take 403; bad input 400
naming the field in Chinese.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from doudi.monitoring import services
from doudi.monitoring.models import Alert, Outcome, RegisterEntry
from doudi.policy.identity import mask_id_number


class AlertSerializer(serializers.ModelSerializer):
    rule_name = serializers.CharField()
    household = serializers.CharField(source="household.number", default="")
    subject_id_number = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = ["id", "rule", "rule_name", "level", "state", "household", "region", "raised_on", "due_on",
                  "detail", "subject_name", "subject_id_number", "escalated_on", "outcome", "outcome_note",
                  "linked_app", "linked_pk", "linked_label", "closed_on", "version"]

    def get_subject_id_number(self, a: Alert) -> str:
        return mask_id_number(a.subject_id_number) if a.subject_id_number else ""


class EntrySerializer(serializers.ModelSerializer):
    household = serializers.CharField(source="household.number")

    class Meta:
        model = RegisterEntry
        fields = ["id", "household", "region", "category", "entered_on", "way", "evidence", "left_on", "left_reason"]


class CloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[(o.value, o.label) for o in (Outcome.REFERRAL, Outcome.NO_NEED,
                                                                            Outcome.UNREACHABLE)])
    note = serializers.CharField()
    version = serializers.IntegerField(required=False)


class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    """监测预警 in the user's areas (``?state=open|visited|closed``, ``?level=``, ``?rule=``)."""

    serializer_class = AlertSerializer

    def get_queryset(self):
        qs = services.visible_alerts(self.request.user).select_related("household").order_by("due_on", "id")
        for name in ("state", "level", "rule"):
            value = self.request.query_params.get(name)
            if value:
                qs = qs.filter(**{name: value})
        return qs

    @extend_schema(request=CloseSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Any, pk: Any = None) -> Response:
        s = CloseSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            a = services.close(request.user, pk, outcome=s.validated_data["outcome"], note=s.validated_data["note"],
                               version=s.validated_data.get("version"))
        except services.MonitoringError as exc:
            raise ValidationError({exc.field: [exc.message]}) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        return Response(AlertSerializer(a).data)


class EntryViewSet(viewsets.ReadOnlyModelViewSet):
    """低收入人口 in the user's areas (not for a village assistant)."""

    serializer_class = EntrySerializer

    def get_queryset(self):
        return services.visible_entries(self.request.user).select_related("household").order_by("-entered_on", "id")


router = SimpleRouter()
router.register("warnings", AlertViewSet, basename="warning")
router.register("low-income", EntryViewSet, basename="low-income")
urlpatterns = router.urls
