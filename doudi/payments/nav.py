NAV = [
    ("资金发放", "payments:worklist", "payment.manage"),
    ("收款账户", "payments:accounts", "payment.manage"),
    ("资金预算", "payments:funds", "payment.manage"),
]
