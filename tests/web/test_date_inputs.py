"""Every date input renders its value as YYYY-MM-DD, the only form <input type="date"> takes (issue 9, item 2).

One format setting serves them all (settings.FORMAT_MODULE_PATH → doudi/web/formats/zh_Hans): the
registry's forms start with today's date filled in, and every DateField of every form module of
the application renders a date the same way.
"""

import datetime as dt
import importlib
import pkgutil
import re

import pytest
from django import forms

import doudi

pytestmark = pytest.mark.django_db


def _date_values(html: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r'<input type="date"[^>]*?value="([^"]*)"', html)]


def test_the_registry_forms_start_with_today_as_yyyy_mm_dd(client_for, huining_caseworker, huining_household):
    today = dt.date.today().isoformat()
    c = client_for(huining_caseworker)
    for url in ("/registry/households/new/", f"/registry/households/{huining_household.pk}/members/new/"):
        html = c.get(url).content.decode()
        assert _date_values(html) == [today], url
        assert "/" not in _date_values(html)[0]


def _form_modules():
    for info in pkgutil.walk_packages(doudi.__path__, "doudi."):
        if info.name.endswith(".forms") or info.name.endswith(".views"):
            yield importlib.import_module(info.name)


def test_every_date_field_of_every_form_renders_yyyy_mm_dd():
    seen = 0
    for module in _form_modules():
        for obj in vars(module).values():
            if not (isinstance(obj, type) and issubclass(obj, forms.BaseForm)) or obj.__module__ != module.__name__:
                continue
            for name, field in obj.base_fields.items():
                if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
                    html = field.widget.render(name, field.prepare_value(dt.date(2026, 12, 3)))
                    month = getattr(field.widget, "input_type", "") == "month"
                    assert ('value="2026-12"' if month else 'value="2026-12-03"') in html, f"{obj.__name__}.{name}"
                    seen += 1
    assert seen >= 20  # the procedures' step forms, the registry's, the lists' filters, benefits, verification


def test_a_date_typed_the_other_ways_is_still_accepted():
    f = forms.DateField()
    assert f.clean("2026-12-03") == f.clean("2026/12/03") == dt.date(2026, 12, 3)
