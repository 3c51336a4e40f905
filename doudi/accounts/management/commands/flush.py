"""Django's ``flush``, which the audit log's triggers refuse (the audit log cannot be emptied).

With the setting ``DOUDI_AUDIT_ALLOW_FLUSH`` (the test suite sets it; a deployment never does)
the triggers are lifted for the flush's transaction, which on PostgreSQL needs the table's owner.
"""

from django.conf import settings
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections

from doudi.accounts import auditguard


class Command(DjangoFlush):
    def handle(self, **options):
        if not getattr(settings, "DOUDI_AUDIT_ALLOW_FLUSH", False):
            return super().handle(**options)
        with auditguard.lifted(connections[options.get("database") or DEFAULT_DB_ALIAS]):
            return super().handle(**options)
