"""The warning list's search (doudi/monitoring/lists.py ``search``): what a word finds, within the
user's area; and on PostgreSQL that each part of it can use its trigram index (migration 0005)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from tests.web.monitoring.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def warnings(worker, make_household):
    """Four warnings raised through services.raise_alert, the one way the app writes them:
    the worker household's MW-MEDICAL and MW-ILLNESS (head 王力, member 刘芳), a village report about
    赵大山 with no household, and MW-MEDICAL on a household of another township (head 王力军)."""
    from doudi.monitoring.services import raise_alert

    other = make_household("620422101201", "rural", [("王力军", "self", DAY.replace(year=1970), "M", {})])
    return {
        "medical": raise_alert(rule="MW-MEDICAL", household=worker, region=worker.region_code, key="a",
                               detail="政策范围内个人自付医疗费用较高", on=DAY),
        "illness": raise_alert(rule="MW-ILLNESS", household=worker, region=worker.region_code, key="b",
                               detail="卫健部门报告患重病", on=DAY),
        "report": raise_alert(rule="MW-VILLAGE", region="620422100201", detail="房屋漏雨，老人独居", on=DAY,
                              subject_name="赵大山"),
        "other": raise_alert(rule="MW-MEDICAL", household=other, region=other.region_code, key="c",
                             detail="政策范围内个人自付医疗费用较高", on=DAY),
    }


def found(user, q):
    from doudi.monitoring.lists import ALERTS, search

    return set(search(user, ALERTS.rows(user), q).values_list("pk", flat=True))


def test_a_word_finds_names_texts_and_rule_ids_in_the_users_area(warnings, huining_caseworker, huining_approver):
    w = {k: a.pk for k, a in warnings.items()}
    town, county = huining_caseworker, huining_approver
    # a member's name finds the household's warnings; 王力 is also inside 王力军, of the other township,
    # which the township's caseworker does not see and the county's approver does
    assert found(town, "刘芳") == {w["medical"], w["illness"]}
    assert found(town, "王力") == {w["medical"], w["illness"]}
    assert found(county, "王力") == {w["medical"], w["illness"], w["other"]}
    assert found(county, "王力军") == {w["other"]}
    # the village report's subject, and a word of a warning's text
    assert found(town, "赵大山") == {w["report"]}
    assert found(town, "漏雨") == {w["report"]}
    assert found(county, "个人自付") == {w["medical"], w["other"]}
    # a rule id, in any case, in part
    assert found(town, "mw-illness") == {w["illness"]}
    assert found(county, "MEDICAL") == {w["medical"], w["other"]}
    assert found(town, "无此人") == set()


def test_many_matches_take_the_other_path_with_the_same_result(warnings, huining_approver, monkeypatch):
    """More households than HOUSEHOLD_IDS go to the database as a subquery; on SQLite more warnings
    than SQLITE_IDS are not named by id: the same warnings are found."""
    from doudi.monitoring import lists

    w = {k: a.pk for k, a in warnings.items()}
    monkeypatch.setattr(lists, "HOUSEHOLD_IDS", 1)
    monkeypatch.setattr(lists, "SQLITE_IDS", 1)
    assert found(huining_approver, "王力") == {w["medical"], w["illness"], w["other"]}
    assert found(huining_approver, "医疗") == {w["medical"], w["other"]}


def test_the_list_page_searches_with_it(warnings, client_for, huining_caseworker):
    page = client_for(huining_caseworker).get(reverse("monitoring:warnings") + "?q=赵大山").content.decode()
    assert f'/warnings/{warnings["report"].pk}/' in page
    assert f'/warnings/{warnings["medical"].pk}/' not in page


on_pg = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm indexes are PostgreSQL's")


@on_pg
def test_the_trigram_indexes_exist_and_serve_the_search(warnings, huining_approver):
    """With so few rows the planner would read the tables (or walk a primary key); with sequential and
    plain index scans priced out, the plan shows that each name part of the query Django generates
    matches its trigram index's expression."""
    with connection.cursor() as cur:
        cur.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'monitoring_%%_trgm'")
        assert {r[0] for r in cur.fetchall()} == {"monitoring_alert_subject_trgm", "monitoring_alert_detail_trgm",
                                                  "monitoring_person_name_trgm"}
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("SET LOCAL enable_indexscan = off")
    # the search's two text lookups, as Django writes them (col::text LIKE '%word%'), combined by a
    # BitmapOr with the household part (household_id = ANY(…), the household index); in the whole
    # query on this tiny table the planner prefers the area's region index
    from django.db.models import Q

    from doudi.monitoring.models import Alert

    hh = warnings["medical"].household_id
    plan = Alert.objects.filter(Q(household_id__in=[hh]) | Q(subject_name__contains="赵大山")
                                | Q(detail__contains="赵大山")).explain()
    assert "BitmapOr" in plan, plan
    for index in ("monitoring_alert_subject_trgm", "monitoring_alert_detail_trgm", "monitoring_alert_household_id"):
        assert f"Bitmap Index Scan on {index}" in plan, plan
    assert found(huining_approver, "赵大山") == {warnings["report"].pk}
    # the household part's name lookup (registry.person_q, as search_households makes it); in the
    # whole query the planner drives this tiny table from the memberships instead
    from doudi.registry.models import Person
    from doudi.registry.services import person_q

    plan = Person.objects.filter(person_q("赵大山", prefix="")).explain()
    assert "Bitmap Index Scan on monitoring_person_name_trgm" in plan, plan
