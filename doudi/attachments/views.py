"""Attachment pages: upload to a target (household or case) and open one file. Thin: services do the work.

Without JavaScript the upload form posts and the browser returns to the page it came from; with
htmx the section (``attachments/_section.html``) is swapped in place, errors included.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from doudi.attachments import services, uploads
from doudi.attachments.forms import UploadForm


def section_context(request: HttpRequest, target: Any, form: UploadForm | None = None, title: str = "",
                    heading: bool = True) -> dict:
    """What ``attachments/_section.html`` shows for one target: its files (or the whole household's),
    the upload form when the user may upload."""
    user = request.user
    is_household = services.target_key(target) == "registry.household"
    qs = services.household_attachments(user, target) if is_household else services.attachments_of(user, target)
    rows = list(qs.prefetch_related("target"))
    labels = services.target_labels(rows)
    key = services.target_key(target)
    return {
        "section_id": f"attachments-{key.replace('.', '-')}-{target.pk}",
        "title": title or ("证件与材料（本户及其各案件）" if is_household else "证件与材料"), "heading": heading,
        "rows": [{"a": a, "where": labels.get(a.pk, "")} for a in rows],
        "show_where": is_household,
        "may_upload": services.may_upload(user, target),
        "form": form or UploadForm(),
        "upload_url": reverse("attachments:upload", args=[key, target.pk]),
        "limit": services.limit_text(),
        "next": request.get_full_path(),
    }


def _attach(request: HttpRequest, target: Any, form: UploadForm) -> Any:
    """The attachment stored from the posted form, or None with the errors on the form."""
    if uploads.too_large(request):  # the rest of the file was dropped while it arrived
        form.is_valid()
        form.add_error("file", f"文件过大，每个文件不超过 {services.limit_text()}")
        return None
    if not form.is_valid():
        return None
    d = form.cleaned_data
    try:
        return services.attach(request.user, target, d["file"], d["kind"], d["note"])
    except ValidationError as exc:
        for field, msgs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, msgs)
        return None


def _next(request: HttpRequest) -> str:
    """The page the form came from, if it is one of this site (else nothing)."""
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=False):
        return nxt
    return ""


def _heading(request: HttpRequest) -> bool:
    """Whether the section has its own heading (not inside the household file, which gives one)."""
    return request.POST.get("heading") != "0"


def _back(request: HttpRequest) -> str:
    return _next(request) or "/"


@csrf_exempt
def upload(request: HttpRequest, target: str, pk: int) -> HttpResponse:
    """上传材料 to a household or a case. The size limit is set before the body is read (so the
    CSRF check, which reads it, runs after: Django's documented order for upload handlers)."""
    uploads.limit(request, services.max_bytes())
    return _upload(request, target, pk)


@csrf_protect
@login_required
@require_POST
def _upload(request: HttpRequest, target: str, pk: int) -> HttpResponse:
    obj = services.find_target(request.user, target, pk)
    htmx = bool(request.headers.get("HX-Request"))
    form = UploadForm(request.POST, request.FILES)
    att = _attach(request, obj, form)
    if att is not None:
        if not htmx:
            messages.success(request, f"已上传：{att.get_kind_display()}")
            return redirect(_back(request))
        ctx = section_context(request, obj, heading=_heading(request))
        ctx["next"], ctx["saved"] = _next(request), f"已上传：{att.get_kind_display()}"
        return render(request, "attachments/_section.html", ctx)
    ctx = section_context(request, obj, form, heading=_heading(request))
    ctx["next"] = _next(request)
    if htmx:  # htmx swaps 2xx answers only: the section with the errors beside the form
        return render(request, "attachments/_section.html", ctx)
    return render(request, "attachments/upload_page.html", {**ctx, "target": obj}, status=400)


@login_required
def open_file(request: HttpRequest, pk: int) -> HttpResponse:
    """查看材料 (logged); shown in the browser, never served from the storage directly."""
    att = services.open_attachment(request.user, pk)
    ext = {t.mime: t.extension for t in services.FILE_TYPES}.get(att.content_type, "")
    name = att.original_name or f"{att.get_kind_display()}{ext}"
    resp = FileResponse(att.file, content_type=att.content_type)
    resp["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    resp["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    resp["Cache-Control"] = "private, no-store"
    return resp
