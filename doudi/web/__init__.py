"""The web application: settings, URL discovery, base templates (Chinese), static files, `doudi demo`."""
