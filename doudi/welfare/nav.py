NAV = [("困难老年人补贴", "welfare:elderly", "case.view")]
