"""In a real browser: build a roll → review (杨财务) → release by a second finance user (钱财务) → export
the bank file → import the bank's result with a failed record → the caseworker enters a new account, a
second user confirms it → next month's roll re-issues the amount. Screenshots under test-artifacts/payments/."""

from __future__ import annotations

import datetime as dt
import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

ARTIFACTS = ROOT / "test-artifacts" / "payments"
JAN = dt.date(2027, 1, 1)

pytestmark = [pytest.mark.usefixtures("close_other_sessions"), pytest.mark.django_db(transaction=True),
              needs_chromium]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


def test_build_review_release_export_results_reissue(browser, live_server, tmp_path, calendar, huining_household,
                                                     start, account_for, huining_finance, huining_finance_2,
                                                     huining_caseworker):
    from doudi.payments.models import Account, Payment, Roll
    from web.conftest import PASSWORD

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    base = live_server.url
    start(huining_household, 150000, JAN)
    account_for(huining_household, 1)
    f1 = Session(browser, base, "huining_finance", PASSWORD, shots)
    f1.goto("/payments/worklist/", "worklist")
    f1.page.select_option("#id_county", "620422")
    f1.page.fill("#id_month", "2027-01")
    f1.page.click("#build")
    f1.page.wait_for_selector("#roll-state")
    f1.shot("built")
    assert f1.page.inner_text("#roll-total") == "1500.00"
    f1.page.click("#review")
    f1.page.wait_for_selector("text=已审核，待发放")
    assert f1.page.locator("#release").count() == 0  # the reviewer may not release
    f1.shot("reviewed")
    roll = Roll.objects.get()

    f2 = Session(browser, base, "huining_finance_2", PASSWORD, shots)
    f2.goto(f"/payments/rolls/{roll.pk}/", "to-release")
    f2.page.click("#release")
    f2.page.wait_for_selector("text=已发放（锁定）")
    f2.page.select_option("#id_template", "csv")
    with f2.page.expect_download() as dl:
        f2.page.click("#export")
    data = open(dl.value.path(), "rb").read()
    text = data.decode("gb18030")
    assert text.startswith("H,620422,202701,1,1500.00\r\n") and "张建国" in text
    f2.page.reload()
    f2.shot("exported")
    p = Payment.objects.get()
    result = tmp_path / "回盘.csv"
    result.write_bytes(f"序号,账号,户名,金额,结果,原因\r\n{p.seq},{p.account.number},张建国,1500.00,失败,账户已冻结\r\n"
                       .encode("gb18030"))
    f2.page.set_input_files("#id_file", str(result))
    f2.page.click("#import")
    f2.page.wait_for_selector("text=回盘已导入")
    assert f2.page.inner_text("#rec-failed") == "1500.00"
    f2.shot("results")

    cw = Session(browser, base, "huining_caseworker", PASSWORD, shots)
    cw.goto("/cases/worklist/", "caseworker-worklist")
    assert "退票：更正收款账户（账户已冻结）" in cw.page.content()
    cw.goto(f"/payments/accounts/new/{huining_household.pk}/", "new-account")
    cw.page.fill("#id_holder_name", "张建国")
    cw.page.select_option("#id_bank", "RCC")
    cw.page.fill("#id_number", "620422100201000888")
    cw.page.fill("#id_reason", "原账户冻结")
    cw.page.click("#save-account")
    cw.page.wait_for_url(lambda url: "/registry/households/" in url)
    cw.shot("household-file")
    assert "资金发放" in cw.page.content() and "退票" in cw.page.content()
    new = Account.objects.get(state="pending")
    f1.goto(f"/payments/accounts/{new.pk}/", "confirm-account")
    f1.page.click("#confirm-account")
    f1.page.wait_for_selector("#account-state:has-text('在用')")

    f1.goto("/payments/worklist/", "worklist-feb")
    f1.page.select_option("#id_county", "620422")
    f1.page.fill("#id_month", "2027-02")
    f1.page.click("#build")
    f1.page.wait_for_selector("#roll-state")
    f1.shot("reissued")
    assert f1.page.inner_text("#roll-total") == "3000.00"
    assert "退票重发" in f1.page.inner_text("#payments")
    assert len(shots) >= 8
