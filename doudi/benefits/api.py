"""REST API of benefits under /api/v1/: benefits (read, report a change, recover), reviews (read,
decide), standard changes (start with the DB-13 check, read the differences, approve).

Everything is scoped by the access layer (outside the user's areas: 404; inside but the role
may not: 403); the services are the only writers; bad input is 400 naming the field.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.benefits import services
from doudi.benefits.models import (
    Benefit,
    BenefitChange,
    ChangeReportKind,
    RecomputedLine,
    Recovery,
    ReportedChange,
    Review,
    StandardChange,
    TekunEndGround,
)
from doudi.benefits.reckon import BenefitError, yuan


@extend_schema_field(OpenApiTypes.STR)
class Yuan(serializers.Field):
    """Fen shown as a yuan string ("1500.00")."""

    def __init__(self, **kwargs):  # noqa: ANN003
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: int) -> str:
        return yuan(value)


class ChangeSerializer(serializers.ModelSerializer):
    amount_before = Yuan(source="amount_before_fen")
    amount_after = Yuan(source="amount_after_fen")
    actor = serializers.CharField(source="actor.username", default="(system)")

    class Meta:
        model = BenefitChange
        fields = ["id", "kind", "effective_month", "amount_before", "amount_after", "status_before", "status_after",
                  "reasons", "figures", "source", "actor", "on_date"]


def _subject(serializer: serializers.Serializer, benefit: Benefit) -> services.Subject:
    """The benefit's subject as the requesting user may see it (the user's areas read once per response)."""
    request = serializer.context.get("request")
    if request is None:  # no user known: only what lies in the benefit's own area
        return services.subject_of(None, benefit, [benefit.region])
    ctx = serializer.context
    if "_areas" not in ctx:
        ctx["_areas"] = access.areas_of(request.user, Action.CASE_VIEW)
    return services.subject_of(request.user, benefit, ctx["_areas"])


class BenefitSerializer(serializers.ModelSerializer):
    """A household outside the user's areas (the home household of a person helped here) is not
    named: ``household`` and ``household_number`` are null and ``subject`` is the person helped,
    name and masked ID number (security.md)."""

    household = serializers.SerializerMethodField()
    household_number = serializers.SerializerMethodField()
    person_name = serializers.CharField(source="person.name", default=None, read_only=True)
    person_masked_id = serializers.CharField(source="person.masked_id", default=None, read_only=True)
    subject = serializers.SerializerMethodField()
    amount = Yuan(source="amount_fen")
    exit_last_month = serializers.DateField(read_only=True)

    class Meta:
        model = Benefit
        fields = ["id", "household", "household_number", "subject", "person", "person_name", "person_masked_id",
                  "region", "program", "amount", "start_month", "status",
                  "cycle", "income_unstable", "next_review_on", "decision_app", "decision_model", "decision_pk",
                  "exit_first_month", "exit_months", "exit_last_month", "end_month", "version"]
        read_only_fields = fields

    def get_household(self, obj: Benefit) -> int | None:
        hh = _subject(self, obj).household
        return hh.pk if hh is not None else None

    def get_household_number(self, obj: Benefit) -> str | None:
        return _subject(self, obj).household_number

    def get_subject(self, obj: Benefit) -> str:
        return _subject(self, obj).label


class BenefitDetailSerializer(BenefitSerializer):
    changes = ChangeSerializer(many=True, read_only=True)

    class Meta(BenefitSerializer.Meta):
        fields = [*BenefitSerializer.Meta.fields, "assessment", "changes"]
        read_only_fields = fields


class ReportSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label="变化类型", choices=ChangeReportKind.choices)
    occurred_on = serializers.DateField(label="发生日期")
    description = serializers.CharField(label="情况说明")
    person = serializers.IntegerField(label="涉及成员", required=False, allow_null=True)
    member_facts = serializers.DictField(label="成员情况（变化后）", required=False, default=dict)


class ReportedSerializer(serializers.ModelSerializer):
    review = serializers.SerializerMethodField()

    class Meta:
        model = ReportedChange
        fields = ["id", "benefit", "kind", "person", "occurred_on", "description", "member_facts", "reported_on",
                  "review"]

    def get_review(self, obj: ReportedChange) -> int | None:
        r = obj.reviews.first()
        return r.pk if r else None


class RecoverSerializer(serializers.Serializer):
    first_month = serializers.DateField(label="骗取起始月份")
    last_month = serializers.DateField(label="骗取截止月份")
    fine_multiple = serializers.CharField(label="罚款倍数")
    reasons = serializers.CharField(label="事实和依据")


class RecoverySerializer(serializers.ModelSerializer):
    amount = Yuan(source="amount_fen")
    fine = Yuan(source="fine_fen")

    class Meta:
        model = Recovery
        fields = ["id", "benefit", "first_month", "last_month", "months", "amount", "fine_multiple", "fine", "reasons",
                  "decided_on"]


class ReviewSerializer(serializers.ModelSerializer):
    amount_before = Yuan(source="amount_before_fen")
    amount_after = Yuan(source="amount_after_fen")

    class Meta:
        model = Review
        fields = ["id", "benefit", "trigger", "report", "scheduled_for", "due_on", "due_warning", "due_rule", "state",
                  "outcome", "amount_before", "amount_after", "reasons", "effective_month", "decided_on", "version"]
        read_only_fields = fields


class DecideSerializer(serializers.Serializer):
    reasons = serializers.CharField(label="书面理由", required=False, allow_blank=True, default="")
    through_work = serializers.BooleanField(label="因就业创业收入增加", required=False, default=False)
    stop = serializers.BooleanField(label="停发", required=False, default=False)
    ground = serializers.ChoiceField(label="特困供养终止事由", choices=TekunEndGround.choices, required=False,
                                     allow_blank=True, default="")
    version = serializers.IntegerField(required=False, allow_null=True)


class LineSerializer(serializers.ModelSerializer):
    household_number = serializers.SerializerMethodField()
    amount_before = Yuan(source="amount_before_fen")
    amount_after = Yuan(source="amount_after_fen")
    difference = Yuan(source="difference_fen")

    class Meta:
        model = RecomputedLine
        fields = ["benefit", "household_number", "kind", "amount_before", "amount_after", "difference", "detail"]

    def get_household_number(self, obj: RecomputedLine) -> str | None:
        return _subject(self, obj.benefit).label


class StandardSerializer(serializers.ModelSerializer):
    old_standard = Yuan(source="old_standard_fen")
    new_standard = Yuan(source="new_standard_fen")
    lines = LineSerializer(many=True, read_only=True)

    class Meta:
        model = StandardChange
        fields = ["id", "region", "residence", "old_standard", "new_standard", "effective_from", "consumption_growth",
                  "source", "state", "approved_on", "problems", "lines"]
        read_only_fields = fields


class StandardStartSerializer(serializers.Serializer):
    region = serializers.CharField(label="适用区域（省、市或县 6 位代码）", max_length=6)
    residence = serializers.ChoiceField(label="城乡", choices=[("urban", "城市"), ("rural", "农村")])
    new_standard = serializers.CharField(label="新标准（元）")
    effective_from = serializers.DateField(label="执行日期")
    consumption_growth = serializers.CharField(label="上年城镇居民人均消费支出增长率（%）", required=False,
                                               allow_blank=True, allow_null=True)
    source = serializers.CharField(label="文件依据", max_length=200)


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict:
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return s.validated_data


def _bad(exc: BenefitError) -> ValidationError:
    return ValidationError({exc.field: [exc.message]})


class BenefitViewSet(viewsets.ReadOnlyModelViewSet):
    """待遇: list and read; report a change; recover (NAT-DB-FRAUD)."""

    def get_queryset(self):
        qs = services.visible_benefits(self.request.user).order_by("id")
        status_ = self.request.query_params.get("status")
        return qs.filter(status=status_) if status_ else qs

    def get_serializer_class(self):
        return BenefitDetailSerializer if self.action == "retrieve" else BenefitSerializer

    def get_object(self) -> Benefit:
        return services.access_benefit(self.request.user, self.kwargs["pk"], reason="查看待遇（接口）")

    @extend_schema(request=ReportSerializer, responses=ReportedSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):  # noqa: ANN001
        d = _valid(ReportSerializer, request.data)
        try:
            report = services.report_change(request.user, pk, kind=d["kind"], occurred_on=d["occurred_on"],
                                            description=d["description"], person_id=d.get("person"),
                                            member_facts=d.get("member_facts"))
        except BenefitError as exc:
            raise _bad(exc) from None
        return Response(ReportedSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RecoverSerializer, responses=RecoverySerializer)
    @action(detail=True, methods=["post"])
    def recover(self, request, pk=None):  # noqa: ANN001
        d = _valid(RecoverSerializer, request.data)
        try:
            rec = services.recover_fraud(request.user, pk, **d)
        except BenefitError as exc:
            raise _bad(exc) from None
        return Response(RecoverySerializer(rec).data, status=status.HTTP_201_CREATED)


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """复核: the worklist (state=open, by deadline) and the decision."""

    serializer_class = ReviewSerializer

    def get_queryset(self):
        qs = access.scope_queryset(self.request.user, Review.objects.all(), Action.CASE_VIEW).order_by("due_on", "id")
        state = self.request.query_params.get("state")
        return qs.filter(state=state) if state else qs

    @extend_schema(request=DecideSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):  # noqa: ANN001
        self.get_object()  # 404 outside the areas
        d = _valid(DecideSerializer, request.data)
        try:
            review = services.decide_review(request.user, pk, **d)
        except BenefitError as exc:
            raise _bad(exc) from None
        return Response(ReviewSerializer(review).data)


class StandardChangeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """标准调整 (DB-14): start (DB-13 checked, recomputed), read the differences, approve."""

    serializer_class = StandardSerializer

    def get_queryset(self):
        return access.scope_queryset(self.request.user, StandardChange.objects.all(), Action.CASE_VIEW)

    @extend_schema(request=StandardStartSerializer, responses=StandardSerializer)
    def create(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        d = _valid(StandardStartSerializer, request.data)
        try:
            change = services.start_standard_change(request.user, **d)
        except BenefitError as exc:
            raise _bad(exc) from None
        return Response(StandardSerializer(change, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=StandardSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):  # noqa: ANN001
        self.get_object()
        try:
            change = services.approve_standard_change(request.user, pk)
        except BenefitError as exc:
            raise _bad(exc) from None
        return Response(StandardSerializer(change, context={"request": request}).data)


router = SimpleRouter()
router.register("benefits", BenefitViewSet, basename="benefit")
router.register("benefit-reviews", ReviewViewSet, basename="benefit-review")
router.register("standard-changes", StandardChangeViewSet, basename="standard-change")
urlpatterns = router.urls
