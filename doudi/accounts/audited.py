"""API details that name a person are reads of a person's file: each one is audited (security.md)."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins
from rest_framework.response import Response

from doudi.accounts import audit
from doudi.accounts.models import AuditKind


class AuditedRetrieveMixin(mixins.RetrieveModelMixin):
    """``retrieve`` that writes an audit entry (kind read) in the object's area before answering.

    ``audit_action`` names the read (``relief.register.read``); ``audit_reason`` says why."""

    audit_action: str = "api.read"
    audit_reason: str = "接口查阅"

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        audit.record(request.user, AuditKind.READ, obj, action=self.audit_action, reason=self.audit_reason)
        return Response(self.get_serializer(obj).data)
