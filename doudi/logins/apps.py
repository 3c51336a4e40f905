from django.apps import AppConfig


class LoginsConfig(AppConfig):
    """登录与令牌: login throttling (django-axes) and API tokens for machine clients (issue 16, item 4)."""

    name = "doudi.logins"
    label = "logins"
    verbose_name = "登录与接口令牌"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from doudi.logins import schema, services  # noqa: F401  (schema: the OpenAPI security scheme)

        user_locked_out.connect(services.audit_lockout, dispatch_uid="doudi.logins.audit_lockout")
