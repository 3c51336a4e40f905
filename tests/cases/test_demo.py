"""`doudi demo` puts 低保 cases in every state into the demo population."""

from __future__ import annotations

import pytest

from doudi.cases.procedure import State

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_case_in_every_state(settings):
    from doudi.cases import demo as cases_demo
    from doudi.cases.models import Case
    from doudi.web import demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.ensure_users()
    demo.ensure_population()
    summary = cases_demo.populate()
    assert summary
    states = set(Case.objects.values_list("state", flat=True))
    assert states == {s.value for s in State}
    assert "已存在" in cases_demo.populate()  # idempotent
