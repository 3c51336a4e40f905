"""Demo hook of doudi.reports (called by `doudi demo` after the other apps' demos): the populations
of the demo regions (coverage per 1,000), two complaints (one anonymous) for the county approver,
the hourly schedule, and a first refresh of the monthly statistics, so that the demo supervisor
(jiandu, 白银市) and auditor (shenji, 会宁县) see figures at once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

POPULATIONS = (("620422", 530000, "会宁县常住人口（演示数据）"), ("620400", 1510000, "白银市常住人口（演示数据）"),
               ("150200", 2710000, "包头市常住人口（演示数据）"), ("150300", 560000, "乌海市常住人口（演示数据）"))


def populate() -> str | None:
    from doudi.accounts.models import User
    from doudi.reports import complaints, jobs, services
    from doudi.reports.models import Complaint, Population

    admin = User.objects.filter(username="guanli").first()
    if admin is not None and not Population.objects.exists():
        from doudi.accounts.models import RoleAssignment

        for code, _n, _s in POPULATIONS:  # the demo administrator holds the provinces
            RoleAssignment.objects.get_or_create(user=admin, role="administrator", area=code[:2] + "0000")
        for code, n, source in POPULATIONS:
            services.enter_population(admin, region=code, population=n, effective_from=dt.date(2020, 1, 1),
                                      source=source)
    caseworker, approver = User.objects.filter(username="jingban").first(), User.objects.filter(username="shenpi").first()
    if caseworker and approver and not Complaint.objects.exists():
        today = timezone.localdate()
        complaints.record_complaint(caseworker, region="620422100201", channel="phone", received_on=today,
                                    subject_kind="staff", subject_name="村委会委员（演示）",
                                    content="反映其亲属不符合条件仍享受低保（演示）", handler_id=approver.pk, anonymous=True)
        complaints.record_complaint(caseworker, region="620422100202", channel="visit",
                                    received_on=today - dt.timedelta(days=20), subject_kind="recipient",
                                    subject_name="某低保户（演示）", content="反映其家庭成员在外务工收入较高（演示）",
                                    handler_id=approver.pk, reporter_name="来访群众（演示）", reporter_phone="13800000000")
    jobs.ensure_schedule()
    result = jobs.refresh()
    return (f"月度统计 {result['rows']} 行（{result['first_month'][:7]} 至 {result['last_month'][:7]}），"
            f"投诉举报 {Complaint.objects.count()} 件；统计页 /reports/，公开页 /reports/public/620422/")
