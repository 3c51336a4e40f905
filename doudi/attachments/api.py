"""REST API of attachments under /api/v1/attachments/ (the same services as the pages).

- GET  /api/v1/attachments/?household=<id> | ?target=<app.model>&target_id=<id>  list (the user's areas)
- POST /api/v1/attachments/   multipart {target, target_id, kind, file, note?}        upload (logged)
- GET  /api/v1/attachments/<id>/                                                   one attachment's record
- GET  /api/v1/attachments/<id>/file/                                              the file (logged)
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from doudi.attachments import services, uploads
from doudi.attachments.models import Attachment, Kind


class AttachmentSerializer(serializers.ModelSerializer):
    target = serializers.SerializerMethodField()
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    kind_name = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "target", "target_id", "household", "region", "kind", "kind_name", "note", "original_name",
                  "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
        read_only_fields = fields

    def get_target(self, obj: Attachment) -> str:
        return f"{obj.target_type.app_label}.{obj.target_type.model}"


class UploadSerializer(serializers.Serializer):
    target = serializers.CharField(label="所属对象类型（如 registry.household、cases.case）", max_length=80)
    target_id = serializers.IntegerField(label="所属对象编号", min_value=1)
    kind = serializers.ChoiceField(label="材料类别", choices=Kind.choices)
    file = serializers.FileField(label="文件（PDF、JPEG 或 PNG）")
    note = serializers.CharField(label="说明", max_length=200, required=False, default="", allow_blank=True)


class AttachmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser]

    def initialize_request(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        uploads.limit(request, services.max_bytes())  # before anything reads the body
        return super().initialize_request(request, *args, **kwargs)

    def get_queryset(self):  # noqa: ANN201
        qs = services.visible(self.request.user)
        params = self.request.query_params
        if params.get("household", "").isdigit():
            qs = qs.filter(household_id=int(params["household"]))
        if params.get("target") and params.get("target_id", "").isdigit():
            try:
                model = services.target_model(params["target"])
            except LookupError:
                return qs.none()
            from django.contrib.contenttypes.models import ContentType

            qs = qs.filter(target_type=ContentType.objects.get_for_model(model), target_id=int(params["target_id"]))
        return qs

    @extend_schema(parameters=[OpenApiParameter("household", int, required=False),
                               OpenApiParameter("target", str, required=False),
                               OpenApiParameter("target_id", int, required=False)])
    def list(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        from doudi.accounts import access

        att = access.access_object(request.user, Attachment, kwargs["pk"], services.VIEW_ACTION)
        return Response(AttachmentSerializer(att).data)

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: AttachmentSerializer})
    def create(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        if uploads.too_large(request):
            raise ValidationError({"file": [f"文件过大，每个文件不超过 {services.limit_text()}"]})
        s = UploadSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        target = services.find_target(request.user, d["target"], d["target_id"])
        try:
            att = services.attach(request.user, target, d["file"], d["kind"], d["note"])
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        return Response(AttachmentSerializer(att).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="file")
    def file(self, request, pk=None):  # noqa: ANN001, ANN201
        att = services.open_attachment(request.user, pk)
        resp = FileResponse(att.file, content_type=att.content_type)
        resp["Content-Security-Policy"] = "sandbox; default-src 'none'"
        resp["Cache-Control"] = "private, no-store"
        return resp


router = SimpleRouter()
router.register("attachments", AttachmentViewSet, basename="attachment")
urlpatterns = router.urls
