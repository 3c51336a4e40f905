"""`doudi backup` and `doudi restore`: the database (SQLite or PostgreSQL) and the files (attachments)."""
