"""Every list (households, 低保 / 特困 / 临时救助 cases, benefits) through one mechanism: filters by
state, village, date range and a search word; pages on the server; Excel export with masked ID
numbers, audited, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.accounts.models import AuditEntry

from .conftest import HUINING_VILLAGE, OTHER_HUINING_VILLAGE
from .xlsx_reader import read

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OTHER_VILLAGE_SAME_TOWN = "620422100202"


@pytest.fixture
def two_cases(calendar, huining_caseworker, huining_household, make_household):
    """Two 低保 cases of one township in two villages, submitted on different days, one accepted."""
    from doudi.cases import services as cases

    second = make_household(OTHER_VILLAGE_SAME_TOWN, "rural", [("王秀兰", "self", dt.date(1950, 4, 4), "F", {})])
    a = cases.submit_application(huining_caseworker, huining_household.pk, on=dt.date(2026, 3, 2))
    b = cases.submit_application(huining_caseworker, second.pk, on=dt.date(2026, 5, 6))
    cases.accept(huining_caseworker, b.pk, on=dt.date(2026, 5, 6))
    return a, b


def _numbers(page: str, cases) -> set[str]:
    return {c.number for c in cases if c.number in page}


def test_the_case_list_filters_by_state_village_date_and_word(client_for, huining_caseworker, two_cases):
    a, b = two_cases
    c = client_for(huining_caseworker)
    get = lambda **q: c.get("/cases/", q).content.decode()  # noqa: E731
    assert _numbers(get(), two_cases) == {a.number, b.number}
    assert _numbers(get(state="accepted"), two_cases) == {b.number}
    assert _numbers(get(village=OTHER_VILLAGE_SAME_TOWN), two_cases) == {b.number}
    page = get(start="2026-04-01")
    assert _numbers(page, two_cases) == {b.number}
    assert 'value="2026-04-01"' in page  # the date filter keeps its value in the form a date input takes
    assert _numbers(get(end="2026-04-01"), two_cases) == {a.number}
    assert _numbers(get(q="王秀兰"), two_cases) == {b.number}
    assert _numbers(get(q="zjg"), two_cases) == {a.number}  # pinyin initials of a member, 张建国
    assert _numbers(get(q=a.number[-6:]), two_cases) == {a.number}  # part of the case number
    head = a.household.head
    assert _numbers(get(q=head.id_number[:6] + "********" + head.id_number[-4:]), two_cases) == {a.number}


def test_a_wrong_date_range_is_said_in_chinese_and_the_list_stays(client_for, huining_caseworker, two_cases):
    page = client_for(huining_caseworker).get("/cases/", {"start": "2026-06-01", "end": "2026-01-01"}).content.decode()
    assert "截止日期不能早于起始日期" in page and two_cases[0].number in page


def test_lists_page_on_the_server(monkeypatch, client_for, huining_caseworker, two_cases):
    from doudi.web import lists

    monkeypatch.setattr(lists, "PAGE_SIZE", 1)
    c = client_for(huining_caseworker)
    first, second = c.get("/cases/").content.decode(), c.get("/cases/", {"page": 2}).content.decode()
    assert len(_numbers(first, two_cases)) == 1 and len(_numbers(second, two_cases)) == 1
    assert _numbers(first, two_cases) != _numbers(second, two_cases)
    assert "第 1 / 2 页" in first and "page=2" in first


def test_htmx_filters_swap_only_the_rows(client_for, huining_caseworker, two_cases):
    part = client_for(huining_caseworker).get("/cases/", {"state": "accepted"}, HTTP_HX_REQUEST="true").content.decode()
    assert part.startswith('<div id="list-rows">') and "<html" not in part and two_cases[1].number in part


def test_the_export_masks_id_numbers_guards_against_formulas_and_is_audited(client_for, huining_caseworker,
                                                                          make_household, baotou_household):
    hh = make_household(HUINING_VILLAGE, "urban", [("赵大", "self", dt.date(1970, 1, 1), "M", {})])
    hh.address = '=HYPERLINK("http://example.invalid","点此")'
    hh.save()
    r = client_for(huining_caseworker).get("/registry/households/", {"format": "xlsx", "reason": "季度核查"})
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    rows = read(r.content)
    head = [cell["text"] for cell in rows[0]]
    assert head[:4] == ["户号", "户主", "户主身份证号", "人数"]
    (row,) = [x for x in rows[1:] if x[0]["text"] == hh.number]  # the Baotou household is not exported
    person = hh.head
    assert row[2]["text"] == person.masked_id and person.id_number not in r.content.decode("latin-1")
    address = row[head.index("住址")]
    assert address["text"].startswith("=HYPERLINK") and address["quoted"] and not address["formula"]
    assert row[head.index("人数")]["number"] and row[head.index("人数")]["text"] == "1"
    assert not any(x[0]["text"] == baotou_household.number for x in rows)
    (entry,) = AuditEntry.objects.filter(kind="export", action="households.export")
    assert entry.user == huining_caseworker and entry.reason == "季度核查" and entry.detail["rows"] == 1


def test_amounts_are_exported_as_exact_numbers(client_for, huining_caseworker, huining_approver, two_cases):
    from doudi.benefits.models import Benefit
    from doudi.benefits.services import start_benefit

    a, _ = two_cases
    start_benefit(huining_approver, household=a.household, program="dibao", amount_fen=65400,
                  start_month=dt.date(2026, 4, 1))
    r = client_for(huining_caseworker).get("/benefits/list/", {"format": "xlsx"})
    rows = read(r.content)
    col = [cell["text"] for cell in rows[0]].index("金额（元）")
    assert rows[1][col] == {"text": "654.00", "number": True, "quoted": False, "formula": False}  # 65400 fen
    assert Benefit.objects.count() == 1


def test_roles_without_export_cannot_export(client_for, huining_village_assistant, supervisor, two_cases):
    for user in (huining_village_assistant, supervisor):
        assert client_for(user).get("/cases/", {"format": "xlsx"}).status_code == 403
    assert not AuditEntry.objects.filter(kind="export").exists()


def test_another_townships_rows_are_in_no_list(client_for, other_town_caseworker, two_cases, make_household):
    make_household(OTHER_HUINING_VILLAGE, "urban", [("冯一", "self", dt.date(1970, 1, 1), "M", {})])
    c = client_for(other_town_caseworker)
    assert not _numbers(c.get("/cases/").content.decode(), two_cases)
    rows = read(c.get("/cases/", {"format": "xlsx"}).content)
    assert len(rows) == 1  # the heading only
    for url in ("/support/cases/", "/relief/cases/", "/benefits/list/", "/registry/households/"):
        assert c.get(url).status_code == 200
