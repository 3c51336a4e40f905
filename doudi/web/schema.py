"""OpenAPI generation: component names are prefixed with their app so that apps cannot collide.

Two apps may both call a serializer ``CaseSerializer``; drf-spectacular would name both
components ``Case`` and produce a wrong document. The apps of the foundation and the 低保
procedure keep plain names; every other doudi app's components get its label as a prefix
(``doudi.relief.api.CaseSerializer`` → ``ReliefCase``).
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

UNPREFIXED = {"web", "accounts", "registry", "workdays", "cases"}


class DoudiAutoSchema(AutoSchema):
    def get_serializer_name(self, serializer, direction):  # noqa: ANN001, ANN201
        name = super().get_serializer_name(serializer, direction)
        parts = type(serializer).__module__.split(".")
        if len(parts) >= 2 and parts[0] == "doudi" and parts[1] not in UNPREFIXED:
            prefix = parts[1].title()
            if not name.startswith(prefix):
                name = prefix + name
        return name

    def _get_response_bodies(self, direction="response"):  # noqa: ANN001, ANN202
        """The document says every answer an operation can give (issue 16: schemathesis found
        undocumented 400, 401, 403 and 404): a refused input, no login, a role that may not, an
        object outside the user's areas or a page past the end."""
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, text in ERRORS.items():
            responses.setdefault(code, {"description": text, "content": {"application/json": {"schema": ERROR}}})
        return responses


ERROR = {"type": "object", "additionalProperties": True,
         "properties": {"detail": {"type": "string", "description": "原因（中文）"}},
         "description": "错误：`detail` 说明原因；输入有误时为 字段 → 错误信息列表"}
ERRORS = {"400": "输入有误（各字段的错误信息）", "401": "未登录", "403": "无权进行此操作（角色不允许或不在辖区内）",
          "404": "未找到，或不在您的辖区内（或页码超出范围）"}
