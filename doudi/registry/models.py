"""Households, persons, who lived together when (membership), and kinship."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from doudi.accounts.areas import contains, validate_region_code
from doudi.policy.identity import mask_id_number, parse_id_number


class Residence(models.TextChoices):
    URBAN = "urban", "城镇"
    RURAL = "rural", "农村"


class Relation(models.TextChoices):
    """与户主关系 (the policy core's relation vocabulary)."""

    SELF = "self", "本人（户主）"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDPARENT = "grandparent", "（外）祖父母"
    GRANDCHILD = "grandchild", "（外）孙子女"
    SIBLING = "sibling", "兄弟姐妹"
    OTHER = "other", "其他"


class Sex(models.TextChoices):
    M = "M", "男"
    F = "F", "女"


def validate_id_number(value: str) -> None:
    """Django validator for resident ID numbers (GB 11643), message in Chinese."""
    try:
        parse_id_number(value)
    except ValueError as exc:
        raise ValidationError("身份证号无效：应为 %(what)s", code="id_number", params={"what": _zh(str(exc))}) from None


def _zh(reason: str) -> str:
    """The identity module's English expectation, in Chinese (the wording there may change)."""
    if "check character" in reason:
        m = re.search(r"(?:give|should be) (\w)", reason)
        return "校验位正确的号码" + (f"（前 17 位对应的校验位为 {m.group(1)}）" if m else "")
    if "address code" in reason:
        return "前 6 位是存在过的行政区划代码"
    if "not after today" in reason:
        return "出生日期不晚于今天"
    if "1880" in reason:
        return "出生日期在 1880 年或之后"
    if "birth date" in reason:
        return "第 7–14 位是真实的出生日期"
    return "18 位身份证号（17 位数字加一位数字或 X）"


NAME_PUNCTUATION = frozenset("·・•.-' ")  # 阿依古丽·买买提, hyphens and apostrophes of Latin-script names


def validate_person_name(value: str) -> None:
    """The one validator of a person's name (issue 16 item 6): letters of any script, with the
    middle dot, hyphen, apostrophe, full stop and single spaces of names; no control or format
    characters (U+202E and the other bidirectional overrides, zero-width joiners), no emoji or other
    symbols, and no stack of more than two combining marks on one letter."""
    import unicodedata

    text = unicodedata.normalize("NFC", value or "")
    if not text.strip():
        raise ValidationError("姓名不能为空", code="name")
    marks = 0
    for ch in text:
        cat = unicodedata.category(ch)
        if cat.startswith("M"):
            marks += 1
            if marks > 2:
                raise ValidationError("姓名无效：一个字上叠加了过多的组合符号", code="name")
            continue
        marks = 0
        if cat.startswith("L") or ch in NAME_PUNCTUATION or ch in "0123456789":
            continue  # (digits: placeholders such as 成员1 in imported rosters)
        if cat in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            raise ValidationError("姓名无效：含有不可见的控制字符（如文字方向控制符）", code="name")
        if cat.startswith("S"):
            raise ValidationError("姓名无效：不能含有表情符号或其他符号", code="name")
        raise ValidationError("姓名无效：只能含有文字及姓名中的间隔号「·」、连字符", code="name")
    if "  " in text:
        raise ValidationError("姓名无效：不能含有连续空格", code="name")


def name_initials(name: str) -> str:
    """Pinyin initials of a Chinese name, lower case: 张三丰 -> zsf."""
    return "".join(s[:1] for s in lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="ignore")).lower()


