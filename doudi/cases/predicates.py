"""`rules` permissions of cases, composed from the accounts predicates.

``doudi.case.approve_this`` — four eyes (security.md): a county approver in the case's area who
neither investigated nor reviewed the case.
"""

from __future__ import annotations

from typing import Any

import rules

from doudi.accounts.predicates import has_action_in_area
from doudi.accounts.roles import Action


@rules.predicate
def took_part_in_case(user: Any, case: Any = None) -> bool:
    """The user investigated (or recorded the investigation of) or reviewed the case."""
    if case is None:
        return False
    from doudi.cases.services import took_part

    return bool(took_part(user, case))


may_decide_case = has_action_in_area(Action.CASE_APPROVE) & ~took_part_in_case

rules.set_perm("doudi.case.approve_this", may_decide_case)
