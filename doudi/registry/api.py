"""REST API of the registry under /api/v1/: households (list, read, register), members, ID reveal.

Everything is scoped by the access layer; objects outside the user's areas are 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from doudi.accounts import access, masking
from doudi.accounts.roles import Action
from doudi.registry import services
from doudi.registry.models import EndReason, Household, KinKind, Kinship, Membership, Relation, Residence


class MemberSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(source="person.pk", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    id_number_masked = serializers.CharField(source="person.masked_id", read_only=True)
    sex = serializers.CharField(source="person.sex", read_only=True)
    birth_date = serializers.DateField(source="person.birth_date", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "person_id", "name", "id_number_masked", "sex", "birth_date", "relation", "start", "end",
                  "end_reason", "note"]


class HouseholdSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = ["id", "number", "region_code", "county", "residence", "address", "phone", "version", "members"]
        read_only_fields = fields

    @extend_schema(responses=MemberSerializer(many=True))
    def get_members(self, obj: Household) -> list[dict]:
        return MemberSerializer(obj.memberships.filter(end__isnull=True).select_related("person"), many=True).data


class HeadSerializer(serializers.Serializer):
    name = serializers.CharField(label="户主姓名", max_length=50)
    id_number = serializers.CharField(label="户主身份证号", max_length=18)
    ethnic_minority = serializers.BooleanField(label="少数民族", required=False, default=False)


class HouseholdCreateSerializer(serializers.Serializer):
    region_code = serializers.CharField(label="所在地区划代码", max_length=12)
    residence = serializers.ChoiceField(label="城乡类别", choices=Residence.choices)
    address = serializers.CharField(label="住址", max_length=200, required=False, default="", allow_blank=True)
    phone = serializers.CharField(label="联系电话", max_length=20, required=False, default="", allow_blank=True)
    start = serializers.DateField(label="共同生活起始日期", required=False)
    head = HeadSerializer(label="户主")


class MemberCreateSerializer(serializers.Serializer):
    name = serializers.CharField(label="姓名", max_length=50)
    id_number = serializers.CharField(label="身份证号", max_length=18)
    relation = serializers.ChoiceField(label="与户主关系", choices=[c for c in Relation.choices if c[0] != "self"])
    start = serializers.DateField(label="共同生活起始日期", required=False)
    ethnic_minority = serializers.BooleanField(label="少数民族", required=False, default=False)


class MemberEndSerializer(serializers.Serializer):
    member = serializers.IntegerField(label="成员编号", help_text="成员（membership）的 id")
    end = serializers.DateField(label="终止日期", help_text="死亡或迁出之日")
    end_reason = serializers.ChoiceField(label="终止原因", choices=EndReason.choices)
    note = serializers.CharField(label="说明", max_length=200, required=False, default="", allow_blank=True)


class FactsSerializer(serializers.Serializer):
    version = serializers.IntegerField(label="版本")
    household = serializers.DictField(label="家庭情况", help_text="政策核心的家庭字段，如 {\"assets\": {\"financial\": \"3000.00\"}}")
    members = serializers.DictField(label="成员情况", child=serializers.DictField(),
                                    help_text="人员编号 → 政策核心的成员字段，如 {\"12\": {\"monthly_income\": {\"wages\": 800}}}")


class RevealSerializer(serializers.Serializer):
    reason = serializers.CharField(label="查看事由", max_length=200)


class KinCreateSerializer(serializers.Serializer):
    relative_name = serializers.CharField(label="亲属姓名", max_length=50)
    relative_id_number = serializers.CharField(label="亲属身份证号", max_length=18)
    kind = serializers.ChoiceField(label="关系", choices=KinKind.choices)


class KinSerializer(serializers.ModelSerializer):
    relative_name = serializers.CharField(source="relative.name", read_only=True)
    relative_id_number_masked = serializers.CharField(source="relative.masked_id", read_only=True)

    class Meta:
        model = Kinship
        fields = ["id", "kind", "relative_name", "relative_id_number_masked"]


class KinRequestSerializer(serializers.Serializer):
    """亲属关联请求 sent to the area of the relative's file: no name nor household of that file."""

    request_id = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    state = serializers.CharField()
    message = serializers.SerializerMethodField()

    def get_message(self, obj: Any) -> str:
        return services.KIN_REQUESTED.format(number=obj.number)


class RevealedSerializer(serializers.Serializer):
    id_number = serializers.CharField()


def _as_drf(exc: DjangoValidationError, fields: dict) -> ValidationError:
    """Django's field errors as DRF's, each message prefixed with the field's Chinese label."""
    if hasattr(exc, "error_dict"):
        out = {}
        for name, msgs in exc.message_dict.items():
            label = fields.get(name)
            out[name] = [f"{label}：{m}" if label else m for m in msgs]
        return ValidationError(out)
    return ValidationError({"non_field_errors": exc.messages})


