"""The smaller holes of issue 16 item 6: headers, the API document behind login, passwords like the
user name, 403 without traceback, CSV formula injection, audit areas of exports and file reads."""

import logging

import pytest

from doudi.accounts.models import AuditEntry

from ..conftest import HUINING, HUINING_TOWN

pytestmark = pytest.mark.django_db


def test_pages_of_a_logged_in_user_are_not_stored_and_carry_a_content_security_policy(client_for, huining_caseworker,
                                                                                       huining_household):
    r = client_for(huining_caseworker).get(f"/registry/households/{huining_household.pk}/")
    assert r.status_code == 200
    assert "no-store" in r["Cache-Control"] and "private" in r["Cache-Control"]
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
    api = client_for(huining_caseworker).get(f"/api/v1/households/{huining_household.pk}/")
    assert "no-store" in api["Cache-Control"]


def test_hsts_is_sent_under_https_only(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000  # what DOUDI_HTTPS=1 sets
    assert "Strict-Transport-Security" not in client.get("/login/")
    r = client.get("/login/", secure=True)
    assert r["Strict-Transport-Security"].startswith("max-age=31536000")


def test_https_setting_turns_hsts_on():
    import os
    import subprocess
    import sys

    code = "from doudi.web import settings as s; print(s.SECURE_HSTS_SECONDS)"
    env = {**os.environ, "DOUDI_HTTPS": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert int(out.stdout.strip()) >= 31536000


def test_the_api_document_and_its_docs_need_a_login(client, client_for, huining_caseworker):
    assert client.get("/api/schema/").status_code in (401, 403)
    assert client.get("/api/docs/").status_code in (401, 403)
    assert client_for(huining_caseworker).get("/api/schema/", {"format": "json"}).status_code == 200
    assert client_for(huining_caseworker).get("/api/docs/").status_code == 200


def test_a_password_like_the_user_name_is_refused(client_for, cast):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from doudi.accounts.models import User

    btsh = User.objects.create_user(username="btsh", password="Cast-Password-2026")
    for weak in ("btsh123456", "BTSH-2026-xyz", "123btsh456"):
        with pytest.raises(ValidationError) as e:
            validate_password(weak, btsh)
        assert "用户名" in " ".join(e.value.messages)
    validate_password("Huining-Window-77", btsh)
    c = client_for(btsh)
    r = c.post("/password/", {"old_password": "Cast-Password-2026", "new_password1": "btsh123456",
                              "new_password2": "btsh123456"})
    assert r.status_code == 200 and "用户名" in r.content.decode()


def test_a_403_is_logged_in_one_line_without_a_traceback(client_for, huining_village_assistant, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        r = client_for(huining_village_assistant).get("/registry/households/new/")
    assert r.status_code == 403
    records = [rec for rec in caplog.records if rec.name == "django.request"]
    assert records and all(rec.exc_info is None for rec in records)
    assert "Traceback" not in caplog.text


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(client_for, huining_caseworker, make_household):
    from doudi.web.lists import csv_cell

    assert csv_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert csv_cell("+1") == "'+1" and csv_cell("@SUM(A1)") == "'@SUM(A1)" and csv_cell("-2") == "'-2"
    assert csv_cell("张三") == "张三" and csv_cell(3) == 3
    import datetime as dt

    from doudi.registry.models import Household

    hh = make_household()
    Household.objects.filter(pk=hh.pk).update(address='=HYPERLINK("http://evil","点击")')
    r = client_for(huining_caseworker).get("/registry/households/export.csv")
    text = b"".join(r.streaming_content).decode("utf-8-sig") if r.streaming else r.content.decode("utf-8-sig")
    assert '\'=HYPERLINK(""http://evil""' in text and ',=HYPERLINK' not in text and '"=HYPERLINK' not in text
    assert dt  # noqa: B018


def test_the_notice_list_pdf_of_all_areas_is_audited_in_each_area(client_for, huining_approver, huining_caseworker):
    for user, area in ((huining_approver, HUINING), (huining_caseworker, HUINING_TOWN)):
        r = client_for(user).get("/cases/notices/", {"format": "pdf"})
        assert r.status_code == 200
        e = AuditEntry.objects.filter(action="document.notice_list.pdf", user=user).get()
        assert e.area == area


def test_opening_the_facts_and_edit_pages_is_audited(client_for, huining_caseworker, huining_household):
    c = client_for(huining_caseworker)
    for page, action in (("facts", "household.facts.read"), ("edit", "household.edit.read")):
        assert c.get(f"/registry/households/{huining_household.pk}/{page}/").status_code == 200
        e = AuditEntry.objects.get(action=action)
        assert e.area == huining_household.region_code and e.user == huining_caseworker


def test_an_api_url_no_pattern_takes_answers_json(client_for, huining_caseworker):
    r = client_for(huining_caseworker).get("/api/v1/complaints/-1/")
    assert r.status_code == 404 and r["Content-Type"].startswith("application/json") and "detail" in r.json()
