"""The step machinery shared by the procedures' services (cases, support, relief).

`lock_case` fetches and locks a case, then checks area, permission, state and version (in this
order); `move` writes the act: the case's new state, version and deadline, the event row and the
audit entry. Each app's services keep thin `_step`/`_move` wrappers that name their own models,
vocabulary and deadline rules.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Collection, Iterable, Mapping
from enum import Enum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action as Perm


def jsonable(d: Any) -> Any:
    """A value fit for a JSON field: keys as strings, dates as ISO text, anything else unknown as its text."""
    if isinstance(d, dict):
        return {str(k): jsonable(v) for k, v in d.items()}
    if isinstance(d, (list, tuple)):
        return [jsonable(v) for v in d]
    if isinstance(d, (dt.date, dt.datetime)):
        return d.isoformat()
    if isinstance(d, (str, int, float, bool)) or d is None:
        return d
    return str(d)


def required(value: Any, field: str, label: str, error: type[Exception]) -> Any:
    """The value, stripped if text; `error(请填写<label>, field)` if it is missing or blank."""
    if value is None or (isinstance(value, str) and not value.strip()) or value == []:
        raise error(f"请填写{label}", field)
    return value.strip() if isinstance(value, str) else value


def acts_anywhere(user: Any, perms: Iterable[str]) -> bool:
    """The user holds one of these permissions in some area (else a worklist source has nothing to ask)."""
    return any(access.areas_of(user, p) for p in perms)


def case_perms(user: Any, case: Any, perms: Collection[str]) -> set[str]:
    """The permissions (of `perms`) the user holds in an area that contains the case."""
    return {p for p in perms if access.in_area(access.areas_of(user, p), case.region)}


def worklist_steps(allowed: Iterable[Enum], side: Collection[Enum], decide: Collection[Enum],
                   may_decide: Callable[[], bool]) -> list[Enum]:
    """The steps that put a case on the user's worklist (in order): those the user's roles allow in
    the state, less the side steps (withdraw, objections … which no deadline waits for), less the
    decisions when four eyes bar this user from deciding this case (``may_decide``, asked only then)."""
    steps = [a for a in allowed if a not in side]
    if any(a in decide for a in steps) and not may_decide():
        steps = [a for a in steps if a not in decide]
    return steps


def lock_case(user: Any, model: type, case_id: Any, action: Enum, version: Any, *, proc: Any,
              error: type[Exception], blank_version: bool = True) -> Any:
    """Fetch and lock the case, then check area (404), permission (403), state and version (in this order).

    `proc` is the procedure module (STEPS, ACTION_NAMES, Perm, check_step); `blank_version`: an empty
    version text counts as no version."""
    try:
        case = access.scope_queryset(user, model.objects.select_for_update(), Perm.CASE_VIEW).get(pk=case_id)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该案件，或不在您的辖区内") from None
    if not (proc.STEPS[action].perms & case_perms(user, case, proc.Perm)):
        raise PermissionDenied(f"您的角色不能对本案件进行「{proc.ACTION_NAMES[action]}」")
    proc.check_step(action, case.state_enum)
    no_version = (None, "") if blank_version else (None,)
    if version not in no_version and int(version) != case.version:
        raise error("案件已被他人办理或更新，请刷新页面后重试", "version")
    return case


def move(case: Any, user: Any, action: Enum, to: Enum, on: dt.date, *, event_model: type, prefix: str,
         action_names: Mapping, state_deadline: Mapping, due: Callable[[Any, dt.date], Any],
         keep: Collection = (), reason: str = "", figures: dict | None = None,
         audit_kind: str = AuditKind.STEP) -> Any:
    """Write the act: the case's new state and version, its deadline (unless the state stays or is in `keep`:
    the time limit runs on), the event row, the audit entry `<prefix>.<action>`."""
    before = case.state
    case.state = to.value
    case.version += 1
    kind = state_deadline.get(to)
    if to.value == before or to in keep:
        pass
    elif kind is None:
        case.due_kind, case.due_on, case.due_warning = "", None, ""
    else:
        d = due(kind, on)
        case.due_kind, case.due_on, case.due_warning = kind.value, d.date, d.warning or ""
    case.save()
    figures = jsonable(figures or {})
    event = event_model.objects.create(case=case, action=action.value, from_state=before, to_state=to.value,
                                       actor=user, at=timezone.now(), on_date=on, reason=reason, figures=figures)
    audit.record(user, audit_kind, case, action=f"{prefix}.{action.value}", reason=reason or action_names[action],
                 detail={"from": before, "to": to.value, **figures})
    return event


def today(on: dt.date | None) -> dt.date:
    """The day of the act: `on` if given, else today (local time)."""
    return on or timezone.localdate()


def add_working_days(start: dt.date, n: int) -> Any:
    """The working-day calendar's `add_working_days` (imported when first used)."""
    from doudi.workdays.calendar import add_working_days as add

    return add(start, n)


def draw_spot_check(case: Any, on: dt.date, *, tally_model: type, check_model: type, ratio: Any,
                    needed: Callable[[int, int, float], tuple[bool, str]]) -> Any:
    """Draw the case for an in-person county check: the county's yearly tally is locked, `needed(selected,
    arrived, draw)` decides (with a fresh random draw), the tally counts the case, the check row records it."""
    county = case.region[:6]
    try:
        with transaction.atomic():
            tally_model.objects.get_or_create(county=county, year=on.year)
    except IntegrityError:
        pass
    tally = tally_model.objects.select_for_update().get(county=county, year=on.year)
    chosen, why = needed(tally.selected, tally.arrived, secrets.SystemRandom().random())
    tally.arrived += 1
    tally.selected += int(chosen)
    tally.save()
    return check_model.objects.create(case=case, county=county, selected=chosen, reason=why, ratio=ratio,
                                      drawn_at=timezone.now())
