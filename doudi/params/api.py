"""Deciding households over HTTP (issue 16): `POST /api/v1/assess/` and `/api/v1/assess/batch/`.

The same decision as `doudi assess` (interfaces.md), on the deployment's parameters
(doudi.params.store.current_policy). Only for regions inside the user's areas (action
household.view); bad input is a 400 naming the field path and what was expected (the policy
core's InputError); a document that names a person (an ID number or a name) is audited as a
read in the household's region.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import orjson
from django.conf import settings
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, parser_classes, renderer_classes
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from doudi.accounts import access, audit
from doudi.accounts.masking import MaskingBrowsableAPIRenderer, MaskingJSONRenderer
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.params.store import current_policy
from doudi.policy import regions, show
from doudi.policy.engine import assess as assess_one
from doudi.policy.engine import assess_many
from doudi.policy.errors import InputError
from doudi.policy.household import parse_date

MAX_BATCH = 10_000

HOUSEHOLD_DOC = OpenApiTypes.OBJECT
DECISION = inline_serializer("AssessDecision", {
    "region": serializers.CharField(), "region_name": serializers.CharField(allow_null=True),
    "date": serializers.DateField(), "policy": serializers.ListField(child=serializers.DictField()),
    "household": serializers.DictField(), "programs": serializers.DictField(child=serializers.DictField()),
})
BATCH_REQUEST = inline_serializer("AssessBatchRequest", {
    "households": serializers.ListField(child=serializers.DictField(), max_length=MAX_BATCH,
                                        help_text="家庭文档（interfaces.md），最多 10000 户"),
    "date": serializers.DateField(required=False, help_text="评估日期，覆盖各户文档的 date"),
    "sets": serializers.DictField(child=serializers.CharField(), required=False,
                                  help_text="参数名 → 值，本次评估指定(同 doudi assess --set)"),
    "trace": serializers.BooleanField(required=False, default=True, help_text="false：不附计算依据，更快"),
})
BATCH_RESPONSE = inline_serializer("AssessBatchResponse", {
    "count": serializers.IntegerField(), "decisions": serializers.ListField(child=serializers.DictField()),
})
EXAMPLE = {"region": "620422", "residence": "urban", "date": "2023-06-01",
           "members": [{"relation": "self", "birth_date": "1980-01-01", "monthly_income": {"wages": 600}},
                       {"relation": "spouse", "birth_date": "1982-01-01"},
                       {"relation": "child", "birth_date": "2012-01-01"}]}


# The rendered JSON with each character an ID number may hold (0-9, X, x) as "0" and any other
# byte as " ": an ID number may be in some string only where 18 "0" follow each other (a bytes
# translate and a substring search: a few milliseconds over a 10,000-household answer).
ID_CHARS = bytes(48 if chr(b) in "0123456789Xx" else 32 for b in range(256))
ID_RUN = b"0" * 18


class AssessJSONRenderer(MaskingJSONRenderer):
    """The masking JSON renderer's answer, faster: the data is rendered by orjson, and when the
    result holds no run of 18 ID-number characters no string in it holds an ID number, so the
    masking (a walk over every string, most of a 10,000-household answer's time) has nothing
    to change. Otherwise, or with an indent asked for, or data orjson does not take (Decimal,
    numpy, an integer beyond 64 bits), the masking renderer renders it as always. Same JSON:
    compact, UTF-8, U+2028 and U+2029 escaped as DRF's renderer does."""

    def render(self, data, accepted_media_type=None, renderer_context=None):  # noqa: ANN001, ANN201
        if data is not None and self.get_indent(accepted_media_type, renderer_context or {}) is None:
            try:
                out = orjson.dumps(data)
            except TypeError:
                out = None
            if out is not None and ID_RUN not in out.translate(ID_CHARS):
                return out.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")
        return super().render(data, accepted_media_type, renderer_context)


class AssessJSONParser(JSONParser):
    """DRF's JSON parser, by orjson for a UTF-8 body; whatever orjson refuses (NaN, an integer
    beyond 64 bits, a lone surrogate, malformed JSON) is parsed, or refused, by DRF's parser."""

    def parse(self, stream, media_type=None, parser_context=None):  # noqa: ANN001, ANN201
        raw = stream.read()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        if encoding.lower().replace("-", "").replace("_", "") == "utf8":
            try:
                return orjson.loads(raw)
            except orjson.JSONDecodeError:
                pass
        return super().parse(io.BytesIO(raw), media_type, parser_context)


def _bad(exc: InputError) -> ValidationError:
    """A 400 naming the field path and what was expected (the core's message)."""
    return ValidationError({"detail": f"输入有误：{exc.where}：expected {exc.expected}"
                                      + ("" if exc.got is None else f", got {exc.got!r}"),
                            "field": exc.where, "expected": exc.expected})


def _date(value: Any, where: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        parse_date(value)
    except ValueError as exc:
        raise _bad(InputError(where, str(exc), value)) from None
    return str(value)


def _sets(request, body_sets: Any = None) -> dict[str, str]:  # noqa: ANN001
    """`?set=NAME=VALUE` (repeatable, like --set) and a `sets` object of the body."""
    sets: dict[str, str] = {}
    for item in request.query_params.getlist("set"):
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise _bad(InputError(f"set {item}", "NAME=VALUE, for example dibao.standard.urban=700.00"))
        sets[name.strip()] = value.strip()
    if body_sets is not None:
        if not isinstance(body_sets, Mapping):
            raise _bad(InputError("sets", "an object of parameter names to values"))
        sets.update({str(k): v for k, v in body_sets.items()})
    return sets


def _region_of(doc: Any, where: str) -> str:
    """The document's region, checked to be a known code (before the area check)."""
    try:
        return show.check_region(doc.get("region"), f"{where}region")
    except InputError as exc:
        raise _bad(exc) from None


def _in_areas(user, codes: set[str]) -> None:  # noqa: ANN001
    """403 unless every region lies inside the user's areas (household.view)."""
    areas = access.areas_of(user, Action.HOUSEHOLD_VIEW)
    outside = sorted(c for c in codes if not access.in_area(areas, c))
    if outside:
        raise PermissionDenied(f"地区 {outside[0]}（{regions.name(outside[0]) or '未知'}）不在您的辖区内，不能评估")


def _names_person(doc: Mapping[str, Any]) -> bool:
    members = doc.get("members")
    return isinstance(members, list) and any(
        isinstance(m, Mapping) and (m.get("id_number") or m.get("name")) for m in members)


def _check_overrides(policy, doc: Mapping[str, Any], sets: dict[str, str], where: str = "") -> None:  # noqa: ANN001
    counties = (regions.county_of(doc["region"]),)
    given = doc.get("overrides")
    try:
        if isinstance(given, dict):
            show.check_overrides(policy, given, f"{where}overrides", counties)
        show.check_overrides(policy, sets, "sets", counties)
    except InputError as exc:
        raise _bad(exc) from None


@extend_schema(
    operation_id="assess", summary="评估一户", tags=["assess"],
    description="一户家庭文档（interfaces.md）→ 各救助项目的决定，与 `doudi assess --format json` 相同，按本系统的"
                "现行参数计算。地区须在您的辖区内；文档中有姓名或身份证号时记入审计日志。",
    parameters=[OpenApiParameter("date", OpenApiTypes.DATE, description="评估日期，覆盖文档的 date"),
                OpenApiParameter("set", OpenApiTypes.STR, many=True,
                                 description="NAME=VALUE，本次指定参数（可重复，同 --set）")],
    request=HOUSEHOLD_DOC, responses={200: DECISION},
    examples=[OpenApiExample("3人城市家庭", value=EXAMPLE, request_only=True)])
@api_view(["POST"])
@renderer_classes([AssessJSONRenderer, MaskingBrowsableAPIRenderer])
@parser_classes([AssessJSONParser, FormParser, MultiPartParser])  # DRF's defaults, JSON by orjson
def assess(request):  # noqa: ANN001
    doc = request.data
    if not isinstance(doc, Mapping):
        raise _bad(InputError("$", "a JSON object (the household document)"))
    region = _region_of(doc, "")
    _in_areas(request.user, {region})
    date = _date(request.query_params.get("date"), "date")
    sets = _sets(request)
    policy = current_policy(version=getattr(request.auth, "params_version", None))  # read with the token
    _check_overrides(policy, doc, sets)
    try:
        decision = assess_one(doc, date=date, sets=sets, policy=policy)
    except InputError as exc:
        raise _bad(exc) from None
    if _names_person(doc):
        audit.record(request.user, AuditKind.READ, area=region, action="assess", reason="接口评估家庭",
                     detail={"members": len(doc["members"]), "via": "api"})
    return Response(decision.as_json())


@extend_schema(
    operation_id="assess_batch", summary="批量评估（最多 10000 户）", tags=["assess"],
    description="多户家庭文档一次评估（一次向量化计算），按顺序每户一个决定。`trace: false` 不附计算依据。"
                "各户不能带自己的 overrides，用 `sets` 为整批指定参数。有姓名或身份证号的，每个地区记一条审计。",
    request=BATCH_REQUEST, responses={200: BATCH_RESPONSE})
@api_view(["POST"])
@renderer_classes([AssessJSONRenderer, MaskingBrowsableAPIRenderer])
@parser_classes([AssessJSONParser, FormParser, MultiPartParser])  # DRF's defaults, JSON by orjson
def assess_batch(request):  # noqa: ANN001
    body = request.data
    if not isinstance(body, Mapping):
        raise _bad(InputError("$", 'a JSON object {"households": [...]}'))
    docs = body.get("households")
    if not isinstance(docs, list) or not docs:
        raise _bad(InputError("households", "a non-empty list of household documents"))
    if len(docs) > MAX_BATCH:
        raise _bad(InputError("households", f"at most {MAX_BATCH} households in one request", len(docs)))
    codes = set()
    for k, doc in enumerate(docs):
        if not isinstance(doc, Mapping):
            raise _bad(InputError(f"households[{k}]", "a JSON object (the household document)"))
        codes.add(_region_of(doc, f"households[{k}]."))
    _in_areas(request.user, codes)
    date = _date(body.get("date") or request.query_params.get("date"), "date")
    sets = _sets(request, body.get("sets"))
    trace = body.get("trace", True)
    if request.query_params.get("trace") in ("false", "0"):
        trace = False
    if not isinstance(trace, bool):
        raise _bad(InputError("trace", "true or false", trace))
    policy = current_policy(version=getattr(request.auth, "params_version", None))
    for county in {regions.county_of(c) for c in codes}:
        _check_overrides(policy, {"region": county}, sets)
    try:
        decisions = assess_many(docs, date=date, sets=sets, policy=policy, traced=trace)
    except InputError as exc:
        raise _bad(exc) from None
    named: dict[str, int] = {}
    for doc in docs:
        if _names_person(doc):
            named[str(doc["region"]).strip()] = named.get(str(doc["region"]).strip(), 0) + 1
    for area, n in sorted(named.items()):
        audit.record(request.user, AuditKind.READ, area=area, action="assess_batch", reason="接口批量评估家庭",
                     detail={"households": n, "via": "api"})
    return Response({"count": len(decisions), "decisions": [d.as_json() for d in decisions]})


urlpatterns = [path("assess/", assess, name="api-assess"),
               path("assess/batch/", assess_batch, name="api-assess-batch")]
