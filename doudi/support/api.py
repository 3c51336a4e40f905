"""REST API of 特困 cases under /api/v1/: the same services and forms as the pages.

- GET  /api/v1/support-cases/                      cases in the user's areas (`?state=`)
- POST /api/v1/support-cases/                      register an application {household_id, person_id}
- GET  /api/v1/support-cases/{id}/                 one case with timeline, assessments, decisions
- POST /api/v1/support-cases/{id}/steps/{action}/  take a step (the fields of the step's form, `version` optional)
"""

from __future__ import annotations

from django import forms as dj_forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from doudi.accounts import access
from doudi.accounts.roles import Action as Perm
from doudi.cases.documents import yuan
from doudi.procedure.api import EventSerializerBase, api_step, errors, filter_state, next_steps
from doudi.support import procedure as proc
from doudi.support import services
from doudi.support.forms import STEP_FORMS, SubmitForm, run_step
from doudi.support.models import Decision, SelfCareAssessment, SupportCase, SupportEvent


class EventSerializer(EventSerializerBase):
    class Meta(EventSerializerBase.Meta):
        model = SupportEvent


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = SelfCareAssessment
        fields = ["reason", "change_reported_on", "change_note", "due_on", "due_warning", "assessed_on", "unable",
                  "unable_count", "tier"]


class DecisionSerializer(serializers.ModelSerializer):
    amount = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["kind", "decided_on", "amount", "amount_fen", "care_tier", "mode", "effective_from", "reasons",
                  "notice_due_on", "notified_on", "assessment", "parameters"]

    def get_amount(self, d: Decision) -> str:
        return yuan(d.amount_fen)


class CaseSerializer(serializers.ModelSerializer):
    state_name = serializers.CharField()
    person_name = serializers.CharField(source="person.name")

    class Meta:
        model = SupportCase
        fields = ["id", "number", "household", "person", "person_name", "region", "state", "state_name", "version",
                  "mode", "care_tier", "submitted_on", "accepted_on", "due_kind", "due_on", "due_warning",
                  "support_from", "support_until"]


class CaseDetailSerializer(CaseSerializer):
    events = EventSerializer(many=True, read_only=True)
    assessments = AssessmentSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    next_steps = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = CaseSerializer.Meta.fields + ["events", "assessments", "decisions", "next_steps"]

    def get_next_steps(self, case: SupportCase) -> list[dict]:
        return next_steps(self.context["request"].user, case, proc.allowed_actions, services.case_perms,
                          proc.ACTION_NAMES)


class SupportCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """特困人员认定与供养."""

    serializer_class = CaseSerializer

    def get_queryset(self):
        qs = services.visible_cases(self.request.user).order_by("due_on", "id")
        return filter_state(qs, self.request.query_params.get("state"), proc.State)

    def retrieve(self, request, pk=None):  # noqa: ANN001
        case = services.access_case(request.user, pk, reason="API 查看特困案件")
        return Response(CaseDetailSerializer(case, context={"request": request}).data)

    @extend_schema(request=OpenApiTypes.OBJECT, responses=CaseDetailSerializer)
    def create(self, request):  # noqa: ANN001
        access.require(request.user, Perm.CASE_ACCEPT)
        form = SubmitForm(request.data if hasattr(request.data, "items") else {})
        form.fields["person_id"] = dj_forms.IntegerField(label="申请人", min_value=1)
        if not form.is_valid():
            raise ValidationError(errors(form))
        try:
            case = services.submit(request.user, **form.cleaned_data)
        except proc.ProcedureError as exc:
            raise ValidationError({exc.field: [exc.message]}) from None
        return Response(CaseDetailSerializer(case, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OpenApiTypes.OBJECT, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<step>[a-z_]+)")
    def step(self, request, pk=None, step=None):  # noqa: ANN001
        """Take one step (the fields of the step's form; errors name the field, in Chinese)."""
        return api_step(request, pk, step, actions=proc.Action, action_names=proc.ACTION_NAMES, step_forms=STEP_FORMS,
                        run_step=run_step, access_case=services.access_case, model=SupportCase,
                        detail=CaseDetailSerializer)


router = SimpleRouter()
router.register("support-cases", SupportCaseViewSet, basename="support-case")
urlpatterns = router.urls
