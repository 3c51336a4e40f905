NAV = [("审计日志", "accounts:audit_list", "audit.view")]
