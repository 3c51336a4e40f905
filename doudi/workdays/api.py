"""REST API: deadlines by the working-day calendar."""

from __future__ import annotations

import datetime as dt

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from doudi.workdays.calendar import add_working_days


class DeadlineSerializer(serializers.Serializer):
    start = serializers.DateField()
    working_days = serializers.IntegerField()
    date = serializers.DateField()
    warning = serializers.CharField(allow_null=True)


@extend_schema(parameters=[OpenApiParameter("start", str, description="起算日 YYYY-MM-DD"),
                           OpenApiParameter("n", int, description="工作日数")],
               responses=DeadlineSerializer)
@api_view(["GET"])
def deadline(request):  # noqa: ANN001
    """期限: the n-th working day after start, with a warning for years whose schedule is not entered."""
    try:
        start = dt.date.fromisoformat(request.query_params.get("start", ""))
    except ValueError:
        raise ValidationError({"start": ["起算日：应为 YYYY-MM-DD 格式的日期"]}) from None
    try:
        n = int(request.query_params.get("n", ""))
        if not 0 <= n <= 3650:
            raise ValueError
    except ValueError:
        raise ValidationError({"n": ["工作日数：应为 0 到 3650 之间的整数"]}) from None
    d = add_working_days(start, n)
    return Response({"start": start, "working_days": n, "date": d.date, "warning": d.warning})


urlpatterns = [path("workdays/deadline/", deadline, name="api-deadline")]
