NAV = [("专项救助", "programs:index", "case.view"), ("合作部门转介", "programs:referrals", "transfer.answer")]
