NAV = [("临时救助", "relief:worklist", "case.view"), ("救急难台账", "relief:register", "case.view"),
       ("户籍地通报", "relief:notices", "case.view")]
