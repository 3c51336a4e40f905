"""Policy parameters as managed, dated data (issue 10): the database layer above the shipped YAML.

A province, city or county's users with ``params.change`` enter a dated value with its document;
another user of the same level approves it (four eyes); from its effective date every decision
reads it through `doudi.params.store.current_policy()`. docs/params.md.
"""
