"""Two sessions taking the same step at once take effect once (row lock on the case, version check).

Runs on PostgreSQL (DOUDI_DB=postgres): two threads, each with its own database connection.
"""

from __future__ import annotations

import pytest
from concurrency_kit import at_once
from django.db import connection

from doudi.relief import services as s
from doudi.relief.models import Stage
from doudi.relief.procedure import ProcedureError

from .conftest import DAY

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two concurrent sessions need PostgreSQL"),
]


def test_a_double_click_on_pay_pays_one_stage(urgent, huining_approver, huining_finance):
    case = urgent(amount="3000", stages=["1000", "2000"])
    s.approve(huining_approver, case.pk, on=DAY)
    case.refresh_from_db()
    results = at_once(lambda: s.pay_stage(huining_finance, case.pk, version=case.version, on=DAY),
                      lambda: s.pay_stage(huining_finance, case.pk, version=case.version, on=DAY))
    assert sum(isinstance(r, Stage) for r in results) == 1, results
    assert sum(isinstance(r, ProcedureError) for r in results) == 1, results
    assert list(case.stages.values_list("paid_on", flat=True)) == [DAY, None]


def test_two_approvers_at_once_approve_once(urgent, huining_approver, huining_approver_2):
    case = urgent(amount="3000")
    results = at_once(lambda: s.approve(huining_approver, case.pk, on=DAY),
                      lambda: s.approve(huining_approver_2, case.pk, on=DAY))
    assert sum(isinstance(r, ProcedureError) for r in results) == 1, results
    assert case.events.filter(action="approve").count() == 1
    assert case.stages.count() == 1


def test_two_townships_helping_one_unregistered_person_at_once_register_one_person(huining_caseworker,
                                                                                   other_town_caseworker):
    """NAT-TA-FIRST: two emergencies of a person not in the registry, registered at the same moment in two
    townships: one registry person (the ID number is unique), two cases, each in its own township."""
    from doudi.registry.models import Person
    from doudi.relief.models import ReliefCase

    from ..conftest import BAOTOU_TOWN, make_id_number

    number = make_id_number("150202")

    def help_(user):
        return lambda: s.help_first_person(user, id_number=number, name="孟过客", home_region=BAOTOU_TOWN,
                                           residence="urban", kind="traffic_accident", description="交通事故",
                                           simplified_check="现场查看", amount="500", reasoning="滞留无力返乡", on=DAY)

    results = at_once(help_(huining_caseworker), help_(other_town_caseworker))
    assert all(isinstance(r, ReliefCase) for r in results), results
    person = Person.objects.get(id_number=number)
    assert not person.memberships.exists()
    assert sorted(ReliefCase.objects.filter(person=person).values_list("region", flat=True)) == [
        "620422100", "620422101"]


def test_one_id_number_under_two_names_at_once_registers_one_and_refuses_the_other(huining_caseworker,
                                                                                  other_town_caseworker):
    """The registry compares the name also when the other session registered the person at the same
    moment; the refusal does not say the registered name."""
    from doudi.procedure.flow import ProcedureError
    from doudi.registry.models import Person
    from doudi.relief.models import ReliefCase

    from ..conftest import BAOTOU_TOWN, make_id_number

    number = make_id_number("150202")

    def help_(user, name):
        return lambda: s.help_first_person(user, id_number=number, name=name, home_region=BAOTOU_TOWN,
                                           residence="urban", kind="traffic_accident", description="交通事故",
                                           simplified_check="现场查看", amount="500", reasoning="滞留无力返乡", on=DAY)

    results = at_once(help_(huining_caseworker, "孟过客"), help_(other_town_caseworker, "孟旅人"))
    cases = [r for r in results if isinstance(r, ReliefCase)]
    refused = [r for r in results if isinstance(r, ProcedureError)]
    assert len(cases) == 1 and len(refused) == 1, results
    registered = Person.objects.get(id_number=number).name
    assert cases[0].person.name == registered
    assert refused[0].field == "name" and "孟" not in refused[0].message


def test_two_answers_to_one_home_notice_at_once_are_recorded_once(huining_caseworker, huining_reviewer,
                                                                  baotou_caseworker, baotou_household):
    head = baotou_household.head
    case = s.help_first_person(huining_caseworker, id_number=head.id_number, name=head.name, kind="fire",
                               description="失火", simplified_check="现场查看", amount="500", reasoning="住房烧毁", on=DAY)
    s.approve(huining_reviewer, case.pk, on=DAY)
    n = case.home_notices.get()
    results = at_once(lambda: s.acknowledge_notice(baotou_caseworker, n.pk, reply="甲", version=n.version, on=DAY),
                      lambda: s.acknowledge_notice(baotou_caseworker, n.pk, reply="乙", version=n.version, on=DAY))
    assert sum(isinstance(r, ProcedureError) for r in results) == 1, results
    n.refresh_from_db()
    assert n.reply in ("甲", "乙") and n.version == 1
