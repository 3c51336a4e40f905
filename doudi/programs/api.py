"""REST API of the smaller programs under /api/v1/: read-only lists and details, the same services as the pages.

- GET /api/v1/child-files/                 children's files in the user's areas (`?category=`, `?left_behind_class=`)
- GET /api/v1/child-files/{id}/            one file with its protection cases (CH-1…CH-3; the read is audited)
- GET /api/v1/child-cases/                 the protection cases (`?state=`, `?kind=`)
- GET /api/v1/child-cases/{id}/            one case with its timeline (audited)
- GET /api/v1/disability-applications/     残疾人两项补贴 (DS-1; `?state=`, `?subsidy=`)
- GET /api/v1/disability-applications/{id}/  one application with the policy core's trace (audited)
- GET /api/v1/rescue-cases/                流浪乞讨人员救助 at the user's stations (ST-1; `?state=`)
- GET /api/v1/rescue-cases/{id}/           one case with its searches and return notices (audited)
- GET /api/v1/return-notices/              返乡接收通知 to the user's areas (the receiving side, ST-1)
- GET /api/v1/return-notices/{id}/         one notice (audited)

Lists show ID numbers masked (the API's renderer masks every ID number anyway); a user who may see a full
number (person.full_id in the person's area: ``may_reveal``) asks for it at ``reveal_url``
(POST /api/v1/persons/{id}/id-number/ with a reason), which the registry audits.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from doudi.accounts import access
from doudi.accounts.audited import AuditedRetrieveMixin
from doudi.accounts.roles import Action as Perm
from doudi.procedure.api import EventSerializerBase
from doudi.programs import children, disability, rescue
from doudi.programs import procedure as proc
from doudi.programs.models import (
    ChildCase,
    ChildEvent,
    ChildFile,
    DisabilityApplication,
    IdentitySearch,
    RescueCase,
    ReturnNotice,
)


def person_info(context: dict, person: Any, region: str) -> dict:
    """The person of a row: id, masked ID number, whether the user may reveal it (person.full_id in the
    row's area) and where (the registry's audited reveal)."""
    if person is None:
        return {"person": None, "masked_id": "", "may_reveal": False, "reveal_url": ""}
    may = access.in_area(access.areas_of(context["request"].user, Perm.PERSON_FULL_ID), region)
    return {"person": person.pk, "masked_id": person.masked_id, "may_reveal": may,
            "reveal_url": f"/api/v1/persons/{person.pk}/id-number/" if may else ""}


class ChildCaseBrief(serializers.ModelSerializer):
    state_name = serializers.CharField()

    class Meta:
        model = ChildCase
        fields = ["id", "number", "kind", "state", "state_name", "submitted_on", "due_kind", "due_on"]


class ChildFileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name")
    person_info = serializers.SerializerMethodField()
    category_name = serializers.CharField(source="get_category_display")
    left_behind_class_name = serializers.CharField(source="get_left_behind_class_display")

    class Meta:
        model = ChildFile
        fields = ["id", "name", "person_info", "household", "region", "category", "category_name", "guardian_name",
                  "guardian_relation", "left_behind_class", "left_behind_class_name", "opened_on", "closed_on",
                  "version"]

    def get_person_info(self, f: ChildFile) -> dict:
        return person_info(self.context, f.person, f.region)


class ChildFileDetailSerializer(ChildFileSerializer):
    cases = ChildCaseBrief(many=True, read_only=True)

    class Meta(ChildFileSerializer.Meta):
        fields = ChildFileSerializer.Meta.fields + [
            "guardian_phone", "situation", "father_status", "father_months", "mother_status", "mother_months",
            "institutional", *(k for k, _ in proc.LEFT_BEHIND_QUESTIONS), "left_behind_needs", "help_planned",
            "temporary_care_on", "temporary_care_by", "cases"]


class ChildEventSerializer(EventSerializerBase):
    class Meta(EventSerializerBase.Meta):
        model = ChildEvent


class ChildCaseSerializer(ChildCaseBrief):
    file = serializers.PrimaryKeyRelatedField(read_only=True)
    child = serializers.CharField(source="file.person.name")

    class Meta(ChildCaseBrief.Meta):
        fields = ChildCaseBrief.Meta.fields + ["file", "child", "region", "applicant_name"]


class ChildCaseDetailSerializer(ChildCaseSerializer):
    events = ChildEventSerializer(many=True, read_only=True)
    decision = serializers.SerializerMethodField()

    class Meta(ChildCaseSerializer.Meta):
        fields = ChildCaseSerializer.Meta.fields + ["checked_on", "check_findings", "events", "decision"]

    def get_decision(self, case: ChildCase) -> dict | None:
        d = getattr(case, "decision", None) if hasattr(case, "decision") else None
        if d is None:
            return None
        return {"approved": d.approved, "decided_on": d.decided_on, "amount_fen": d.amount_fen,
                "start_month": d.start_month, "reasons": d.reasons}


class DisabilitySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name")
    person_info = serializers.SerializerMethodField()
    subsidy_name = serializers.SerializerMethodField()
    state_name = serializers.SerializerMethodField()

    class Meta:
        model = DisabilityApplication
        fields = ["id", "number", "name", "person_info", "household", "region", "subsidy", "subsidy_name", "state",
                  "state_name", "submitted_on", "due_on", "decided_on", "living_fen", "care_fen", "version"]

    def get_person_info(self, a: DisabilityApplication) -> dict:
        return person_info(self.context, a.person, a.region)

    def get_subsidy_name(self, a: DisabilityApplication) -> str:
        return proc.SUBSIDY_NAMES.get(a.subsidy, a.subsidy)

    def get_state_name(self, a: DisabilityApplication) -> str:
        return proc.DS_STATES.get(a.state, a.state)


class DisabilityDetailSerializer(DisabilitySerializer):
    trace = serializers.SerializerMethodField()

    class Meta(DisabilitySerializer.Meta):
        fields = DisabilitySerializer.Meta.fields + ["reasons", "parameters", "trace"]

    def get_trace(self, a: DisabilityApplication) -> list[str]:
        from doudi.cases.documents import trace_sentences

        return trace_sentences(a.assessment, "disability") if a.assessment else []


class SearchSerializer(serializers.ModelSerializer):
    class Meta:
        model = IdentitySearch
        fields = ["kind", "searched_on", "result", "matched"]


class ReturnNoticeSerializer(serializers.ModelSerializer):
    escort_name = serializers.CharField(source="get_escort_display")

    class Meta:
        model = ReturnNotice
        fields = ["id", "region", "receiving_office", "receiving_contact", "escort", "escort_name", "returned_on",
                  "person_name", "sex", "estimated_age", "masked_id", "sent_from", "note", "sent_on", "due_on",
                  "acknowledged_on", "reply", "version"]


class RescueSerializer(serializers.ModelSerializer):
    state_name = serializers.CharField(source="get_state_display")
    person_info = serializers.SerializerMethodField()

    class Meta:
        model = RescueCase
        fields = ["id", "number", "region", "name", "estimated_age", "sex", "found_how", "found_on", "state",
                  "state_name", "person_info", "home_region", "returned_on", "placement", "version"]

    def get_person_info(self, c: RescueCase) -> dict:
        return person_info(self.context, c.person, c.region)


class RescueDetailSerializer(RescueSerializer):
    searches = SearchSerializer(many=True, read_only=True)
    return_notices = ReturnNoticeSerializer(many=True, read_only=True)

    class Meta(RescueSerializer.Meta):
        fields = RescueSerializer.Meta.fields + ["found_at", "receiving_told", "placement_reason", "placement_ref",
                                                 "searches", "return_notices"]


def _filter(qs: Any, params: Any, **fields: Any) -> Any:
    """Exact filters from the query string (`?state=`…), only on the values the field allows."""
    for name, allowed in fields.items():
        value = params.get(name)
        if value and value in allowed:
            qs = qs.filter(**{name: value})
    return qs


class ChildFileViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """儿童档案 (CH-2, CH-3)."""

    serializer_class = ChildFileSerializer

    def get_queryset(self):
        qs = children.visible_files(self.request.user).order_by("region", "id")
        return _filter(qs, self.request.query_params, category=proc.CATEGORY_NAMES,
                       left_behind_class=proc.LEFT_BEHIND_NAMES)

    @extend_schema(responses=ChildFileDetailSerializer)
    def retrieve(self, request, pk=None):  # noqa: ANN001
        f = children.access_file(request.user, pk, reason="API 查看儿童档案")
        return Response(ChildFileDetailSerializer(f, context={"request": request}).data)


class ChildCaseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """儿童基本生活保障申请 (CH-1, NAT-CH-DEFACTO)."""

    serializer_class = ChildCaseSerializer

    def get_queryset(self):
        qs = children.visible_cases(self.request.user).order_by("due_on", "id")
        return _filter(qs, self.request.query_params, state={s.value for s in proc.State}, kind=proc.PROTECTED)

    @extend_schema(responses=ChildCaseDetailSerializer)
    def retrieve(self, request, pk=None):  # noqa: ANN001
        case = children.access_case(request.user, pk, reason="API 查看儿童基本生活保障申请")
        return Response(ChildCaseDetailSerializer(case, context={"request": request}).data)


class DisabilityViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """残疾人两项补贴申请 (DS-1, NAT-DS-TWO)."""

    serializer_class = DisabilitySerializer

    def get_queryset(self):
        qs = disability.visible_applications(self.request.user).order_by("-submitted_on", "id")
        return _filter(qs, self.request.query_params, state=proc.DS_STATES, subsidy=proc.SUBSIDY_NAMES)

    @extend_schema(responses=DisabilityDetailSerializer)
    def retrieve(self, request, pk=None):  # noqa: ANN001
        a = disability.access_application(request.user, pk)
        return Response(DisabilityDetailSerializer(a, context={"request": request}).data)


class RescueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """流浪乞讨人员救助 (ST-1)."""

    serializer_class = RescueSerializer

    def get_queryset(self):
        qs = rescue.visible_cases(self.request.user).select_related("person").order_by("-found_on", "id")
        return _filter(qs, self.request.query_params, state=proc.RESCUE_STATE_NAMES)

    @extend_schema(responses=RescueDetailSerializer)
    def retrieve(self, request, pk=None):  # noqa: ANN001
        c = rescue.access_case(request.user, pk)
        return Response(RescueDetailSerializer(c, context={"request": request}).data)


class ReturnNoticeViewSet(mixins.ListModelMixin, AuditedRetrieveMixin, viewsets.GenericViewSet):
    """返乡接收通知 (ST-1): the receiving area's side."""

    serializer_class = ReturnNoticeSerializer
    audit_action = "programs.rescue.return_notice.view"
    audit_reason = "API 查看返乡接收通知"

    def get_queryset(self):
        return rescue.visible_notices(self.request.user).order_by("acknowledged_on", "due_on", "id")


router = SimpleRouter()
router.register("child-files", ChildFileViewSet, basename="child-file")
router.register("child-cases", ChildCaseViewSet, basename="child-case")
router.register("disability-applications", DisabilityViewSet, basename="disability-application")
router.register("rescue-cases", RescueViewSet, basename="rescue-case")
router.register("return-notices", ReturnNoticeViewSet, basename="return-notice")
urlpatterns = router.urls
