"""Demo hook: benefits for the approved demo 低保 decisions, the daily schedule, today's reviews.

`populate()` is meant to be called by `doudi demo` after doudi.cases.demo (like every app's
demo hook); `doudi manage benefits_from_decisions` does the first part on its own.
"""

from __future__ import annotations

from importlib.util import find_spec


def benefits_from_decisions() -> int:
    """A benefit for each approved doudi.cases Decision with a payment month that has none yet."""
    if find_spec("doudi.cases.models") is None:
        return 0
    from doudi.benefits.models import Benefit
    from doudi.benefits.services import start_from_dibao_decision
    from doudi.cases.models import Decision

    have = set(Benefit.objects.filter(decision_app="cases", decision_model="decision")
               .values_list("decision_pk", flat=True))
    created = 0
    for decision in Decision.objects.filter(outcome="approved", payment_start__isnull=False).select_related(
            "case__household").order_by("id"):
        if str(decision.pk) in have:
            continue
        start_from_dibao_decision(decision)
        created += 1
    return created


def sample_report() -> int:
    """One reported change (an illness, by the demo caseworker) on the first live monthly Huining benefit
    without one, so that the review worklist has a task; 0 when there is nothing to report on."""
    from django.utils import timezone

    from doudi.accounts.areas import region_q
    from doudi.accounts.models import User
    from doudi.benefits.models import Benefit, ReportedChange, Status
    from doudi.benefits.services import paid_in_stages, report_change

    user = User.objects.filter(username="jingban").first()
    live = Benefit.objects.filter(region_q("region", "620422100"), status=Status.ACTIVE).order_by("id")
    benefit = next((b for b in live if not paid_in_stages(b)), None)  # one-off benefits take no reports
    if user is None or benefit is None or ReportedChange.objects.filter(benefit=benefit).exists():
        return 0
    report_change(user, benefit.pk, kind="illness", occurred_on=timezone.localdate(),
                  description="户主住院治疗（演示）")
    return 1


def populate() -> str | None:
    from doudi.benefits.jobs import daily, ensure_schedule

    created = benefits_from_decisions()
    ensure_schedule()
    result = daily()
    reported = sample_report()
    from doudi.benefits.models import LIVE_VALUES, Benefit

    # what is being paid now (most benefits start at approval, in the procedures' demo hooks), not
    # only those this hook added (issue 9: "待遇 0 户已建立" while 7 existed)
    live = Benefit.objects.filter(status__in=LIVE_VALUES)
    households = live.exclude(household__isnull=True).values("household").distinct().count()
    return (f"在发待遇 {households} 户（{live.count()} 项，本次补建 {created} 项），"
            f"定期复核任务 {result['reviews_created']} 件，情况变化复核 {reported} 件")
