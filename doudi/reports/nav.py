NAV = [
    ("统计", "reports:dashboard", "stats.view"),
    ("绩效", "reports:indicators", "stats.view"),
    ("异常核查", "reports:anomalies", "audit.view"),
    ("投诉举报", "reports:complaint_list", "complaint.record"),
    ("投诉举报", "reports:complaint_list", "audit.view"),  # shown once (doudi.web.context drops a repeated URL)
    ("审计查阅", "reports:audit_list", "audit.view"),
]
