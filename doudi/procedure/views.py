"""View pieces shared by the procedures' pages (cases, support, relief).

`take_step` is the step page (GET: the form; POST: the step, with htmx the case panel swapped in
place); `printable` answers a printable document as HTML or, with `?format=pdf`, as PDF (audited).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from doudi.accounts import audit
from doudi.accounts.models import AuditKind


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@dataclass(frozen=True)
class Steps:
    """What a procedure's step page needs: its app (URL namespace and template folder), enums and services."""

    app: str
    actions: type[Enum]
    action_names: Mapping
    forms: Mapping
    run_step: Callable[..., Any]
    access_case: Callable[..., Any]
    case_perms: Callable[..., Any]
    allowed_actions: Callable[..., Any]
    case_context: Callable[..., dict]
    model: type
    htmx_error_status: int = 200  # htmx swaps only 2xx answers

    def form_rows(self, user: Any, case: Any, forms: dict | None = None) -> list[dict]:
        """One row per step the user may take now: its form (bound if it came back with errors), URL, open or not."""
        forms = forms or {}
        rows = []
        for a in self.allowed_actions(case.state_enum, self.case_perms(user, case)):
            form = forms.get(a) or self.forms[a](case=case)
            rows.append({"action": a.value, "name": self.action_names[a], "form": form, "open": a in forms,
                         "url": reverse(f"{self.app}:step", args=[case.pk, a.value])})
        return rows


def take_step(request: HttpRequest, pk: int, action: str, steps: Steps) -> HttpResponse:
    """One step's form (GET) and its submission (POST); errors come back beside what was typed."""
    try:
        act = steps.actions(action)
        form_class = steps.forms[act]
    except (ValueError, KeyError):
        raise Http404("没有这个办理环节") from None
    case = steps.access_case(request.user, pk)
    name = steps.action_names[act]
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, case=case)
        if steps.run_step(request.user, case, act, form) is not None:
            messages.success(request, f"已{name}")
            case = steps.model.objects.get(pk=case.pk)
            if is_htmx(request):
                return render(request, f"{steps.app}/_case.html", steps.case_context(request, case))
            return redirect(f"{steps.app}:case_detail", pk=case.pk)
        status = 400
        if is_htmx(request):  # the panel comes back with the errors beside the fields
            return render(request, f"{steps.app}/_case.html", steps.case_context(request, case, {act: form}),
                          status=steps.htmx_error_status)
    else:
        form = form_class(case=case)
    if act not in steps.allowed_actions(case.state_enum, steps.case_perms(request.user, case)):
        messages.error(request, f"案件当前为「{case.state_name}」，您不能{name}")
    return render(request, f"{steps.app}/step.html", {"case": case, "form": form, "action": act.value, "name": name},
                  status=status)


def printable(request: HttpRequest, html: str, render_pdf: Callable[..., bytes], *, case: Any, action: str,
              reason: str, filename: str) -> HttpResponse:
    """The page as HTML, or with `?format=pdf` as an inline PDF (the export audited with `action` and `reason`)."""
    if request.GET.get("format") == "pdf":
        audit.record(request.user, AuditKind.EXPORT, case, action=action, reason=reason)
        response = HttpResponse(render_pdf(html, base_url=request.build_absolute_uri("/")),
                                content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
    return HttpResponse(html)