class Person(models.Model):
    """人员: a resident, identified by the ID number; facts are the policy core's member fields."""

    id_number = models.CharField("身份证号", max_length=18, unique=True, validators=[validate_id_number])
    name = models.CharField("姓名", max_length=50)
    name_initials = models.CharField("姓名拼音首字母", max_length=50, editable=False, db_index=True)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices, editable=False)
    birth_date = models.DateField("出生日期", editable=False)
    ethnic_minority = models.BooleanField("少数民族", default=False)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    facts = models.JSONField("个人情况", default=dict, blank=True,
                             help_text="政策核心的成员字段：disability、work_ability、monthly_income 等")
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    AREA_FIELD = "memberships__household__region_code"

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.masked_id}）"

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)

    def clean(self) -> None:
        import unicodedata

        self.id_number = (self.id_number or "").strip().upper()
        self.name = unicodedata.normalize("NFC", (self.name or "").strip())
        try:
            validate_person_name(self.name)
        except ValidationError as exc:
            raise ValidationError({"name": exc.messages}) from None

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        self.id_number = (self.id_number or "").strip().upper()
        info = parse_id_number(self.id_number)
        self.birth_date, self.sex = info.birth_date, info.sex
        self.name_initials = name_initials(self.name)
        super().save(*args, **kwargs)

    def current_membership(self) -> Membership | None:
        return self.memberships.filter(end__isnull=True).select_related("household").first()

    @property
    def area_code(self) -> str | None:
        m = self.current_membership() or self.memberships.select_related("household").order_by("-start").first()
        return m.household.region_code if m else None

    def age_on(self, on: dt.date) -> int:
        b = self.birth_date
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


class Household(models.Model):
    """户 / 家庭: people living together at one address; facts are the policy core's household fields."""

    region_code = models.CharField("所在地区划代码", max_length=12, validators=[validate_region_code], db_index=True,
                                   help_text="12 位村（社区）代码，或 9 位乡镇、6 位县代码")
    county = models.CharField("县（区）代码", max_length=6, editable=False, db_index=True)
    residence = models.CharField("城乡类别", max_length=5, choices=Residence.choices)
    address = models.CharField("住址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    facts = models.JSONField("家庭情况", default=dict, blank=True,
                             help_text="政策核心的家庭字段：assets、spending_12m、legal_supporters 等")
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    AREA_FIELD = "region_code"

    class Meta:
        verbose_name = "家庭"
        verbose_name_plural = "家庭"
        ordering = ["-id"]
        # the household list of a county or township, newest first (doudi.registry.lists filters on county)
        indexes = [models.Index("county", models.F("id").desc(), name="registry_household_county_new")]

    def __str__(self) -> str:
        head = self.head
        return f"{self.number} {head.name if head else ''}".strip()

    @property
    def number(self) -> str:
        return self.number_of(self.pk)

    @staticmethod
    def number_of(pk: int | None) -> str:
        """The 户号 of the household with this key (a list can show it without reading the household)."""
        return f"户{pk:06d}" if pk else "户（新）"

    @staticmethod
    def head_names(pks: Iterable[int | None]) -> dict[int, str]:
        """The name of each of these households' head, in one query whatever their number (households
        without a head are left out)."""
        ids = {pk for pk in pks if pk}
        # the same head as ``head``: the current SELF membership first by (start, id); the dict keeps the last
        return dict(Membership.objects.filter(household_id__in=ids, end__isnull=True, relation=Relation.SELF)
                    .order_by("-start", "-id").values_list("household_id", "person__name")) if ids else {}

    @staticmethod
    def labels(pks: Iterable[int | None]) -> dict[int, str]:
        """``str()`` of each of these households (户号 and head), in one query whatever their number."""
        ids = {pk for pk in pks if pk}
        heads = Household.head_names(ids)
        return {pk: f"{Household.number_of(pk)} {heads.get(pk, '')}".strip() for pk in ids}

    @property
    def area_code(self) -> str:
        return self.region_code

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        self.region_code = (self.region_code or "").strip()
        self.county = self.region_code[:6]
        super().save(*args, **kwargs)

    def memberships_on(self, on: dt.date | None = None) -> models.QuerySet[Membership]:
        """Who lived in the household on a day (default: the current members)."""
        qs = self.memberships.select_related("person")
        if on is None:
            return qs.filter(end__isnull=True)
        return qs.filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gt=on))

    @property
    def head(self) -> Person | None:
        m = self.memberships.filter(end__isnull=True, relation=Relation.SELF).select_related("person").first()
        return m.person if m else None

    def in_area(self, area: str) -> bool:
        return contains(area, self.region_code)


class EndReason(models.TextChoices):
    """迁出原因: why a member stopped living in the household."""

    DEATH = "death", "死亡"
    MOVED = "moved", "迁出"
    OTHER = "other", "其他"


