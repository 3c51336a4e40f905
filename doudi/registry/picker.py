"""The household picker: a new case starts from a household found by search (name, pinyin
initials, masked ID number, household number 户000123), never from typing an internal number.

``HouseholdPicker`` is a form widget for a field holding a household's id (``household_id`` of
the case-opening forms; the API keeps taking the id). It renders a search box, a 查找 button and
the matching households as radio choices:

- without JavaScript, 查找 submits the form with ``_pick`` (the view re-renders it with the
  choices, keeping what was typed, without acting: ``searching(request)``); Enter in the search
  box presses 查找, the form's first button;
- with htmx, typing (and 查找) fetch the choices from ``registry:household_pick`` in place.

Every search goes through ``registry.services.search_households`` (the user's areas only).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.urls import reverse

LIMIT = 20
SEARCH = "_pick"


def choice(household: Any) -> dict:
    """One household as the picker shows it: number, head, masked ID, place, size."""
    from doudi.accounts.areas import full_region_name

    current = [m for m in household.memberships.all() if m.end is None]
    head = next((m.person for m in current if m.relation == "self"), None)
    return {"pk": household.pk, "number": household.number, "head": head.name if head else "",
            "masked_id": head.masked_id if head else "", "place": full_region_name(household.region_code),
            "size": len(current), "residence": household.get_residence_display()}


def choices(user: Any, q: str, chosen: Any = None) -> tuple[list[dict], int]:
    """(the first LIMIT households matching ``q`` in the user's areas, how many match); the chosen
    one (an id) is kept first even when the query no longer finds it."""
    from doudi.accounts import access
    from doudi.registry.services import search_households

    q = (q or "").strip()
    rows, total = [], 0
    if q:
        qs = search_households(user, q).prefetch_related("memberships__person")
        total = qs.count()
        rows = [choice(h) for h in qs[:LIMIT]]
    if chosen and str(chosen).isdigit() and all(str(r["pk"]) != str(chosen) for r in rows):
        from doudi.registry.models import Household

        found = access.scope_queryset(user, Household.objects.filter(pk=int(chosen)))
        rows = [choice(h) for h in found.prefetch_related("memberships__person")] + rows
    return rows, total


class HouseholdPicker(forms.Widget):
    """Search-and-choose for a household id (see the module's docstring)."""

    template_name = "registry/widgets/household_picker.html"

    def __init__(self, user: Any = None, query: str = "", attrs: dict | None = None):
        super().__init__(attrs)
        self.user, self.query = user, query or ""

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        ctx = super().get_context(name, value, attrs)
        rows, total = choices(self.user, self.query, value)
        chosen = next((r for r in rows if str(r["pk"]) == str(value)), None) if value not in (None, "") else None
        ctx["widget"].update({"q": self.query, "rows": rows, "total": total, "limit": LIMIT, "chosen": chosen,
                              "value": "" if value is None else str(value), "pick_url": reverse("registry:household_pick"),
                              "search": SEARCH})
        return ctx

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data


def use_picker(form: forms.Form, user: Any, data: Any, field: str = "household_id") -> forms.Form:
    """Give ``form``'s household field the picker, searching what the user typed (``<field>_q``)."""
    data = data or {}
    f = form.fields[field]
    f.widget = HouseholdPicker(user=user, query=data.get(f"{field}_q", ""))
    return form


def searching(request: Any) -> bool:
    """Whether the request is the picker's 查找 (re-render with the choices; act on nothing)."""
    return SEARCH in request.POST or SEARCH in request.GET


def quiet(form: forms.Form) -> forms.Form:
    """A bound form shown again for a search: what was typed stays, no field is reported missing."""
    form._errors = ErrorDict()
    form.cleaned_data = {}
    return form


class PickForm(forms.Form):
    """A form of its own around the picker (GET: the first step of a page that needs a household)."""

    household = forms.IntegerField(label="家庭", required=False)

    def __init__(self, user: Any, data: Any = None, **kwargs: Any):
        super().__init__(data, **kwargs)
        use_picker(self, user, data, field="household")


def picked_household(request: Any, posted: str = "household_id", query: str = "household") -> Any:
    """The household a two-step page works on: posted with its form (``household_id``), or chosen
    in the first step (``?household=``), through the access layer (404 outside the user's areas);
    None while the user is still searching."""
    from doudi.accounts import access

    if searching(request):
        return None
    hid = request.POST.get(posted) or request.GET.get(query)
    return access.access_household(request.user, hid) if hid and str(hid).isdigit() else None
