"""接口令牌: a machine client's credential for the API, with an expiry and a revocation.

Only the SHA-256 digest of a token is stored; the token itself is shown once, when it is created
(`doudi token create`). A token authenticates as its user, with that user's roles and areas.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name="用户")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("令牌前缀", max_length=12, db_index=True,
                              help_text="令牌的前几位，用于辨认；令牌本身不保存")
    digest = models.CharField("摘要", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    created_by = models.CharField("创建人", max_length=150, blank=True)
    expires_at = models.DateTimeField("到期时间")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.CharField("撤销人", max_length=150, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.user} ({self.name})"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "已撤销"
        if self.expires_at <= timezone.now():
            return "已过期"
        return "有效"
