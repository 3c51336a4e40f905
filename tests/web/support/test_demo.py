"""`doudi demo` puts 特困 and temporary-assistance cases into the demo township."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_has_support_and_relief_cases_in_their_states():
    from doudi.relief import demo as relief_demo
    from doudi.relief.models import ReliefCase
    from doudi.support import demo as support_demo
    from doudi.support.models import SupportCase
    from doudi.web import demo

    demo.ensure_users()
    demo.ensure_population()
    assert support_demo.populate()
    assert relief_demo.populate()
    assert set(SupportCase.objects.values_list("state", flat=True)) == {
        "submitted", "accepted", "investigated", "in_notice", "at_county", "approved", "ending"}
    assert set(ReliefCase.objects.values_list("state", flat=True)) == {
        "urgent", "paying", "closed", "submitted", "investigated", "refused"}
    assert SupportCase.objects.filter(assessments__assessed_on__isnull=True).exists()  # a reassessment pending
    assert "已存在" in support_demo.populate() and "已存在" in relief_demo.populate()  # idempotent
