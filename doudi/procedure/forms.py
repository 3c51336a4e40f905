"""Form pieces shared by the procedures' step forms (cases, support, relief).

`StepForm` carries the case and its version (the optimistic lock); `InvestigationStepForm` offers
as investigators the users who may investigate in the case's area; `field_error` puts a
ProcedureError back on the form under the field it names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from doudi.accounts import access
from doudi.accounts.models import User
from doudi.accounts.roles import Action as Perm

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})
YES_NO = [("1", "是"), ("0", "否")]


def bool_choice(label: str) -> forms.TypedChoiceField:
    """A yes/no radio choice that cleans to a bool."""
    return forms.TypedChoiceField(label=label, choices=YES_NO, coerce=lambda v: v in ("1", "True", "true", True),
                                  widget=forms.RadioSelect)


def field_error(form: forms.Form, exc: Any) -> None:
    """Put a ProcedureError on the form: under the field it names if the form has it, else on the whole form."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.case = case
        if case is not None and not self.is_bound:
            self.initial.setdefault("version", case.version)


class EmptyForm(StepForm):
    pass


def investigators_for(case: Any) -> Any:
    """The active users who may investigate in the case's area, by user name."""
    ids = [u.pk for u in User.objects.filter(is_active=True, role_assignments__active=True).distinct()
           if access.in_area(access.areas_of(u, Perm.CASE_INVESTIGATE), case.region)]
    return User.objects.filter(pk__in=ids).order_by("username")


class InvestigationStepForm(StepForm):
    """A home-visit form: its `investigators` field offers investigators_for(case); the visit defaults to today."""

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any):
        super().__init__(*args, case=case, **kwargs)
        if case is not None:
            self.fields["investigators"].queryset = investigators_for(case)
            self.initial.setdefault("visited_on", dt.date.today())


def run_service(service: Any, user: Any, case: Any, form: forms.Form, error: type[Exception],
                drop_if_empty: tuple[str, ...] = ()) -> Any:
    """Validate the step form and call `service(user, case.pk, version=…, **data)`: the service's result, or None
    with the errors on the form (an `error` raised by the service goes under the field it names).

    Investigators go as their ids; the fields of `drop_if_empty` left empty are not passed (the service's default)."""
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    version = data.pop("version", None)
    if "investigators" in data:
        data["investigators"] = [u.pk for u in data["investigators"]]
    for key in drop_if_empty:
        if key in data and data[key] is None:
            data.pop(key)
    try:
        return service(user, case.pk, version=version, **data)
    except error as exc:
        field_error(form, exc)
        return None
