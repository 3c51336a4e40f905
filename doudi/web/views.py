"""The web's own pages: home (the worklist), login and logout, error pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from doudi.accounts import access
from doudi.accounts.roles import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page is the user's worklist: the cases app's when it exists, else the placeholder."""
    try:
        return redirect(reverse("cases:worklist"))
    except NoReverseMatch:
        return redirect("worklist")


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    """Placeholder worklist (the cases app serves the real one at cases:worklist)."""
    roles = [(Role(r).label, a) for r, a in access.roles_of(request.user)]
    return render(request, "web/worklist.html", {"roles": roles, "items": []})


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """修改密码 (the password rules of settings.AUTH_PASSWORD_VALIDATORS apply)."""

    template_name = "web/password_change.html"

    def get_success_url(self) -> str:
        return reverse("home")

    def form_valid(self, form):  # noqa: ANN001, ANN201
        from django.contrib import messages

        messages.success(self.request, "密码已修改")
        return super().form_valid(form)


def _api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    msg = str(exception) if exception and str(exception) else "您无权进行此操作。"
    if _api(request):  # the API answers JSON, as its document says, even outside a view
        from django.http import JsonResponse

        return JsonResponse({"detail": msg}, status=403, json_dumps_params={"ensure_ascii": False})
    if request.headers.get("HX-Request") == "true":  # swapped in place of the target (base.html): the refusal only
        return HttpResponse(f'<p class="error refusal" role="alert">{escape(msg)}</p>', status=403)
    return render(request, "web/error.html", {"title": "无权访问", "message": msg}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    msg = "未找到此页面，或所查对象不在您的辖区内。"
    if _api(request):  # e.g. /api/v1/complaints/-1/, which no URL pattern takes
        from django.http import JsonResponse

        return JsonResponse({"detail": msg}, status=404, json_dumps_params={"ensure_ascii": False})
    return render(request, "web/error.html", {"title": "未找到", "message": msg}, status=404)
