"""Users, roles bound to areas, the one access layer and the append-only audit log (账户、角色、区域、审计)."""