class Membership(models.Model):
    """户成员关系: a person lived in a household from ``start`` until ``end`` (exclusive; open = still)."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="memberships", verbose_name="家庭")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships", verbose_name="人员")
    relation = models.CharField("与户主关系", max_length=12, choices=Relation.choices)
    start = models.DateField("起始日期", default=dt.date.today)
    end = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=8, choices=EndReason.choices, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    AREA_FIELD = "household__region_code"

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(end__isnull=True),
                                    name="registry_one_active_household_per_person"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="registry_membership_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.get_relation_display()} {self.start}–{self.end or ''}"

    @property
    def area_code(self) -> str:
        return self.household.region_code


class KinKind(models.TextChoices):
    SPOUSE = "spouse", "配偶"
    PARENT = "parent", "父母"
    CHILD = "child", "子女"
    SIBLING = "sibling", "兄弟姐妹"
    GRANDPARENT = "grandparent", "（外）祖父母"
    GRANDCHILD = "grandchild", "（外）孙子女"
    OTHER = "other", "其他近亲属"


class Kinship(models.Model):
    """亲属关系: ``relative`` is the ``kind`` of ``person`` (e.g. relative is person's parent),
    whether or not they live together (legal supporters, NAT-DB-KIN checks)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="kin", verbose_name="人员")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="kin_of", verbose_name="亲属")
    kind = models.CharField("关系", max_length=12, choices=KinKind.choices)

    AREA_FIELD = "person__memberships__household__region_code"

    class Meta:
        verbose_name = "亲属关系"
        verbose_name_plural = "亲属关系"
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], name="registry_kinship_once"),
            models.CheckConstraint(condition=~Q(person=models.F("relative")), name="registry_kinship_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.relative.name} 是 {self.person.name} 的{self.get_kind_display()}"


class FactsRecord(models.Model):
    """家庭经济状况记录: one recording of a household's economic facts (who, when, what changed);
    append-only, so the file shows the facts as they were on each day they were recorded."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="facts_records",
                                  verbose_name="家庭")
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="记录人")
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    on_date = models.DateField("情况日期")
    household_facts = models.JSONField("家庭情况", default=dict)
    member_facts = models.JSONField("成员情况", default=dict, help_text="{人员编号: 成员字段}")
    changes = models.JSONField("变化", default=list, help_text="[{who, field, before, after}]，记录时算出")

    AREA_FIELD = "household__region_code"

    class Meta:
        verbose_name = "家庭经济状况记录"
        verbose_name_plural = "家庭经济状况记录"
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.household.number} {self.on_date}"

    @property
    def area_code(self) -> str:
        return self.household.region_code

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if self.pk is not None:
            raise ValueError("家庭经济状况记录不可修改")
        super().save(*args, **kwargs)


class KinRequestState(models.TextChoices):
    PENDING = "pending", "待档案所在地区同意"
    APPROVED = "approved", "已同意，关系已登记"
    REFUSED = "refused", "已拒绝"


class KinRequest(models.Model):
    """亲属关联请求 (issue 16 item 2): a caseworker asks to link ``person`` of their area to a relative
    whose file is kept in another area. The link is made only when staff of that area consent; until
    then the requester sees neither the relative's name nor their household. ``stated_name`` is the
    name the requester typed, shown to the other area only, for them to compare with their file."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="kin_requests", verbose_name="本辖区人员")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="kin_requests_of",
                                 verbose_name="对方辖区人员")
    kind = models.CharField("关系", max_length=12, choices=KinKind.choices)
    stated_name = models.CharField("申请方填写的姓名", max_length=50)
    requested_area = models.CharField("申请地区", max_length=12, db_index=True)
    file_area = models.CharField("档案所在地区", max_length=12, db_index=True)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+",
                                     verbose_name="申请人")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    state = models.CharField("状态", max_length=10, choices=KinRequestState.choices,
                             default=KinRequestState.PENDING, db_index=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="处理人")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    note = models.CharField("处理意见", max_length=200, blank=True)
    kinship = models.ForeignKey(Kinship, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name="登记的亲属关系")

    AREA_FIELD = "file_area"

    class Meta:
        verbose_name = "亲属关联请求"
        verbose_name_plural = "亲属关联请求"
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], condition=Q(state="pending"),
                                    name="registry_kinrequest_one_pending"),
        ]

    def __str__(self) -> str:  # no names: entries filed in the requesting area must not tell the relative's
        return f"亲属关联请求 {self.pk}"

    @property
    def number(self) -> str:
        return f"亲联{self.pk:06d}"

    @property
    def area_code(self) -> str:
        return self.file_area
