"""Writing the audit log (审计日志). Services call ``record`` inside their transaction."""

from __future__ import annotations

from typing import Any

from doudi.accounts.models import AuditEntry, AuditKind


def record(user: Any, kind: str, obj: Any = None, *, reason: str = "", action: str = "",
           area: str | None = None, detail: dict | None = None) -> AuditEntry:
    """Append one audit entry: who (user), what (kind, action, object), where (area), why (reason)."""
    if area is None:
        area = getattr(obj, "area_code", None) or ""
    real_user = user if getattr(user, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        user=real_user,
        username=getattr(real_user, "username", "") or "(system)",
        kind=AuditKind(kind),
        action=action,
        area=str(area)[:12],
        object_type=obj._meta.label if obj is not None and hasattr(obj, "_meta") else "",
        object_id=str(getattr(obj, "pk", "") or ""),
        object_repr=str(obj)[:200] if obj is not None else "",
        reason=reason,
        detail=detail or {},
    )


def record_in_areas(user: Any, kind: str, obj: Any = None, *, area: str = "", via: str = "export",
                    **kwargs: Any) -> list[AuditEntry]:
    """``record`` in ``area``; with no area (a list of all the user's areas), one entry in each area in
    which the user may take ``via``, so that no entry is filed under an empty area no auditor sees."""
    from doudi.accounts import access

    areas = [area] if area else sorted(access.areas_of(user, via)) or [""]
    return [record(user, kind, obj, area=a, **kwargs) for a in areas]
