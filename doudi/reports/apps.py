from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """统计、绩效、异常核查、投诉举报、审计与信息公开 (PR-9, PR-5, PR-3)."""

    name = "doudi.reports"
    label = "reports"
    verbose_name = "统计与监督"
