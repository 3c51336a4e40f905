NAV = [
    ("资金发放", "payments:worklist", "payment.manage"),
]
