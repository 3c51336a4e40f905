NAV = [
    ("监测预警", "monitoring:warnings", "case.view"),
    ("低收入人口", "monitoring:register", "case.view"),
    ("主动发现", "monitoring:report_new", "case.report"),
]
