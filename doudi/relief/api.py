"""REST API of temporary assistance under /api/v1/: the same services and forms as the pages.

- GET  /api/v1/relief-cases/                      cases in the user's areas (`?state=`)
- POST /api/v1/relief-cases/                      normal path {household_id, kind, description, region?}
- POST /api/v1/relief-cases/urgent/               urgent help first {household_id, kind, description,
                                                  simplified_check, amount, reasoning, stages?, people?, region?}
- GET  /api/v1/relief-cases/{id}/                 one case with timeline, decision, stages, referrals
- POST /api/v1/relief-cases/{id}/steps/{action}/  take a step
- POST /api/v1/relief-cases/urgent-person/        urgent help by ID number where the emergency happens
                                                  (NAT-TA-FIRST) {id_number, name, home_region?, residence?,
                                                  kind, description, simplified_check, amount, reasoning, …}
- GET  /api/v1/relief-register/                   the 救急难 register; POST …/{id}/follow-up/ a follow-up
- GET  /api/v1/relief-notices/                    户籍地通报 to the user's areas; POST …/{id}/acknowledge/ {reply}
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
from doudi.accounts.audited import AuditedRetrieveMixin
from doudi.accounts.roles import Action as Perm
from doudi.cases.documents import yuan
from doudi.procedure.api import EventSerializerBase, api_step, errors, filter_state, form_data, next_steps
from doudi.relief import procedure as proc
from doudi.relief import services
from doudi.relief.forms import (
    STEP_FORMS,
    FollowUpForm,
    HelpFirstForm,
    HelpFirstPersonForm,
    NoticeForm,
    SubmitForm,
    run_step,
)
from doudi.relief.models import (
    Decision,
    FollowUp,
    HomeNotice,
    Referral,
    RegisterEntry,
    ReliefCase,
    ReliefEvent,
    Stage,
)


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
    household = serializers.SerializerMethodField()
    person_masked_id = serializers.SerializerMethodField()

    class Meta:
        model = ReliefCase
        fields = ["id", "number", "path", "household", "region", "applicant_name", "person_masked_id", "home_region",
                  "subject_only", "state", "state_name", "version",
                  "kind", "description", "people", "months", "decided_amount_fen", "reasoning", "stages_fen",
                  "submitted_on", "due_kind", "due_on", "due_warning", "paperwork_due_on", "paperwork_done_on"]

    def get_household(self, case: ReliefCase) -> int | None:
        """The household's id, none when its file stays with the home area (subject_only)."""
        shown = case.household_shown
        return shown.pk if shown is not None else None

    def get_person_masked_id(self, case: ReliefCase) -> str:
        return case.person.masked_id if case.person_id else ""


class HomeNoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = HomeNotice
        fields = ["id", "region", "kind", "person_name", "masked_id", "helped_in", "text", "sent_on", "due_on",
                  "acknowledged_on", "reply", "version"]


class CaseDetailSerializer(CaseSerializer):
    events = EventSerializer(many=True, read_only=True)
    stages = StageSerializer(many=True, read_only=True)
    referrals = ReferralSerializer(many=True, read_only=True)
    home_notices = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()
    next_steps = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = CaseSerializer.Meta.fields + ["events", "stages", "referrals", "home_notices", "decision",
                                               "next_steps"]

    def get_home_notices(self, case: ReliefCase) -> list[dict]:
        """户籍地通报 sent for the case and the home township's reply (the home area to the township only)."""
        return [{**HomeNoticeSerializer(n).data, "region": n.region[:9]} for n in case.home_notices.all()]

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
    @action(detail=False, methods=["post"], url_path="urgent-person")
    def urgent_person(self, request):  # noqa: ANN001
        """急难型先行救助登记 by ID number, where the emergency happens (NAT-TA-FIRST)."""
        return self._open(request, HelpFirstPersonForm, services.help_first_person)

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


class RegisterViewSet(mixins.ListModelMixin, AuditedRetrieveMixin, viewsets.GenericViewSet):
    """救急难对象台账 (TA-6); reading one entry is audited."""

    serializer_class = RegisterSerializer
    audit_action, audit_reason = "relief.register.read", "接口查阅救急难对象台账"

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


class HomeNoticeViewSet(mixins.ListModelMixin, AuditedRetrieveMixin, viewsets.GenericViewSet):
    """户籍地通报: help given elsewhere to persons registered in the user's areas (NAT-TA-FIRST)."""

    serializer_class = HomeNoticeSerializer
    audit_action, audit_reason = "relief.home_notice.read", "接口查阅户籍地通报"

    def get_queryset(self):
        return services.visible_notices(self.request.user).order_by("acknowledged_on", "due_on", "id")

    @extend_schema(request=OpenApiTypes.OBJECT, responses=HomeNoticeSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):  # noqa: ANN001
        """户籍地知悉 {reply}."""
        form = NoticeForm(form_data(NoticeForm, request.data))
        if not form.is_valid():
            raise ValidationError(errors(form))
        try:
            n = services.acknowledge_notice(request.user, pk, **form.cleaned_data)
        except proc.ProcedureError as exc:
            raise ValidationError({exc.field: [exc.message]}) from None
        return Response(HomeNoticeSerializer(n).data)


router = SimpleRouter()
router.register("relief-cases", ReliefCaseViewSet, basename="relief-case")
router.register("relief-register", RegisterViewSet, basename="relief-register")
router.register("relief-notices", HomeNoticeViewSet, basename="relief-notice")
urlpatterns = router.urls
