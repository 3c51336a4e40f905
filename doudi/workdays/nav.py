NAV = [("工作日历", "workdays:calendar", None)]
