"""REST API of cases under /api/v1/: the same services and forms as the pages.

- GET  /api/v1/cases/                      cases in the user's areas (`?state=`)
- POST /api/v1/cases/                      register a 低保 application {household, kin, kin_note, special}
- GET  /api/v1/cases/{id}/                 one case with its timeline and decision
- POST /api/v1/cases/{id}/steps/{action}/  take a step (fields of the step's form, `version` optional)
- GET/POST /api/v1/window-requests/        the one window (PR-1)
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from doudi.accounts import access
from doudi.accounts.audited import AuditedRetrieveMixin
from doudi.accounts.roles import Action as Perm
from doudi.cases import services
from doudi.cases.forms import STEP_FORMS, ApplicationForm, WindowRequestForm, run_step
from doudi.cases.models import Case, CaseEvent, Decision, WindowRequest
from doudi.cases.procedure import ACTION_NAMES, STATE_NAMES, Action, ProcedureError, State, allowed_actions
from doudi.procedure.api import EventSerializerBase, api_step, errors, filter_state, form_data, next_steps


class EventSerializer(EventSerializerBase):
    class Meta(EventSerializerBase.Meta):
        model = CaseEvent


class DecisionSerializer(serializers.ModelSerializer):
    amount = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["outcome", "decided_on", "amount", "amount_fen", "household_size", "payment_start", "reasons",
                  "notice_due_on", "notified_on", "assessment", "parameters"]

    def get_amount(self, d: Decision) -> str:
        from doudi.cases.documents import yuan

        return yuan(d.amount_fen)


class CaseSerializer(serializers.ModelSerializer):
    state_name = serializers.CharField()
    household = serializers.IntegerField(source="household_id")

    class Meta:
        model = Case
        fields = ["id", "number", "household", "region", "applicant_name", "state", "state_name", "version", "kin",
                  "special", "submitted_on", "accepted_on", "due_kind", "due_on", "due_warning", "overall_due_on"]


class CaseDetailSerializer(CaseSerializer):
    events = EventSerializer(many=True, read_only=True)
    decision = serializers.SerializerMethodField()
    next_steps = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = CaseSerializer.Meta.fields + ["missing_materials", "kin_note", "events", "decision", "next_steps"]

    def get_decision(self, case: Case) -> dict | None:
        d = Decision.objects.filter(case=case).first()
        return DecisionSerializer(d).data if d and d.outcome else None

    def get_next_steps(self, case: Case) -> list[dict]:
        return next_steps(self.context["request"].user, case, allowed_actions, services.case_perms, ACTION_NAMES)


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """低保案件."""

    serializer_class = CaseSerializer

    def get_queryset(self):
        qs = services.visible_cases(self.request.user).order_by("due_on", "id")
        return filter_state(qs, self.request.query_params.get("state"), State)

    def retrieve(self, request, pk=None):
        case = services.access_case(request.user, pk, reason="API 查看案件")
        return Response(CaseDetailSerializer(case, context={"request": request}).data)

    @extend_schema(request=OpenApiTypes.OBJECT, responses=CaseDetailSerializer)
    def create(self, request):
        form = ApplicationForm(form_data(ApplicationForm, request.data, lists_as_lines=False))
        if not form.is_valid():
            raise ValidationError(errors(form))
        d = form.cleaned_data
        try:
            case = services.submit_application(request.user, d["household_id"], kin=d["kin"], kin_note=d["kin_note"],
                                               special=d["special"])
        except ProcedureError as exc:
            raise ValidationError({exc.field: [exc.message]}) from None
        return Response(CaseDetailSerializer(case, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OpenApiTypes.OBJECT, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<step>[a-z_]+)")
    def step(self, request, pk=None, step=None):
        """Take one step of the procedure (the fields of the step's form; errors name the field, in Chinese)."""
        return api_step(request, pk, step, actions=Action, action_names=ACTION_NAMES, step_forms=STEP_FORMS,
                        run_step=run_step, access_case=services.access_case, model=Case, detail=CaseDetailSerializer,
                        lists_as_lines=False)


class WindowRequestSerializer(serializers.ModelSerializer):
    first_asked = serializers.CharField(source="first_asked.display_name", read_only=True)
    responsible = serializers.CharField(source="responsible.display_name", read_only=True)

    class Meta:
        model = WindowRequest
        fields = ["id", "region", "applicant_name", "program", "description", "source", "household", "status",
                  "first_asked", "responsible", "received_at"]


class WindowRequestViewSet(mixins.ListModelMixin, AuditedRetrieveMixin, viewsets.GenericViewSet):
    """一门受理登记 (reading one is audited)."""

    serializer_class = WindowRequestSerializer
    audit_action, audit_reason = "cases.window_request.read", "接口查阅一门受理登记"

    def get_queryset(self):
        return access.scope_queryset(self.request.user, WindowRequest.objects.all(), Perm.CASE_VIEW)

    @extend_schema(request=OpenApiTypes.OBJECT, responses=WindowRequestSerializer)
    def create(self, request):
        form = WindowRequestForm(form_data(WindowRequestForm, request.data, lists_as_lines=False))
        if not form.is_valid():
            raise ValidationError(errors(form))
        d = form.cleaned_data
        try:
            req = services.register_request(request.user, region=d["region"] or "", applicant_name=d["applicant_name"],
                                             program=d["program"], description=d["description"],
                                             applicant_id_number=d["applicant_id_number"], phone=d["phone"],
                                             household_id=d["household_id"])
        except ProcedureError as exc:
            raise ValidationError({exc.field: [exc.message]}) from None
        return Response(WindowRequestSerializer(req).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("window-requests", WindowRequestViewSet, basename="window-request")
urlpatterns = router.urls

__all__ = ["urlpatterns", "STATE_NAMES"]
