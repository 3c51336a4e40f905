"""The working-day calendar (工作日历): State Council holiday schedules, entered per year."""
