"""URL configuration: the web's own pages, then every doudi app's ``urls`` (pages, mounted at
``/<app label>/``) and ``api`` (mounted at ``/api/v1/``) modules, discovered with find_spec."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles.views import serve as serve_static
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from doudi.web import views

admin.site.site_header = "兜底 · 系统管理"
admin.site.site_title = "兜底"
admin.site.index_title = "用户、角色与参数"


def _has(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def app_page_patterns() -> list:
    out = []
    for app in settings.DOUDI_APPS:
        if app == "doudi.web" or not _has(f"{app}.urls"):
            continue
        label = app.rsplit(".", 1)[1]
        out.append(path(f"{label}/", include(f"{app}.urls")))
    return out


def app_api_patterns() -> list:
    out = []
    for app in settings.DOUDI_APPS:
        if _has(f"{app}.api"):
            module = import_module(f"{app}.api")
            if hasattr(module, "urlpatterns"):
                out.append(path("", include(module.urlpatterns)))
    return out


urlpatterns = [
    path("", views.home, name="home"),
    path("worklist/", views.worklist, name="worklist"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(app_api_patterns())),
    *app_page_patterns(),
]

if settings.DOUDI_SERVE_STATIC:
    urlpatterns.append(re_path(r"^static/(?P<path>.*)$", serve_static, {"insecure": True}))

handler403 = "doudi.web.views.forbidden"
handler404 = "doudi.web.views.not_found"
