"""REST API of verification under /api/v1/: department data sets and snapshots (upload), verification
requests and their reports, findings of the monthly check, check runs.

Everything is scoped by the access layer and the services (outside the user's areas: 404; inside
but the role may not: 403); a department liaison reaches only its own department's data sets.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.verification import datasets, monthly, services
from doudi.verification.datasets import VerificationError
from doudi.verification.forms import CheckForm, UploadForm
from doudi.verification.models import CheckRun, DataSet, Finding, Snapshot, VerificationReport, VerificationRequest


def _bad(exc: VerificationError) -> ValidationError:
    return ValidationError({exc.field: [exc.message]})


class SnapshotSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="dataset.kind")
    area = serializers.CharField(source="dataset.area")
    uploaded_by = serializers.CharField(source="uploaded_by.username")

    class Meta:
        model = Snapshot
        fields = ["id", "kind", "area", "extracted_on", "rows", "file_format", "encoding", "source_name",
                  "uploaded_by", "uploaded_at", "sha256", "ignored_columns"]


class DataSetSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="kind_label")
    snapshots = SnapshotSerializer(many=True)

    class Meta:
        model = DataSet
        fields = ["id", "kind", "label", "department", "area", "snapshots"]


class DataSetViewSet(viewsets.ReadOnlyModelViewSet):
    """部门数据集 of the user's department (liaison) or areas (verification officer)."""

    serializer_class = DataSetSerializer

    def get_queryset(self):
        return datasets.visible_datasets(self.request.user).prefetch_related("snapshots__uploaded_by")


class UploadSerializer(serializers.Serializer):
    kind = serializers.CharField()
    area = serializers.CharField()
    extracted_on = serializers.DateField()
    file = serializers.FileField()


class SnapshotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """数据快照; POST uploads a file (multipart: kind, area, extracted_on, file): 201 with the snapshot, or
    400 with every problem by row and column (nothing imported)."""

    serializer_class = SnapshotSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return datasets.visible_snapshots(self.request.user)

    @extend_schema(request=UploadSerializer, responses={201: SnapshotSerializer})
    def create(self, request: Any) -> Response:
        deps = datasets.upload_departments(request.user)
        if deps == []:
            raise PermissionDenied("您无权上传部门数据")
        form = UploadForm(request.data, request.FILES, departments=deps)
        if not form.is_valid():
            raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
        d = form.cleaned_data
        try:
            result = datasets.import_snapshot(request.user, kind=d["kind"], area=d["area"],
                                              extracted_on=d["extracted_on"], data=d["file"].read(),
                                              name=d["file"].name)
        except VerificationError as exc:
            raise _bad(exc) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        if not result.ok:
            return Response({"imported": False, "problem_count": result.problem_count, "rows": result.rows,
                             "problems": [{"row": p.row, "column": p.column, "message": p.message}
                                          for p in result.problems]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(SnapshotSerializer(result.snapshot).data, status=status.HTTP_201_CREATED)


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = VerificationReport
        fields = ["id", "number", "run_on", "issued_on", "summary", "consistent", "changes_decision", "items",
                  "possible", "snapshots", "declared_decision", "department_decision"]


class RequestSerializer(serializers.ModelSerializer):
    household = serializers.CharField(source="household.number")
    case = serializers.CharField(source="case.number", default=None)
    report = serializers.SerializerMethodField()

    class Meta:
        model = VerificationRequest
        fields = ["id", "state", "household", "case", "region", "requested_on", "due_on", "started_on",
                  "authorisation_name", "authorisation_sha256", "recheck_of", "objection", "report"]

    def get_report(self, req: VerificationRequest) -> dict | None:
        rep = VerificationReport.objects.filter(request=req).first()
        return ReportSerializer(rep).data if rep else None


class ObjectionSerializer(serializers.Serializer):
    objection = serializers.CharField()


class RequestViewSet(viewsets.ReadOnlyModelViewSet):
    """核对请求 and their 核对报告 (read: the officer and the case's users; start, run, issue: the officer;
    object: the township, for the applicant)."""

    serializer_class = RequestSerializer

    def get_queryset(self):
        return services.visible_requests(self.request.user).order_by("due_on", "id")

    def retrieve(self, request: Any, pk: Any = None) -> Response:
        return Response(RequestSerializer(services.access_request(request.user, pk, reason="API 查看核对请求")).data)

    def _do(self, request: Any, pk: Any, fn: Any) -> Response:
        try:
            fn(request.user, pk)
        except VerificationError as exc:
            raise _bad(exc) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        return Response(RequestSerializer(VerificationRequest.objects.get(pk=pk)).data)

    @extend_schema(request=None, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Any, pk: Any = None) -> Response:
        return self._do(request, pk, services.start)

    @extend_schema(request=None, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def run(self, request: Any, pk: Any = None) -> Response:
        return self._do(request, pk, services.run)

    @extend_schema(request=None, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request: Any, pk: Any = None) -> Response:
        return self._do(request, pk, services.issue)

    @extend_schema(request=ObjectionSerializer, responses={201: RequestSerializer})
    @action(detail=True, methods=["post"], url_path="object")
    def object_to(self, request: Any, pk: Any = None) -> Response:
        req = services.access_request(request.user, pk, reason="API 登记核对异议")
        rep = VerificationReport.objects.filter(request=req).first()
        if rep is None:
            raise ValidationError({"report": ["尚无核对报告"]})
        try:
            recheck = services.object_to(request.user, rep.pk, objection=str(request.data.get("objection", "")))
        except VerificationError as exc:
            raise _bad(exc) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        return Response(RequestSerializer(recheck).data, status=status.HTTP_201_CREATED)


class FindingSerializer(serializers.ModelSerializer):
    household = serializers.CharField(source="household.number", default=None)
    person = serializers.CharField(source="masked_person")
    kind_name = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Finding
        fields = ["id", "kind", "kind_name", "match", "score", "benefit", "household", "person", "region", "detail",
                  "figures", "source", "due_on", "state", "reason", "review", "version"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()
    version = serializers.IntegerField(required=False)


class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    """比对发现 in the user's areas; the township clears one (reason), confirms or rejects a possible match,
    or starts the benefit's review."""

    serializer_class = FindingSerializer

    def get_queryset(self):
        qs = monthly.visible_findings(self.request.user).order_by("due_on", "id")
        state = self.request.query_params.get("state")
        return qs.filter(state=state) if state else qs

    def _do(self, request: Any, pk: Any, fn: Any, **kwargs: Any) -> Response:
        try:
            f = fn(request.user, pk, version=request.data.get("version"), **kwargs)
        except VerificationError as exc:
            raise _bad(exc) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        return Response(FindingSerializer(f).data)

    @extend_schema(request=ReasonSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def clear(self, request: Any, pk: Any = None) -> Response:
        return self._do(request, pk, monthly.clear_finding, reason=str(request.data.get("reason", "")))

    @extend_schema(request=ReasonSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Any, pk: Any = None) -> Response:
        return self._do(request, pk, monthly.reject_match, reason=str(request.data.get("reason", "")))

    @extend_schema(request=None, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Any, pk: Any = None) -> Response:
        return self._do(request, pk, monthly.confirm_match)

    @extend_schema(request=None, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Any, pk: Any = None) -> Response:
        return self._do(request, pk, monthly.start_review)


class CheckRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckRun
        fields = ["id", "county", "run_on", "engine", "recipients", "counts", "new_findings", "snapshots", "notes"]


class CountySerializer(serializers.Serializer):
    county = serializers.CharField()


class CheckRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """月度比对 runs of the officer's counties; POST runs one now (county)."""

    serializer_class = CheckRunSerializer

    def get_queryset(self):
        return access.scope_queryset(self.request.user, CheckRun.objects.all(), Action.VERIFICATION_RUN)

    @extend_schema(request=CountySerializer, responses={201: CheckRunSerializer})
    def create(self, request: Any) -> Response:
        form = CheckForm(request.data)
        if not form.is_valid():
            raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
        try:
            run = monthly.run_check(request.user, form.cleaned_data["county"])
        except VerificationError as exc:
            raise _bad(exc) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        return Response(CheckRunSerializer(run).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("datasets", DataSetViewSet, basename="dataset")
router.register("snapshots", SnapshotViewSet, basename="snapshot")
router.register("verification-requests", RequestViewSet, basename="verification-request")
router.register("findings", FindingViewSet, basename="finding")
router.register("check-runs", CheckRunViewSet, basename="check-run")
urlpatterns = router.urls
