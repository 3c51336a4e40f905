NAV = [("家庭登记", "registry:household_list", "household.view")]
