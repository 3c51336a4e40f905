"""Views and API modules of every app fetch personal data only through the access layer and services.

A view or API module that writes ``Household.objects.filter(...)`` would skip the area filter;
this test finds such code in any doudi app, so a new app cannot reach around the access layer.
A line that passes the queryset straight to ``access.scope_queryset(`` / ``access.access_object(``
is fine; a line that is checked some other way says so with the comment ``# access-checked``.
"""

import re
from pathlib import Path

import doudi

PERSONAL = r"(Household|Person|Membership|Kinship|AuditEntry)\.objects\.(?!none\(\))"
ROOT = Path(doudi.__file__).parent


def test_no_view_or_api_module_queries_personal_data_directly():
    offenders = []
    for path in sorted(ROOT.glob("*/views.py")) + sorted(ROOT.glob("*/api.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            through_access = re.search(r"access\.(scope_queryset|access_object)\(", line)
            if re.search(PERSONAL, line) and not through_access and "access-checked" not in line:
                offenders.append(f"{path.relative_to(ROOT.parent)}:{n}: {line.strip()}")
    assert not offenders, "query through doudi.accounts.access or a service instead:\n" + "\n".join(offenders)
