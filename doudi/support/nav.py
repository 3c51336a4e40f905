NAV = [("特困供养", "support:worklist", "case.view")]