_LABELS = {"region_code": "所在地区划代码", "residence": "城乡类别", "id_number": "身份证号", "name": "姓名",
           "relation": "与户主关系", "start": "共同生活起始日期", "end": "终止日期", "reason": "查看事由",
           "relative_id_number": "亲属身份证号", "kind": "关系", "end_reason": "终止原因"}


class HouseholdViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """家庭: list (search with ?q=), read (logged), register, add a member."""

    serializer_class = HouseholdSerializer
    queryset = Household.objects.none()

    def get_queryset(self):
        return services.search_households(self.request.user, self.request.query_params.get("q", ""))

    def retrieve(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        hh = services.read_household(request.user, kwargs["pk"], reason="接口查阅家庭档案")
        return Response(HouseholdSerializer(hh).data)

    @extend_schema(request=HouseholdCreateSerializer, responses={201: HouseholdSerializer})
    def create(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        access.require(request.user, Action.HOUSEHOLD_EDIT)
        s = HouseholdCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        try:
            hh = services.register_household(request.user, head=dict(d.pop("head")), **d)
        except DjangoValidationError as exc:
            raise _as_drf(exc, _LABELS) from None
        return Response(HouseholdSerializer(hh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberCreateSerializer, responses={201: MemberSerializer})
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):  # noqa: ANN001
        hh = access.access_household(request.user, pk, Action.HOUSEHOLD_EDIT)
        s = MemberCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            m = services.add_member(request.user, hh, **s.validated_data)
        except DjangoValidationError as exc:
            raise _as_drf(exc, _LABELS) from None
        return Response(MemberSerializer(m).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberEndSerializer, responses={200: MemberSerializer})
    @action(detail=True, methods=["post"], url_path="members/end")
    def end_member(self, request, pk=None):  # noqa: ANN001
        """成员迁出 (death, moved, other): each live benefit of the household gets the change for review."""
        hh = access.access_household(request.user, pk, Action.HOUSEHOLD_EDIT)
        s = MemberEndSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        m = hh.memberships.filter(pk=d["member"], end__isnull=True).first()
        if m is None:
            raise ValidationError({"member": ["成员编号：不是本户现有成员"]})
        try:
            m = services.end_membership(request.user, m, d["end"], d["note"], reason=d["end_reason"])
        except DjangoValidationError as exc:
            raise _as_drf(exc, _LABELS) from None
        return Response(MemberSerializer(m).data)

    @extend_schema(request=FactsSerializer, responses={200: HouseholdSerializer})
    @action(detail=True, methods=["put"])
    def facts(self, request, pk=None):  # noqa: ANN001
        """记录家庭经济状况 (replaces the stored facts; optimistic locking on version)."""
        from doudi.registry import facts

        hh = access.access_household(request.user, pk, Action.HOUSEHOLD_EDIT)
        s = FactsSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            members = {int(k): v for k, v in s.validated_data["members"].items()}
        except ValueError:
            raise ValidationError({"members": ["成员情况：键应为人员编号"]}) from None
        try:
            hh = facts.update_facts(request.user, hh, s.validated_data["version"], s.validated_data["household"],
                                    members)
        except DjangoValidationError as exc:
            raise _as_drf(exc, {"facts": "家庭经济状况", "version": "版本", "members": "成员情况"}) from None
        return Response(HouseholdSerializer(hh).data)


class PersonViewSet(viewsets.GenericViewSet):
    """人员: the full ID number on request, with a reason (logged)."""

    queryset = Household.objects.none()
    serializer_class = RevealSerializer

    @extend_schema(request=RevealSerializer, responses={200: RevealedSerializer})
    @action(detail=True, methods=["post"], url_path="id-number")
    def id_number(self, request, pk=None):  # noqa: ANN001
        s = RevealSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            number = services.reveal_id_number(request.user, pk, s.validated_data["reason"])
        except DjangoValidationError as exc:
            raise _as_drf(exc, _LABELS) from None
        return masking.reveal(Response({"id_number": number}))  # audited in reveal_id_number


    @extend_schema(request=KinCreateSerializer, responses={201: KinSerializer, 202: KinRequestSerializer})
    @action(detail=True, methods=["post"])
    def kin(self, request, pk=None):  # noqa: ANN001
        """登记亲属关系 (a relative living elsewhere)."""
        person = access.access_person(request.user, pk, Action.HOUSEHOLD_EDIT)
        s = KinCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            k = services.add_kinship(request.user, person, **s.validated_data)
        except DjangoValidationError as exc:
            raise _as_drf(exc, _LABELS) from None
        if not isinstance(k, Kinship):  # the relative's file is elsewhere: their area is asked (issue 16)
            return Response(KinRequestSerializer(k).data, status=status.HTTP_202_ACCEPTED)
        return Response(KinSerializer(k).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("households", HouseholdViewSet, basename="household")
router.register("persons", PersonViewSet, basename="person")
urlpatterns = router.urls
