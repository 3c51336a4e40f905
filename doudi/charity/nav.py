NAV = [("救助需求", "charity:needs", "needs.view"), ("救助需求", "charity:needs", "case.view"),
       ("我的帮扶", "charity:mine", "help.record"), ("购买服务资金", "charity:budget", "case.approve")]
