"""REST API of disaster relief under /api/v1/: the same services and forms as the pages.

- GET  /api/v1/disaster-events/                    events in (or over) the user's areas
- POST /api/v1/disaster-events/                    报灾 (DR-2) {region, kind, stage, occurred_at, description, …}
- GET  /api/v1/disaster-events/{id}/               one event with its funding shares (DR-3)
- GET  /api/v1/disaster-grants/                    grants in the user's areas, DR-4 order (`?state=`, `?event=`)
- POST /api/v1/disaster-grants/                    户申 {event_id, household_id, losses, house_collapsed?, stage?}
- GET  /api/v1/disaster-grants/{id}/               one grant with its timeline and next steps
- POST /api/v1/disaster-grants/{id}/steps/{action}/  take a step (appraise, review, approve, refuse, issue, withdraw)
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from doudi.disaster import procedure as proc
from doudi.disaster import services
from doudi.disaster.forms import STEP_FORMS, ApplyForm, EventForm, run_step
from doudi.disaster.models import DisasterEvent, EventFunding, Grant, GrantEvent
from doudi.procedure.api import EventSerializerBase, api_step, errors, filter_state, form_data, next_steps


class GrantEventSerializer(EventSerializerBase):
    class Meta(EventSerializerBase.Meta):
        model = GrantEvent


class FundingSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventFunding
        fields = ["total_fen", "national_fen", "city_fen", "county_fen", "shares", "note", "recorded_on"]


class EventSerializer(serializers.ModelSerializer):
    fundings = FundingSerializer(many=True, read_only=True)

    class Meta:
        model = DisasterEvent
        fields = ["id", "number", "region", "kind", "stage", "occurred_at", "description", "affected_households",
                  "affected_people", "collapsed_houses", "reported_at", "report_late", "version", "fundings"]


class GrantSerializer(serializers.ModelSerializer):
    state_name = serializers.CharField()

    class Meta:
        model = Grant
        fields = ["id", "number", "event", "household", "region", "applicant_name", "stage", "state", "state_name",
                  "version", "losses", "house_collapsed", "priority", "form", "amount_fen", "goods_item",
                  "goods_quantity", "decided_on", "issued_on", "submitted_on", "due_kind", "due_on", "due_warning"]


class GrantDetailSerializer(GrantSerializer):
    events = GrantEventSerializer(many=True, read_only=True)
    next_steps = serializers.SerializerMethodField()

    class Meta(GrantSerializer.Meta):
        fields = GrantSerializer.Meta.fields + ["appraisal", "review_opinion", "reasons", "events", "next_steps"]

    def get_next_steps(self, case: Grant) -> list[dict]:
        return next_steps(self.context["request"].user, case, proc.allowed_actions, services.case_perms,
                          proc.ACTION_NAMES)


def _run(service, form) -> object:  # noqa: ANN001
    if not form.is_valid():
        raise ValidationError(errors(form))
    try:
        return service(**form.cleaned_data)
    except proc.ProcedureError as exc:
        raise ValidationError({exc.field: [exc.message]}) from None


class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """灾情 (DR-2, DR-5)."""

    serializer_class = EventSerializer

    def get_queryset(self):
        return services.visible_events(self.request.user).prefetch_related("fundings").order_by("-occurred_at", "-id")

    @extend_schema(request=OpenApiTypes.OBJECT, responses=EventSerializer)
    def create(self, request):  # noqa: ANN001
        """报灾 (DR-2)."""
        event = _run(lambda **d: services.report_event(request.user, **d), EventForm(form_data(EventForm, request.data)))
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)


class GrantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """受灾人员救助 (DR-1)."""

    serializer_class = GrantSerializer

    def get_queryset(self):
        qs = services.visible_grants(self.request.user).order_by("priority", "submitted_on", "id")
        if self.request.query_params.get("event"):
            qs = qs.filter(event_id=self.request.query_params["event"])
        return filter_state(qs, self.request.query_params.get("state"), proc.State)

    def retrieve(self, request, pk=None):  # noqa: ANN001
        case = services.access_case(request.user, pk, reason="API 查看受灾人员救助")
        return Response(GrantDetailSerializer(case, context={"request": request}).data)

    @extend_schema(request=OpenApiTypes.OBJECT, responses=GrantDetailSerializer)
    def create(self, request):  # noqa: ANN001
        """户申 {event_id, household_id, losses, …}."""
        event_id = request.data.get("event_id")
        case = _run(lambda **d: services.apply(request.user, event_id=event_id, **d),
                    ApplyForm(form_data(ApplyForm, request.data)))
        return Response(GrantDetailSerializer(case, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OpenApiTypes.OBJECT, responses=GrantDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<step>[a-z_]+)")
    def step(self, request, pk=None, step=None):  # noqa: ANN001
        return api_step(request, pk, step, actions=proc.Action, action_names=proc.ACTION_NAMES, step_forms=STEP_FORMS,
                        run_step=run_step, access_case=services.access_case, model=Grant, detail=GrantDetailSerializer)


router = SimpleRouter()
router.register("disaster-events", EventViewSet, basename="disaster-event")
router.register("disaster-grants", GrantViewSet, basename="disaster-grant")
urlpatterns = router.urls
