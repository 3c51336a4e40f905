"""REST API of monitoring under /api/v1/: warnings (list, one, and the task's steps) and the register.

Scoped like the pages (services.visible_alerts / visible_entries): outside the user's areas 404;
a village assistant sees only his own reports; a step the role may not take 403; bad input 400
naming the field in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from doudi.accounts import audit
from doudi.accounts.areas import region_q
from doudi.accounts.models import AuditKind
from doudi.monitoring import forms, services
from doudi.monitoring.models import OPEN_STATES, Alert, Category, Outcome, RegisterEntry, Visit
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


class ReportSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, error_messages={"required": "请填写姓名", "blank": "请填写姓名"})
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)
    village = serializers.CharField(max_length=12, error_messages={"required": "请选择村（社区）",
                                                                   "blank": "请选择村（社区）"})
    what = serializers.CharField(error_messages={"required": "请填写遇到的困难", "blank": "请填写遇到的困难"})


class VisitSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.display_name", default="")

    class Meta:
        model = Visit
        fields = ["id", "visited_on", "visitors", "found", "recorded_by", "recorded_at"]


class AlertDetailSerializer(AlertSerializer):
    """One warning with its task: who has it, the deadline, whether it is overdue, the visits."""

    assigned_to = serializers.CharField(source="assigned_to.display_name", default="")
    reported_by = serializers.CharField(source="reported_by.display_name", default="")
    overdue = serializers.SerializerMethodField()
    visits = VisitSerializer(many=True, read_only=True)
    explanation = serializers.SerializerMethodField()

    class Meta(AlertSerializer.Meta):
        fields = AlertSerializer.Meta.fields + ["assigned_to", "reported_by", "overdue", "visits", "explanation"]

    def get_overdue(self, a: Alert) -> bool:
        return a.is_open and a.due_on < timezone.localdate()

    def get_explanation(self, a: Alert) -> list:
        return [{"rule": s.get("rule", ""), "detail": s.get("detail", "")}
                for s in (a.figures or {}).get("explanation", [])]


class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    """监测预警 in the user's areas (``?state=open|visited|closed``, ``?level=``, ``?rule=``, ``?area=``
    a region code inside them); a village assistant's list is his own reports in his village. One
    warning (audited) shows its task; the task's steps are POSTs on it (assign, visit, link,
    application, review, enter, close); ``tasks/`` lists the open ones the user may handle."""

    serializer_class = AlertSerializer

    def get_queryset(self):
        qs = services.visible_alerts(self.request.user).select_related("household").order_by("due_on", "id")
        for name in ("state", "level", "rule"):
            value = self.request.query_params.get(name)
            if value:
                qs = qs.filter(**{name: value})
        area = self.request.query_params.get("area")
        if area:
            if not area.isdigit() or len(area) not in (2, 4, 6, 9, 12):
                raise ValidationError({"area": ["区划代码应为2、4、6、9或12位数字"]})
            qs = qs.filter(region_q("region", area))
        return qs

    def get_serializer_class(self):
        return AlertDetailSerializer if self.action != "list" else AlertSerializer

    @extend_schema(responses=AlertDetailSerializer)
    def retrieve(self, request: Any, pk: Any = None) -> Response:
        alert = services.access_alert(request.user, pk, reason="查看监测预警（接口）")
        return Response(AlertDetailSerializer(alert).data)

    @extend_schema(responses=AlertDetailSerializer(many=True))
    @action(detail=False, methods=["get"])
    def tasks(self, request: Any) -> Response:
        """The open warnings the user may handle (the township's; the county's once escalated), by deadline."""
        from django.db.models import Q

        from doudi.accounts import access
        from doudi.accounts.roles import Action

        # services.may_handle as a query: the township's areas, and the county's for escalated warnings
        township, county = Q(pk__in=[]), Q(pk__in=[])
        for area in access.areas_of(request.user, Action.CASE_ACCEPT):
            township |= region_q("region", area)
        for area in access.areas_of(request.user, Action.CASE_APPROVE):
            county |= region_q("region", area)
        qs = (self.get_queryset().filter(state__in=OPEN_STATES).filter(township | (county & Q(escalated_on__isnull=False)))
              .select_related("assigned_to", "reported_by").prefetch_related("visits__recorded_by"))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(AlertDetailSerializer(page, many=True).data)

    @extend_schema(request=ReportSerializer, responses=AlertDetailSerializer)
    @action(detail=False, methods=["post"])
    def report(self, request: Any) -> Response:
        """村(居)主动发现: a village assistant reports a person in difficulty in his village (MW-VILLAGE)."""
        s = ReportSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        alert = _run(lambda: services.report(request.user, name=d["name"], id_number=d.get("id_number", ""),
                                             village=d["village"], what=d["what"]))
        return Response(AlertDetailSerializer(alert).data, status=201)

    @extend_schema(request=None, responses=AlertDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Any, pk: Any = None) -> Response:
        """分派: to ``assignee`` (a user id of a caseworker of the area), default oneself."""
        return _step(request, pk, None, lambda d: services.assign(
            request.user, pk, assignee=request.data.get("assignee"), version=request.data.get("version")))

    @extend_schema(request=None, responses=AlertDetailSerializer)
    @action(detail=True, methods=["post"])
    def visit(self, request: Any, pk: Any = None) -> Response:
        """入户走访: ``visited_on`` (YYYY-MM-DD), ``visitors``, ``found``."""
        return _step(request, pk, forms.VisitForm, lambda d: services.record_visit(
            request.user, pk, visited_on=d["visited_on"], visitors=d["visitors"], found=d["found"],
            version=d.get("version")))

    @extend_schema(request=None, responses=AlertDetailSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request: Any, pk: Any = None) -> Response:
        """关联家庭: ``household_id`` of a household in the user's area."""
        return _step(request, pk, forms.LinkForm, lambda d: services.link_household(
            request.user, pk, household_id=d["household_id"], version=d.get("version")))

    @extend_schema(request=None, responses=AlertDetailSerializer)
    @action(detail=True, methods=["post"])
    def application(self, request: Any, pk: Any = None) -> Response:
        """The outcome 启动救助申请: ``program`` dibao | tekun | temporary (the case is linked)."""
        return _step(request, pk, forms.ApplicationForm, lambda d: services.open_application(
            request.user, pk, program=d["program"], version=d.get("version")))

    @extend_schema(request=None, responses=AlertDetailSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Any, pk: Any = None) -> Response:
        """A 错保 finding (MW-CUOBAO) → the benefit's review."""
        return _step(request, pk, forms.VersionForm, lambda d: services.start_review(
            request.user, pk, version=d.get("version")))

    @extend_schema(request=None, responses=AlertDetailSerializer)
    @action(detail=True, methods=["post"])
    def enter(self, request: Any, pk: Any = None) -> Response:
        """纳入低收入人口 from the warning: ``category`` other | anti_poverty, ``evidence``."""
        return _step(request, pk, forms.EnterForm, lambda d: services.enter_from_alert(
            request.user, pk, category=d["category"], evidence=d["evidence"], version=d.get("version")))

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
    """低收入人口 in the user's areas (not for a village assistant): ``?category=``, ``?current=1`` (not
    left), ``?area=``; one entry is audited."""

    serializer_class = EntrySerializer

    def get_queryset(self):
        qs = services.visible_entries(self.request.user).select_related("household").order_by("-entered_on", "id")
        category = self.request.query_params.get("category")
        if category:
            if category not in Category.values:
                raise ValidationError({"category": [f"类别应为 {'、'.join(Category.values)} 之一"]})
            qs = qs.filter(category=category)
        if self.request.query_params.get("current") in ("1", "true"):
            qs = qs.filter(left_on__isnull=True)
        area = self.request.query_params.get("area")
        if area:
            if not area.isdigit() or len(area) not in (2, 4, 6, 9, 12):
                raise ValidationError({"area": ["区划代码应为2、4、6、9或12位数字"]})
            qs = qs.filter(region_q("region", area))
        return qs

    def retrieve(self, request: Any, pk: Any = None) -> Response:
        try:
            entry = self.get_queryset().get(pk=pk)
        except (RegisterEntry.DoesNotExist, ValueError, TypeError):
            raise NotFound("未找到该记录，或不在您的辖区内") from None
        audit.record(request.user, AuditKind.READ, entry, action="monitoring.register.read",
                     reason="查看低收入人口记录（接口）")
        return Response(EntrySerializer(entry).data)


def _run(fn: Callable[[], Any]) -> Any:
    """A service call with its refusals as the API says them: 400 naming the field, 403."""
    try:
        return fn()
    except services.MonitoringError as exc:
        raise ValidationError({exc.field: [exc.message]}) from None
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None


def _step(request: Any, pk: Any, form_class: Any, fn: Callable[[dict], Any]) -> Response:
    """A task step: the page's form checks the data (Chinese errors by field), the service acts."""
    data: dict = {}
    if form_class is not None:
        form = form_class(data=request.data)
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        data = form.cleaned_data
    _run(lambda: fn(data))
    alert = services.access_alert(request.user, pk)
    return Response(AlertDetailSerializer(alert).data)


router = SimpleRouter()
router.register("warnings", AlertViewSet, basename="warning")
router.register("low-income", EntryViewSet, basename="low-income")
urlpatterns = router.urls
