"""View pieces shared by the procedures' pages (cases, support, relief).

`take_step` is the step page (GET: the form; POST: the step, with htmx the case panel swapped in
place); `printable` answers a printable document as HTML or, with `?format=pdf`, as PDF (audited).

Refusals, one mechanism for every procedure: `attempt` runs a step and puts any refusal on the
step's form, beside what the user typed — a procedure error under the field it names, a
PermissionDenied (a role, four eyes) on the form as a whole; `refusal_status` is the answer's
status: 409 when the case changed meanwhile (the version field), 403 for a PermissionDenied, else
400. web/base.html tells htmx to swap these three answers (`responseHandling`), so with JavaScript
on the panel comes back with the refusal shown; without it the step page does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django import forms as dj_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from doudi.accounts import audit
from doudi.accounts.models import AuditKind


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


REFUSAL_STATUSES = (400, 403, 409)  # the answers htmx swaps in (web/base.html): a refused step


def attempt(form: dj_forms.Form, call: Callable[[], Any], errors: tuple[type[Exception], ...] = (),
            forbidden_field: str | None = None) -> Any:
    """`call()`'s result; or None with the refusal on the form beside what was typed: an error of `errors`
    (with `.field`, `.message`) under the field it names, a PermissionDenied on the whole form (or under
    `forbidden_field`), remembered for `refusal_status`."""
    form.errors  # noqa: B018 - validate first, so that a refusal can be added to the cleaned form
    try:
        return call()
    except PermissionDenied as exc:
        form.add_error(forbidden_field if forbidden_field in form.fields else None,
                       str(exc) or "您的角色不能办理此事项")
        form.refused_with = 403
    except errors as exc:
        field = getattr(exc, "field", None)
        form.add_error(field if field in form.fields else None, getattr(exc, "message", str(exc)))
    return None


class ButtonForm(dj_forms.Form):
    """A button without fields (启动核对, 出具核对报告, 批准): bound to the POST so that `attempt` can put a
    refusal on it, shown beside the button (`{{ form.non_field_errors }}`) when the page comes back."""


def attempt_button(request: HttpRequest, call: Callable[[], Any],
                   errors: tuple[type[Exception], ...] = ()) -> tuple[Any, ButtonForm]:
    """For a button without fields: (`call()`'s result, its form); on a refusal (of `errors`, or a
    PermissionDenied) the result is None and the form carries the refusal for `refusal_status`."""
    form = ButtonForm(request.POST)
    return attempt(form, call, errors), form


def refusal_status(form: dj_forms.Form) -> int:
    """409 if the case changed meanwhile (an error on the version field), 403 if the user may not, else 400."""
    if "version" in form.errors:
        return 409
    return getattr(form, "refused_with", 400)


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

    def form_rows(self, user: Any, case: Any, forms: dict | None = None) -> list[dict]:
        """One row per step the user may take now: its form (bound if it came back with errors), URL, open or not.
        A refused form comes back even when its step is no longer open to the user (its refusal says why)."""
        forms = forms or {}
        rows = []
        allowed = list(self.allowed_actions(case.state_enum, self.case_perms(user, case)))
        for a in allowed + [a for a in forms if a not in allowed]:
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
        if attempt(form, lambda: steps.run_step(request.user, case, act, form)) is not None:
            messages.success(request, f"已{name}")
            case = steps.model.objects.get(pk=case.pk)
            if is_htmx(request):  # the panel alone: it shows the message (the page's own list is not swapped)
                return render(request, f"{steps.app}/_case.html", {**steps.case_context(request, case), "partial": True})
            return redirect(f"{steps.app}:case_detail", pk=case.pk)
        status = refusal_status(form)
        if is_htmx(request):  # the panel comes back with the refusal beside the fields (swapped: base.html)
            return render(request, f"{steps.app}/_case.html",
                          {**steps.case_context(request, case, {act: form}), "partial": True}, status=status)
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
