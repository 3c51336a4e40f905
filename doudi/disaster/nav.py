NAV = [("受灾救助", "disaster:worklist", "case.view"), ("报灾", "disaster:reports", "case.view")]
