"""issue 9: a one-off grant paid in full shows its approved total (not 0.00), the case that decided it
(not "relief.decision #4") and a state in words (已发放完毕, never 在保), on its page and in the list."""

from __future__ import annotations

import pytest

from doudi.relief import services as s

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_a_one_off_grant_paid_in_full_keeps_its_total_and_names_its_case(urgent, huining_reviewer, huining_finance,
                                                                         huining_approver, client_for):
    from doudi.benefits.models import Benefit

    case = urgent(amount="800")  # within the township's ceiling: the reviewer approves (NAT-TA-FIRST)
    s.approve(huining_reviewer, case.pk, on=DAY)
    case.refresh_from_db()
    s.pay_stage(huining_finance, case.pk, version=case.version, on=DAY)
    b = Benefit.objects.get(program="temporary")
    c = client_for(huining_approver)
    page = c.get(f"/benefits/{b.pk}/").content.decode()
    assert "800.00 元" in page and case.number in page and "relief.decision" not in page
    assert ("已发放完毕" if not b.live else "分次发放中") in page and "<dd>在保</dd>" not in page
    rows = c.get("/benefits/list/").content.decode()
    assert "800.00" in rows and "在保" not in rows.split("<tbody")[1]
