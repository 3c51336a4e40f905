"""REST API pieces shared by the procedures (cases, support, relief): the event serializer's shape,
JSON → form data, form errors, the `?state=` filter, the next steps, and the step endpoint."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

from django import forms as dj_forms
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response


# One event of a case's timeline; the concrete serializer names the model in `Meta(EventSerializerBase.Meta)`.
# (No docstring: drf-spectacular would put it in every concrete serializer's schema.)
class EventSerializerBase(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name")
    action_name = serializers.CharField()

    class Meta:
        fields = ["action", "action_name", "from_state", "to_state", "actor", "at", "on_date", "reason", "figures"]


def form_data(form_class: type[dj_forms.Form], data: Any, lists_as_lines: bool = True) -> dict:
    """JSON → form data: booleans of yes/no fields become "1"/"0"; a list for a text field becomes lines
    (unless `lists_as_lines` is False)."""
    out = dict(data.items()) if hasattr(data, "items") else {}
    for name, field in form_class.base_fields.items():
        v = out.get(name)
        if isinstance(field, dj_forms.TypedChoiceField) and isinstance(v, bool):
            out[name] = "1" if v else "0"
        elif lists_as_lines and isinstance(field, dj_forms.CharField) and isinstance(v, list):
            out[name] = "\n".join(str(x) for x in v)
    return out


def errors(form: dj_forms.Form) -> dict:
    return {k: [str(m) for m in v] for k, v in form.errors.items()}


def filter_state(qs: Any, state: str | None, states: type[Enum]) -> Any:
    """The queryset kept to `?state=` (a 400 naming the states if unknown)."""
    if state:
        if state not in states._value2member_map_:
            raise ValidationError({"state": [f"状态应为 {'、'.join(s.value for s in states)} 之一"]})
        qs = qs.filter(state=state)
    return qs


def next_steps(user: Any, case: Any, allowed_actions: Callable[..., Any], case_perms: Callable[..., Any],
               action_names: Mapping) -> list[dict]:
    """The steps the user may take on the case now: [{action, name}]."""
    return [{"action": a.value, "name": action_names[a]} for a in allowed_actions(case.state_enum, case_perms(user, case))]


def api_step(request: Any, pk: Any, step: str | None, *, actions: type[Enum], action_names: Mapping,
             step_forms: Mapping, run_step: Callable[..., Any], access_case: Callable[..., Any], model: type,
             detail: type[serializers.Serializer], lists_as_lines: bool = True) -> Response:
    """Take one step (the fields of the step's form; errors name the field, in Chinese); the case as it is after."""
    try:
        act = actions(step)
        form_class = step_forms[act]
    except (ValueError, KeyError):
        raise NotFound(f"没有这个办理环节：{step}") from None
    case = access_case(request.user, pk, reason=f"API {action_names[act]}")
    form = form_class(form_data(form_class, request.data, lists_as_lines), request.FILES, case=case)
    if run_step(request.user, case, act, form) is None:
        raise ValidationError(errors(form))
    return Response(detail(model.objects.get(pk=case.pk), context={"request": request}).data)
