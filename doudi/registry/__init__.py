"""The registry (户籍与家庭登记): households, persons, membership over time, relations."""
