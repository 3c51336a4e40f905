"""REST API of temporary assistance under /api/v1/: the same services and forms as the pages.

- GET  /api/v1/relief-cases/                      cases in the user's areas (`?state=`)
- POST /api/v1/relief-cases/                      normal path {household_id, kind, description, region?}
- POST /api/v1/relief-cases/urgent/               urgent help first {household_id, kind, description,
                                                  simplified_check, amount, reasoning, stages?, people?, region?}
- GET  /api/v1/relief-cases/{id}/                 one case with timeline, decision, stages, referrals
- POST /api/v1/relief-cases/{id}/steps/{action}/  take a step
- GET  /api/v1/relief-register/                   the 救急难 register; POST …/{id}/follow-up/ a follow-up
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
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
from doudi.procedure.api import EventSerializerBase, api_step, errors, filter_state, form_data, next_steps
from doudi.relief import procedure as proc
from doudi.relief import services
from doudi.relief.forms import STEP_FORMS, FollowUpForm, HelpFirstForm, SubmitForm, run_step
from doudi.relief.models import Decision, FollowUp, Referral, RegisterEntry, ReliefCase, ReliefEvent, Stage


class EventSerializer(EventSerializerBase):
    class Meta(EventSerializerBase.Meta):
        model = ReliefEvent


class StageSerializer(serializers.ModelSerializer):
    amount = serializers.SerializerMethodField()

    class Meta:
        model = Stage
        fields = ["seq", "amount", "amount_fen", "paid_on"]

    def get_amount(self, s: Stage) -> str:
        return yuan(s.amount_fen)


class ReferralSerializer(serializers.ModelSerializer):
    class Meta:
        model = Referral
        fields = ["to", "note", "window_request_id", "referred_on"]


class DecisionSerializer(serializers.ModelSerializer):
    amount = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["outcome", "level", "decided_on", "amount", "amount_fen", "ceiling_fen", "reasons", "notice_due_on",
                  "notified_on", "assessment", "parameters"]

    def get_amount(self, d: Decision) -> str:
        return yuan(d.amount_fen)


class CaseSerializer(serializers.ModelSerializer):
    state_name = serializers.CharField()

    class Meta:
        model = ReliefCase
        fields = ["id", "number", "path", "household", "region", "applicant_name", "state", "state_name", "version",
                  "kind", "description", "people", "months", "decided_amount_fen", "reasoning", "stages_fen",
                  "submitted_on", "due_kind", "due_on", "due_warning", "paperwork_due_on", "paperwork_done_on"]


class CaseDetailSerializer(CaseSerializer):
    events = EventSerializer(many=True, read_only=True)
    stages = StageSerializer(many=True, read_only=True)
    referrals = ReferralSerializer(many=True, read_only=True)
    decision = serializers.SerializerMethodField()
    next_steps = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = CaseSerializer.Meta.fields + ["events", "stages", "referrals", "decision", "next_steps"]

    def get_decision(self, case: ReliefCase) -> dict | None:
        d = Decision.objects.filter(case=case).first()
        return DecisionSerializer(d).data if d else None

    def get_next_steps(self, case: ReliefCase) -> list[dict]:
        return next_steps(self.context["request"].user, case, proc.allowed_actions, services.case_perms,
                          proc.ACTION_NAMES)


class ReliefCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """临时救助案件."""

    serializer_class = CaseSerializer

    def get_queryset(self):
        qs = services.visible_cases(self.request.user).order_by("due_on", "id")
        return filter_state(qs, self.request.query_params.get("state"), proc.State)

    def retrieve(self, request, pk=None):  # noqa: ANN001
        case = services.access_case(request.user, pk, reason="API 查看临时救助案件")
        return Response(CaseDetailSerializer(case, context={"request": request}).data)

    def _open(self, request, form_class, service):  # noqa: ANN001
        access.require(request.user, Perm.CASE_ACCEPT)
        form = form_class(form_data(form_class, request.data))
        if not form.is_valid():
            raise ValidationError(errors(form))
        try:
            case = service(request.user, **form.cleaned_data)
        except proc.ProcedureError as exc:
            raise ValidationError({exc.field: [exc.message]}) from None
        return Response(CaseDetailSerializer(case, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OpenApiTypes.OBJECT, responses=CaseDetailSerializer)
    def create(self, request):  # noqa: ANN001
        """支出型临时救助申请."""
        return self._open(request, SubmitForm, services.submit)

    @extend_schema(request=OpenApiTypes.OBJECT, responses=CaseDetailSerializer)
    @action(detail=False, methods=["post"])
    def urgent(self, request):  # noqa: ANN001
        """急难型先行救助登记 (NAT-TA-FIRST)."""
        return self._open(request, HelpFirstForm, services.help_first)

    @extend_schema(request=OpenApiTypes.OBJECT, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<step>[a-z_]+)")
    def step(self, request, pk=None, step=None):  # noqa: ANN001
        return api_step(request, pk, step, actions=proc.Action, action_names=proc.ACTION_NAMES, step_forms=STEP_FORMS,
                        run_step=run_step, access_case=services.access_case, model=ReliefCase,
                        detail=CaseDetailSerializer)


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["on_date", "situation", "action_taken"]


class RegisterSerializer(serializers.ModelSerializer):
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = RegisterEntry
        fields = ["id", "case", "region", "person_name", "situation", "opened_on", "next_follow_up_on", "closed_on",
                  "closing_note", "version", "follow_ups"]


class RegisterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """救急难对象台账 (TA-6)."""

    serializer_class = RegisterSerializer

    def get_queryset(self):
        return services.visible_register(self.request.user).order_by("closed_on", "next_follow_up_on", "id")

    @extend_schema(request=OpenApiTypes.OBJECT, responses=RegisterSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):  # noqa: ANN001
        form = FollowUpForm(form_data(FollowUpForm, request.data))
        if not form.is_valid():
            raise ValidationError(errors(form))
        try:
            services.follow_up(request.user, pk, **form.cleaned_data)
        except proc.ProcedureError as exc:
            raise ValidationError({exc.field: [exc.message]}) from None
        except PermissionDenied:
            raise
        return Response(RegisterSerializer(RegisterEntry.objects.get(pk=pk)).data)


router = SimpleRouter()
router.register("relief-cases", ReliefCaseViewSet, basename="relief-case")
router.register("relief-register", RegisterViewSet, basename="relief-register")
urlpatterns = router.urls
