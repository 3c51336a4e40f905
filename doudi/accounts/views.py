"""The audit log page (auditors and supervisors, of their areas)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from doudi.accounts import access
from doudi.accounts.models import AuditEntry, AuditKind
from doudi.accounts.roles import Action


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """审计日志: entries of the user's areas, newest first, filterable by kind."""
    access.require(request.user, Action.AUDIT_VIEW)
    qs = access.scope_queryset(request.user, AuditEntry.objects.all(), Action.AUDIT_VIEW)
    kind = request.GET.get("kind", "")
    if kind in AuditKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_list.html", {"page": page, "kinds": AuditKind.choices, "kind": kind})
