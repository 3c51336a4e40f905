"""The programs in the household file: the children's files and cases, disability subsidies, medical bills,
referrals and the EM-1 record, the price subsidy; and the acts that start from the file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.registry.household_file import FileAction, Section


def household_sections(user: Any, household: Any) -> list[Section]:
    from doudi.programs import children, disability, medical, partners, prices
    from doudi.programs import procedure as proc

    items: list[tuple[str, str, str]] = []  # (what, detail, url)
    for f in children.visible_files(user).filter(household=household):
        items.append(("儿童档案", f"{f.person.name}（{f.get_category_display()}）", reverse("programs:child_file", args=[f.pk])))
        for c in f.cases.all():
            items.append(("儿童基本生活保障", f"{c.number} {c.get_kind_display()} · {c.state_name}",
                          reverse("programs:child_case", args=[c.pk])))
    for a in disability.visible_applications(user).filter(household=household):
        items.append(("残疾人两项补贴", f"{a.person.name} {a.get_subsidy_display()} · {a.get_state_display()}",
                      reverse("programs:disability_detail", args=[a.pk])))
    for b in medical.visible_reimbursements(user).filter(household=household):
        items.append(("医疗救助", f"{b.person.name} {b.discharged_on} 出院，救助 {b.amount_yuan} 元", reverse("programs:medical")))
    for r in partners.visible_referrals(user).filter(household=household):
        answer = f"{r.answered_on} {'已落实' if r.accepted else '未落实'}：{r.answer}" if r.answered_on else "待答复"
        items.append(("转介", f"{r.person.name} {proc.REFERRAL_NAMES[r.kind]} · {answer}", reverse("programs:referrals")))
    for ln in prices.visible_lines(user).filter(household=household):
        items.append(("价格临时补贴", f"{ln.month:%Y年%m月} {ln.people} 人 {ln.amount_yuan} 元", reverse("programs:prices")))
    if not items:
        return []
    return [Section("programs", "专项救助", "programs/_file_section.html", {"items": items}, order=60, count=len(items))]


def household_actions(user: Any, household: Any) -> list[FileAction]:
    out: list[FileAction] = []
    here = household.region_code
    q = f"?household={household.pk}"
    if access.in_area(access.areas_of(user, Action.CASE_ACCEPT), here):
        today = dt.date.today()
        for m in household.memberships_on(today).select_related("person"):
            if m.person.age_on(today) < 18 and not hasattr(m.person, "child_file"):
                out.append(FileAction(f"建立儿童档案（{m.person.name}）",
                                      f"{reverse('programs:child_new')}?person={m.person_id}", 50))
        out.append(FileAction("残疾人两项补贴", f"{reverse('programs:disability_new')}{q}", 51))
        out.append(FileAction("转介合作部门", f"{reverse('programs:referral_new')}{q}", 52))
        if household.residence == "rural":
            out.append(FileAction("农村危房改造", f"{reverse('programs:house_new')}{q}", 53))
    if access.in_area(access.areas_of(user, Action.CASE_APPROVE), here):
        out.append(FileAction("教育救助", f"{reverse('programs:education_new')}{q}", 54))
        from doudi.benefits.models import LIVE, Benefit

        live = set(Benefit.objects.filter(household=household, status__in=LIVE).values_list("program", flat=True))
        if "dibao" in live and "medical_daily" not in live and _daily_allowance_set(household):
            out.append(FileAction("日常医疗补贴", f"{reverse('programs:daily_allowance_new')}{q}", 55))
    return out


def _daily_allowance_set(household: Any) -> bool:
    """MA-4 is paid only where the region sets an amount (Wuhai, wuhai-2014 五.6)."""
    from doudi.policy.params import default_policy

    p, today = default_policy(), dt.date.today()
    return any(p.resolve(f"medical.daily_allowance.{g}", household.region_code[:6], today, household.residence).value
               is not None for g in ("class_a", "elderly", "disabled"))
