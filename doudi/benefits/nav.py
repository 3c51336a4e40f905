NAV = [
    ("复核任务", "benefits:worklist", "case.view"),
    ("待遇", "benefits:list", "case.view"),
    ("标准调整", "benefits:standards", "case.approve"),
]
