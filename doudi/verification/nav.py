NAV = [
    ("核对请求", "verification:requests", "verification.run"),
    ("比对发现", "verification:findings", "case.view"),
    ("部门数据", "verification:datasets", "data.upload"),
    ("部门协查", "verification:queries", "data.upload"),
    ("月度比对", "verification:runs", "verification.run"),
]
