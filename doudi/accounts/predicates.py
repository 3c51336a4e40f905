"""`rules` predicates: one permission ``doudi.<action>`` per action, true in the user's areas.

Other apps compose them with their own predicates, e.g. four eyes in doudi.cases::

    rules.add_perm("doudi.case.approve_this", has_action_in_area(Action.CASE_APPROVE) & ~investigated_it)
"""

from __future__ import annotations

from typing import Any

import rules

from doudi.accounts import access
from doudi.accounts.roles import Action


def has_action_in_area(action: str) -> rules.Predicate:
    """Predicate: the user has a role allowing ``action`` whose area contains the object (or anywhere, no object)."""

    @rules.predicate(name=f"has_action_in_area:{action}")
    def pred(user: Any, obj: Any = None) -> bool:
        areas = access.areas_of(user, action)
        if not areas:
            return False
        if obj is None:
            return True
        return access.in_area(areas, access.area_of(obj))

    return pred


for _action in Action:
    rules.set_perm(access.perm_name(_action), has_action_in_area(_action))
