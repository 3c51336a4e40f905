NAV = [
    ("低保案件", "cases:case_list", "case.view"),
    ("一门受理", "cases:request_list", "case.view"),
    ("公示名单", "cases:notice_list", "case.view"),
]
