"""REST API of doudi.reports under /api/v1/: statistics, indicators, anomaly checks, complaints.

Every endpoint needs a login and answers only for the user's areas (an area outside them: 404);
the services are the only writers; bad input is 400 naming the field.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.reports import anomalies, complaints, indicators, stats
from doudi.reports.models import Complaint

AREA = OpenApiParameter("area", str, description="区域代码（省 2 位前缀或 6 位代码、市、县、乡镇 9 位、村 12 位）")
FROM = OpenApiParameter("from", str, description="起始月份 YYYY-MM")
TO = OpenApiParameter("to", str, description="截止月份 YYYY-MM")


def _bad(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(getattr(exc, "message_dict", {"detail": exc.messages}))


class FiguresView(APIView):
    @extend_schema(parameters=[AREA, FROM, TO], responses=OpenApiTypes.OBJECT, summary="月度统计（按项目、城乡、分组）")
    def get(self, request):  # noqa: ANN001, ANN201
        prefix = stats.check_area(request.user, request.query_params.get("area"))
        months = stats.month_range(request.query_params.get("from"), request.query_params.get("to"),
                                   timezone.localdate())
        data = stats.series(prefix, months)
        data["children"] = stats.children(prefix, months[-1])
        return Response(data)


class IndicatorsView(APIView):
    @extend_schema(parameters=[AREA, FROM, TO], responses=OpenApiTypes.OBJECT, summary="绩效指标")
    def get(self, request):  # noqa: ANN001, ANN201
        prefix = stats.check_area(request.user, request.query_params.get("area"))
        months = stats.month_range(request.query_params.get("from"), request.query_params.get("to"),
                                   timezone.localdate())
        last = min(timezone.localdate(), stats.add_months(months[-1], 1) - dt.timedelta(days=1))
        out = []
        for i, r in indicators.evaluate(prefix, months[0], last):
            out.append({"id": i.id, "name": i.name, "definition": i.definition, "rule": i.rule,
                        "available": r.available, "numerator": r.numerator, "denominator": r.denominator,
                        "value": None if r.value is None else str(r.value), "unit": "%" if r.per == 100 else "‰",
                        "target": None if r.target is None else str(r.target), "met": r.met, "note": r.note,
                        "lines": r.lines})
        return Response({"area": prefix, "first": months[0], "last": last, "indicators": out})


class AnomaliesView(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, summary="异常核查清单（审计）")
    def get(self, request):  # noqa: ANN001, ANN201
        access.require(request.user, Action.AUDIT_VIEW)
        results = anomalies.run_all(request.user, timezone.localdate())
        audit.record(request.user, AuditKind.READ, None, action="reports.anomalies.api", reason="查阅异常核查清单")
        return Response({"checks": [{"id": c.id, "name": c.name, "rule": c.rule, "definition": c.definition,
                                     "findings": [f.__dict__ for f in found]} for c, found in results]})


class ComplaintSerializer(serializers.ModelSerializer):
    handler = serializers.CharField(source="handler.username", read_only=True)

    class Meta:
        model = Complaint
        fields = ["id", "number", "region", "channel", "received_on", "subject_kind", "subject_name", "content",
                  "anonymous", "handler", "due_on", "state", "outcome", "answer", "answered_on", "review",
                  "recovery", "version"]


class NewComplaintSerializer(serializers.Serializer):
    region = serializers.CharField()
    channel = serializers.CharField()
    received_on = serializers.DateField()
    subject_kind = serializers.CharField()
    subject_name = serializers.CharField()
    content = serializers.CharField()
    handler_id = serializers.IntegerField()
    anonymous = serializers.BooleanField(default=False)
    reporter_name = serializers.CharField(required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(required=False, allow_blank=True, default="")
    reporter_address = serializers.CharField(required=False, allow_blank=True, default="")


def _with_reporter(user, c: Complaint) -> dict:  # noqa: ANN001
    data = ComplaintSerializer(c).data
    data["reporter"] = complaints.reporter_of(user, c)
    return data


class ComplaintListView(APIView):
    @extend_schema(responses=ComplaintSerializer(many=True), summary="投诉举报")
    def get(self, request):  # noqa: ANN001, ANN201
        qs = complaints.visible_complaints(request.user).select_related("handler")[:500]
        return Response(ComplaintSerializer(qs, many=True).data)

    @extend_schema(request=NewComplaintSerializer, responses=ComplaintSerializer, summary="登记投诉举报")
    def post(self, request):  # noqa: ANN001, ANN201
        s = NewComplaintSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            c = complaints.record_complaint(request.user, **s.validated_data)
        except DjangoValidationError as exc:
            raise _bad(exc) from None
        return Response(_with_reporter(request.user, c), status=201)


class ComplaintDetailView(APIView):
    @extend_schema(responses=ComplaintSerializer, summary="投诉举报（举报人身份仅承办人和审计可见）")
    def get(self, request, pk: int):  # noqa: ANN001, ANN201
        return Response(_with_reporter(request.user, complaints.access_complaint(request.user, pk)))


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField()


class ComplaintNoteView(APIView):
    @extend_schema(request=NoteSerializer, responses=OpenApiTypes.OBJECT, summary="添加核查记录")
    def post(self, request, pk: int):  # noqa: ANN001, ANN201
        s = NoteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            note = complaints.add_note(request.user, pk, text=s.validated_data["text"])
        except DjangoValidationError as exc:
            raise _bad(exc) from None
        return Response({"id": note.pk, "on_date": note.on_date, "text": note.text}, status=201)


class AnswerSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    answer_text = serializers.CharField()
    answered_on = serializers.DateField(required=False)
    review_id = serializers.IntegerField(required=False)
    recovery_id = serializers.IntegerField(required=False)
    version = serializers.IntegerField(required=False)


class ComplaintAnswerView(APIView):
    @extend_schema(request=AnswerSerializer, responses=ComplaintSerializer, summary="答复投诉举报")
    def post(self, request, pk: int):  # noqa: ANN001, ANN201
        s = AnswerSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            c = complaints.answer(request.user, pk, **s.validated_data)
        except DjangoValidationError as exc:
            raise _bad(exc) from None
        return Response(_with_reporter(request.user, c))


urlpatterns = [
    path("reports/figures/", FiguresView.as_view(), name="reports-figures"),
    path("reports/indicators/", IndicatorsView.as_view(), name="reports-indicators"),
    path("reports/anomalies/", AnomaliesView.as_view(), name="reports-anomalies"),
    path("complaints/", ComplaintListView.as_view(), name="complaint-list"),
    path("complaints/<int:pk>/", ComplaintDetailView.as_view(), name="complaint-detail"),
    path("complaints/<int:pk>/notes/", ComplaintNoteView.as_view(), name="complaint-notes"),
    path("complaints/<int:pk>/answer/", ComplaintAnswerView.as_view(), name="complaint-answer"),
]
