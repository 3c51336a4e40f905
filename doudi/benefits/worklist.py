"""Review tasks as worklist items (the shape of web/worklist.html), for any worklist page that
wants them (the benefits worklist; the cases worklist may add them to its own)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.benefits.models import Review


def open_reviews(user: Any, action: str = Action.CASE_APPROVE):
    """Open reviews by deadline, in the areas where the user may ``action``: by default where he
    decides them (case.approve; a worklist shows only what its user can act on)."""
    qs = Review.objects.select_related("benefit__household", "benefit__person").filter(state=Review.State.OPEN)
    return access.scope_queryset(user, qs, action).order_by("due_on", "id")


def items(user: Any, today: dt.date | None = None, action: str = Action.CASE_APPROVE) -> list[dict]:
    """Each open review as {deadline, warning, title, url, household, state, rule, overdue, due_today}
    (``state`` the review's, ``rule`` what sets its deadline);
    ``household`` is the household's number, or the person when the household is outside the
    user's areas (services.subject_of)."""
    from doudi.benefits.services import subject_of

    if not access.areas_of(user, action):  # open_reviews would select nothing: no query, no queryset
        return []
    today = today or timezone.localdate()
    areas = access.areas_of(user, Action.CASE_VIEW)
    return [{"deadline": r.due_on, "warning": r.due_warning,
             "title": f"{r.get_trigger_display()}：{r.benefit.program_name}"
                      + (f"({r.benefit.person.name})" if r.benefit.person_id else ""),
             "url": reverse("benefits:review", args=[r.pk]), "household": subject_of(user, r.benefit, areas).label,
             "state": r.get_state_display(), "rule": r.due_rule, "overdue": r.due_on < today,
             "due_today": r.due_on == today}
            for r in open_reviews(user, action)]
