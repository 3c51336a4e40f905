NAV = [("临时救助", "relief:worklist", "case.view"), ("救急难台账", "relief:register", "case.view")]
