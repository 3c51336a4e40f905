"""Users, their roles bound to areas, and the append-only audit log."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from doudi.accounts.areas import validate_region_code
from doudi.accounts.roles import Role


class User(AbstractUser):
    """用户: a person working in the system; what they may do comes from their roles."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    department = models.CharField("所属部门", max_length=50, blank=True,
                                  help_text="部门联络员所属部门，如 公安、人社、住建")
    id_number = models.CharField("身份证号", max_length=18, blank=True,
                                 help_text="用于近亲属备案核查（NAT-DB-KIN）")

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """角色分配: one role of a user, bound to one area (a region code)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name="用户")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    area = models.CharField("所辖区域（区划代码）", max_length=12, validators=[validate_region_code])
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        constraints = [models.UniqueConstraint(fields=["user", "role", "area"], name="accounts_role_once_per_area")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.area}"

    def clean(self) -> None:
        """A village assistant is bound to a village (12 digits), township roles to a township or below."""
        from doudi.accounts.areas import area_prefix

        depth = len(area_prefix(self.area or ""))
        if self.role == Role.VILLAGE_ASSISTANT and depth != 12:
            raise ValidationError({"area": "村（居）协理员的区域应为 12 位村（社区）代码"})
        if self.role in (Role.TOWNSHIP_CASEWORKER, Role.TOWNSHIP_REVIEWER) and depth < 9:
            raise ValidationError({"area": "乡镇经办人、审核人的区域应为 9 位乡镇（街道）代码"})
        if self.role == Role.COUNTY_APPROVER and depth != 6:
            raise ValidationError({"area": "县级审批人的区域应为 6 位县（区）代码"})


class AuditKind(models.TextChoices):
    """审计事项."""

    READ = "read", "查阅个人档案"
    REVEAL_ID = "reveal_id", "查看完整身份证号"
    EXPORT = "export", "导出"
    DECISION = "decision", "决定"
    PARAMETER_CHANGE = "parameter_change", "参数变更"
    USER_CHANGE = "user_change", "用户与角色变更"
    STEP = "step", "办理环节"


class AppendOnly(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN003
        raise AppendOnly("审计日志只能追加，不能修改")

    def delete(self):
        raise AppendOnly("审计日志只能追加，不能删除")


class AuditEntry(models.Model):
    """审计日志: who read, exported, decided or changed what, when, in which area and why.

    Append-only: the model refuses save() of an existing row and delete(); triggers refuse UPDATE
    and DELETE on both databases, and TRUNCATE on PostgreSQL (migrations 0002, 0003;
    doudi/accounts/auditguard.py), where the application's role may only SELECT and INSERT (dbrole.py).
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name="用户")
    username = models.CharField("用户名", max_length=150)
    time = models.DateTimeField("时间", default=timezone.now, db_index=True)
    area = models.CharField("区域", max_length=12, blank=True, db_index=True)
    kind = models.CharField("事项", max_length=30, choices=AuditKind.choices)
    action = models.CharField("操作", max_length=60, blank=True)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    reason = models.TextField("事由", blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    AREA_FIELD = "area"

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-time", "-id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.username} {self.get_kind_display()} {self.object_repr}"

    @property
    def area_code(self) -> str:
        return self.area

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if self.pk is not None and not self._state.adding:
            raise AppendOnly("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003
        raise AppendOnly("审计日志只能追加，不能删除")
