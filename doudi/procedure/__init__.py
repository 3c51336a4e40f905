"""What the three procedures (低保 doudi.cases, 特困 doudi.support, 临时救助 doudi.relief) share.

Not an installed app: abstract models only (models.py), so each concrete model keeps its own
app, table and migrations.
"""
