"""Deadlines in working days across the Spring Festival, National Day, and into a year not yet entered.

Expected dates are counted by hand from the State Council's notices (国办发明电〔2024〕12号 for 2025:
Spring Festival 1月28日–2月4日 off, 1月26日(日) and 2月8日(六) worked; National Day 10月1日–8日 off,
9月28日(日) and 10月11日(六) worked).
"""

import datetime as dt

import pytest

from doudi.workdays.calendar import add_working_days, is_working_day, working_days_between
from doudi.workdays.models import CalendarYear, SpecialDay

D = dt.date
pytestmark = pytest.mark.django_db


def test_a_deadline_counts_the_sunday_worked_before_the_spring_festival_and_skips_the_holiday():
    # from Fri 2025-01-24: Sat 25 off, Sun 26 worked (1), Mon 27 (2), 28 Jan–4 Feb off, Wed 5 Feb (3)
    d = add_working_days(D(2025, 1, 24), 3)
    assert d.date == D(2025, 2, 5)
    assert d.warning is None


def test_ten_working_days_across_the_spring_festival():
    # from Mon 2025-01-20: 21,22,23,24 (4), Sun 26 (5), 27 (6), holiday to 4 Feb, 5,6,7 (9), Sat 8 Feb worked (10)
    assert add_working_days(D(2025, 1, 20), 10).date == D(2025, 2, 8)


def test_a_deadline_across_national_day_skips_the_eight_days_off():
    # from Tue 2025-09-30: 1–8 Oct off, Thu 9 (1), Fri 10 (2), Sat 11 worked (3)
    assert add_working_days(D(2025, 9, 30), 3).date == D(2025, 10, 11)
    # from Fri 2025-09-26: Sat 27 off, Sun 28 worked (1), Mon 29 (2)
    assert add_working_days(D(2025, 9, 26), 2).date == D(2025, 9, 29)


def test_zero_working_days_is_the_start_day():
    assert add_working_days(D(2025, 10, 3), 0).date == D(2025, 10, 3)


def test_a_deadline_into_2027_counts_weekends_only_and_carries_a_warning():
    # 2027's schedule is not published: from Wed 2026-12-30: Thu 31 (1), Fri 2027-01-01 counted (2),
    # Sat 2, Sun 3 off, Mon 4 (3)
    d = add_working_days(D(2026, 12, 30), 3)
    assert d.date == D(2027, 1, 4)
    assert d.warning and "2027年" in d.warning and "尚未录入" in d.warning


def test_a_deadline_inside_an_entered_year_has_no_warning():
    assert add_working_days(D(2026, 3, 2), 5).warning is None


def test_entering_2027_removes_the_warning_and_moves_the_deadline():
    year = CalendarYear.objects.create(year=2027, source="测试：2027年元旦放假")
    SpecialDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦", year=year)
    # Thu 31 (1), Fri 1 Jan off, Mon 4 (2), Tue 5 (3)
    d = add_working_days(D(2026, 12, 30), 3)
    assert d.date == D(2027, 1, 5)
    assert d.warning is None


def test_is_working_day_knows_the_make_up_saturday_and_warns_for_2027():
    assert is_working_day(D(2025, 2, 8)) == (True, None)
    assert is_working_day(D(2025, 10, 1)) == (False, None)
    works, warning = is_working_day(D(2027, 2, 8))
    assert works is True and "2027" in warning


def test_working_days_between_counts_after_start_up_to_end():
    # 2025-09-26 (Fri) .. 2025-10-10 (Fri): Sun 28, Mon 29, Tue 30, Thu 9, Fri 10 = 5
    assert working_days_between(D(2025, 9, 26), D(2025, 10, 10)) == (5, None)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 1, 1), -1)


def test_the_administrator_can_edit_the_calendar_in_the_admin_and_the_change_is_audited(client_for, administrator):
    from doudi.accounts.models import AuditEntry

    c = client_for(administrator)
    assert c.get("/admin/workdays/calendaryear/").status_code == 200
    r = c.post("/admin/workdays/calendaryear/add/", {
        "year": "2027", "source": "国务院办公厅关于2027年部分节假日安排的通知",
        "days-TOTAL_FORMS": "1", "days-INITIAL_FORMS": "0", "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2027-01-01", "days-0-is_workday": "", "days-0-name": "元旦",
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    assert add_working_days(D(2026, 12, 31), 1).date == D(2027, 1, 4)
    assert AuditEntry.objects.filter(kind="parameter_change", action="calendar.year").exists()


def test_a_caseworker_cannot_edit_the_calendar(client_for, huining_caseworker):
    r = client_for(huining_caseworker).get("/admin/workdays/calendaryear/")
    assert r.status_code in (302, 403)


def test_the_deadline_api_returns_the_warning(client_for, huining_caseworker):
    r = client_for(huining_caseworker).get("/api/v1/workdays/deadline/", {"start": "2026-12-30", "n": 3})
    assert r.status_code == 200
    assert r.json()["date"] == "2027-01-04" and "2027" in r.json()["warning"]


def test_the_deadline_api_names_a_bad_field_in_chinese(client_for, huining_caseworker):
    r = client_for(huining_caseworker).get("/api/v1/workdays/deadline/", {"start": "30/12/2026", "n": 3})
    assert r.status_code == 400
    assert "起算日" in r.json()["start"][0]


def test_the_calendar_page_lists_the_spring_festival_and_warns_that_next_year_is_missing(client_for,
                                                                                       huining_caseworker):
    page = client_for(huining_caseworker).get("/workdays/", {"year": 2025}).content.decode()
    assert "春节" in page and "2025-02-08" in page
    if dt.date.today().year >= 2026:
        assert "2027年的法定节假日安排尚未录入" in page
