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
