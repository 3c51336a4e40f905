"""Local format overrides (settings.FORMAT_MODULE_PATH): Django's zh_Hans formats, with date inputs as YYYY-MM-DD."""
