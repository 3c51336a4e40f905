"""The payments pages: build → review → release (two users) → export → results → re-issue, the accounts,
the household file's payments, the funds page, bad input as a Chinese form error, scoping."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from doudi.payments import report_figures
from doudi.payments import services as s
from doudi.payments.models import Account, Payment, Roll

from .conftest import card

JAN, FEB = dt.date(2027, 1, 1), dt.date(2027, 2, 1)


def test_walk_through_the_pages(huining_household, start, account_for, client_for, huining_finance,
                                huining_finance_2, calendar):
    start(huining_household, 150000, JAN)
    account_for(huining_household, 1)
    f1, f2 = client_for(huining_finance), client_for(huining_finance_2)
    page = f1.get("/payments/worklist/")
    assert page.status_code == 200 and "生成发放花名册" in page.content.decode()
    r = f1.post("/payments/rolls/build/", {"county": "620422", "month": "2027-01"})
    roll = Roll.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/payments/rolls/{roll.pk}/")
    body = f1.get(f"/payments/rolls/{roll.pk}/").content.decode()
    assert "1500.00" in body and "张建国" in body and card(n=1) not in body  # the number masked on the page
    f1.post(f"/payments/rolls/{roll.pk}/review/", {"version": roll.version + 0})
    roll.refresh_from_db()
    assert roll.state == "reviewed"
    assert 'id="release"' not in f1.get(f"/payments/rolls/{roll.pk}/").content.decode()  # not by the reviewer
    f2.post(f"/payments/rolls/{roll.pk}/release/", {"version": roll.version})
    roll.refresh_from_db()
    assert roll.state == "released"
    r = f2.post(f"/payments/rolls/{roll.pk}/export/", {"template": "csv"})
    assert r.status_code == 200 and card(n=1) in r.content.decode("gb18030")
    assert "6228" not in r["Content-Disposition"]
    p = Payment.objects.get(roll=roll)
    result = f"序号,账号,户名,金额,结果,原因\r\n{p.seq},{p.account.number},张建国,1500.00,失败,户名不符\r\n".encode("gb18030")
    f2.post(f"/payments/rolls/{roll.pk}/results/", {"file": SimpleUploadedFile("回盘.csv", result)})
    p.refresh_from_db()
    assert p.state == "failed"
    assert "退票" in f1.get(f"/payments/rolls/{roll.pk}/").content.decode()
    assert f1.get(f"/payments/rolls/{roll.pk}/roll.xlsx").status_code == 200
    assert f1.get(f"/payments/rolls/{roll.pk}/reconciliation.xlsx").status_code == 200
    assert "大写" in f1.get(f"/payments/rolls/{roll.pk}/print/").content.decode()
    # the household file shows the payment and its state
    file = f1.get(f"/registry/households/{huining_household.pk}/").content.decode()
    assert "资金发放" in file and "退票" in file
    # re-issued in February
    f1.post("/payments/rolls/build/", {"county": "620422", "month": "2027-02"})
    feb = Roll.objects.get(month=FEB)
    assert feb.total_fen == 300000
    # the reports' paid figures: January's returned record does not count until re-issued and released
    assert list(report_figures.monthly_paid(JAN, FEB)) == []


def test_bad_month_is_a_form_error(client_for, huining_finance):
    r = client_for(huining_finance).post("/payments/rolls/build/", {"county": "620422", "month": "一月"})
    assert r.status_code == 400 and "发放月份应写作 年-月" in r.content.decode()
    assert not Roll.objects.exists()


def test_account_form_and_confirmation(huining_household, client_for, huining_caseworker, huining_finance):
    c = client_for(huining_caseworker)
    url = f"/payments/accounts/new/{huining_household.pk}/"
    assert c.get(url).status_code == 200
    r = c.post(url, {"holder_kind": "self", "holder_name": "张建国", "bank": "ABC", "number": "123"})
    assert r.status_code == 400 and "19 位" in r.content.decode()
    r = c.post(url, {"holder_kind": "self", "holder_name": "张建国", "bank": "ABC", "number": card(n=3)})
    assert r.status_code == 302
    a = Account.objects.get()
    page = c.get(f"/payments/accounts/{a.pk}/").content.decode()
    assert 'id="confirm-account"' not in page  # not by the one who entered it
    client_for(huining_finance).post(f"/payments/accounts/{a.pk}/", {"act": "confirm"})
    a.refresh_from_db()
    assert a.state == "active"
    listing = client_for(huining_finance).get("/payments/accounts/").content.decode()
    assert a.masked in listing and a.number not in listing


def test_other_areas_see_nothing(huining_household, start, account_for, client_for, huining_finance,
                                 baotou_caseworker):
    start(huining_household, 150000, JAN)
    account_for(huining_household, 1)
    roll = s.build_roll(huining_finance, "620422", JAN)
    c = client_for(baotou_caseworker)
    assert c.get(f"/payments/rolls/{roll.pk}/").status_code == 404
    assert c.get("/payments/worklist/").status_code == 403


def test_funds_page_budget_warning(huining_household, start, account_for, client_for, huining_finance):
    c = client_for(huining_finance)
    r = c.post("/payments/funds/", {"county": "620422", "year": 2027, "program": "dibao", "level": "county",
                                    "amount": "1000.00"})
    assert r.status_code == 302
    c.post("/payments/funds/", {"county": "620422", "year": 2027, "program": "disaster", "level": "central",
                                "amount": "700.00"})
    start(huining_household, 150000, JAN)
    account_for(huining_household, 1)
    roll = s.build_roll(huining_finance, "620422", JAN)
    assert any("将超出预算 500.00 元" in w for w in roll.warnings)
    page = c.get("/payments/funds/?year=2027").content.decode()
    # DR-3: of a 700.00 disaster budget the city and the county each owe 15% = 105.00
    assert "市级应承担 15%（105.00 元）" in page


def test_reports_read_the_released_rolls(huining_household, make_household, start, account_for, huining_finance,
                                         huining_finance_2, calendar):
    """The reports' paid amounts: a released roll's lines where the county-month has one (PR-8)."""
    start(huining_household, 150000, JAN)
    account_for(huining_household, 1)
    roll = s.build_roll(huining_finance, "620422", JAN)
    assert report_figures.covered_months(JAN, FEB) == set()
    s.review_roll(huining_finance, roll.pk)
    s.release_roll(huining_finance_2, roll.pk)
    assert report_figures.covered_months(JAN, FEB) == {("620422", JAN)}
    assert list(report_figures.monthly_paid(JAN, FEB)) == [("620422100201", JAN, "dibao", "urban", 150000)]


def test_signed_roll_as_pdf(huining_household, start, account_for, client_for, huining_finance):
    from doudi.accounts.models import AuditEntry

    start(huining_household, 150000, JAN)
    account_for(huining_household, 1)
    roll = s.build_roll(huining_finance, "620422", JAN)
    r = client_for(huining_finance).get(f"/payments/rolls/{roll.pk}/print/?format=pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content[:4] == b"%PDF"
    assert AuditEntry.objects.filter(action="roll.pdf").count() == 1
    html = client_for(huining_finance).get(f"/payments/rolls/{roll.pk}/print/").content.decode()
    assert "壹仟伍佰元整" in html  # 1500.00 in capital numerals


def test_refusals_come_back_beside_their_buttons(huining_household, start, account_for, client_for, huining_finance,
                                                 huining_finance_2, huining_caseworker, calendar):
    """Four eyes and stale pages on the roll and account pages, answered on the page itself (doudi.procedure
    .views.attempt_button), never as a message on the next page: 发放 by the reviewer (403, refused where the
    buttons are), 审核通过 of a roll already reviewed (from a page opened before), a result file whose
    total does not add up (the line and reason beside the form, nothing applied), 复核通过 of one's own
    account entry."""
    start(huining_household, 150000, JAN)
    account_for(huining_household, 1)
    f1, f2 = client_for(huining_finance), client_for(huining_finance_2)
    f1.post("/payments/rolls/build/", {"county": "620422", "month": "2027-01"})
    roll = Roll.objects.get()
    version = roll.version
    assert f1.post(f"/payments/rolls/{roll.pk}/review/", {"version": version}).status_code == 302
    again = f2.post(f"/payments/rolls/{roll.pk}/review/", {"version": version})  # a page opened before
    assert again.status_code in (400, 409) and 'role="alert"' in again.content.decode()
    own = f1.post(f"/payments/rolls/{roll.pk}/release/", {"version": Roll.objects.get().version})
    body = own.content.decode()
    assert own.status_code in (400, 403) and 'role="alert"' in body and 'id="roll-state"' in body
    assert Roll.objects.get().state == "reviewed"
    f2.post(f"/payments/rolls/{roll.pk}/release/", {"version": Roll.objects.get().version})
    assert Roll.objects.get().state == "released"
    p = Payment.objects.get(roll=roll)
    bad = (f"序号,账号,户名,金额,结果,原因\r\n{p.seq},{p.account.number},张建国,1499.00,成功,\r\n").encode("gb18030")
    r = f2.post(f"/payments/rolls/{roll.pk}/results/", {"file": SimpleUploadedFile("回盘.csv", bad)})
    form = r.content.decode()
    form = form[form.index('enctype="multipart/form-data"'):]
    assert r.status_code == 400 and "errorlist" in form[:form.index("</form>")]
    p.refresh_from_db()
    assert p.state == "due"  # nothing applied
    c = client_for(huining_caseworker)
    c.post(f"/payments/accounts/new/{huining_household.pk}/",
           {"holder_kind": "self", "holder_name": "张建国", "bank": "ABC", "number": card(n=3)})
    a = Account.objects.get(state="pending")
    mine = c.post(f"/payments/accounts/{a.pk}/", {"act": "confirm"})
    assert mine.status_code in (400, 403) and 'role="alert"' in mine.content.decode()
    a.refresh_from_db()
    assert a.state == "pending"
