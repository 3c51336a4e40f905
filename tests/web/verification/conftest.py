"""Verification tests: the cast of tests/web/conftest.py, a private snapshot folder per test, files made by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

# A Monday with no holiday around it.
DAY = dt.date(2026, 11, 2)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def csv_bytes(header: list[str], rows: list[list], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(header: list[str], rows: list[list]) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    text = wb.add_format({"num_format": "@"})
    ws.write_row(0, 0, header)
    for i, row in enumerate(rows, 1):
        for j, v in enumerate(row):
            ws.write_string(i, j, str(v), text) if isinstance(v, str) else ws.write(i, j, v)
    wb.close()
    return buf.getvalue()


@pytest.fixture
def upload(huining_verifier):
    """upload(kind, header, rows, extracted=DAY, area="620422", user=verifier, encoding="utf-8") -> ImportResult."""
    from doudi.verification.datasets import import_snapshot

    def up(kind, header, rows, extracted=DAY, area="620422", user=None, encoding="utf-8", name="data.csv",
           data=None):
        return import_snapshot(user or huining_verifier, kind=kind, area=area, extracted_on=extracted,
                               data=data if data is not None else csv_bytes(header, rows, encoding), name=name,
                               today=DAY + dt.timedelta(days=30))

    return up


@pytest.fixture
def investigated(huining_caseworker, huining_caseworker_2):
    """investigated(household) -> a 低保 case of the household, accepted and investigated on DAY."""
    from doudi.cases import services as s

    def go(household, day=DAY):
        case = s.submit_application(huining_caseworker, household.pk, on=day)
        s.accept(huining_caseworker, case.pk, on=day)
        s.investigate(huining_caseworker, case.pk, investigators=[huining_caseworker.pk, huining_caseworker_2.pk],
                      visited_on=day, findings="入户调查:收入如申报", signed_by_investigators=True,
                      signed_by_family=True, authorisation=True, on=day)
        case.refresh_from_db()
        return case

    return go
