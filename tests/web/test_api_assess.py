"""POST /api/v1/assess/ and /api/v1/assess/batch/ (issue 16): the decision of `doudi assess` over HTTP,
for the user's areas only, bad input named by its field path, audited when a person is named."""

import copy
import json

import pytest

from doudi.accounts.models import AuditEntry, AuditKind
from doudi.cli import main as doudi_main

from .conftest import HUINING_VILLAGE, make_id_number

pytestmark = pytest.mark.django_db

# Huining's urban 低保 standard is 700.00 (doudi/policy/data/620422/dibao.yaml, huining-2022).
# Three members, wages 600 counted in full (DB-3; no work-cost deduction set): per capita
# 600 / 3 = 200.00 < 700.00 (DB-1), so the amount is (700.00 - 200.00) × 3 = 1500.00 a month (DB-2).
HOUSEHOLD = {
    "region": "620422", "residence": "urban", "date": "2023-06-01",
    "members": [{"relation": "self", "birth_date": "1980-01-01", "monthly_income": {"wages": 600}},
                {"relation": "spouse", "birth_date": "1982-01-01"},
                {"relation": "child", "birth_date": "2012-01-01"}],
}


def _post(c, body, url="/api/v1/assess/"):
    return c.post(url, json.dumps(body), content_type="application/json")


def _doc(**over):
    doc = copy.deepcopy(HOUSEHOLD)
    doc.update(over)
    return doc


def test_a_hand_worked_dibao_amount(client_for, huining_approver):
    r = _post(client_for(huining_approver), HOUSEHOLD)
    assert r.status_code == 200, r.content
    d = r.json()
    assert d["household"] == {"members": 3, "counted_monthly_income": "600.00", "per_capita_income": "200.00"}
    dibao = d["programs"]["dibao"]
    assert dibao["eligible"] is True and dibao["amount"] == "1500.00" and dibao["period"] == "month"
    assert {"DB-1", "DB-2", "DB-3"} <= {s["rule"] for s in dibao["trace"]}


def test_the_same_json_as_doudi_assess(client_for, huining_approver, tmp_path, capsys):
    path = tmp_path / "household.json"
    path.write_text(json.dumps(HOUSEHOLD, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert doudi_main(["assess", str(path), "--format", "json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    assert _post(client_for(huining_approver), HOUSEHOLD).json() == expected


def test_date_and_sets_like_the_command_line(client_for, huining_approver):
    c = client_for(huining_approver)
    # --set dibao.standard.urban=800.00: (800.00 - 200.00) × 3 = 1800.00 (DB-2)
    r = c.post("/api/v1/assess/?date=2023-07-01&set=dibao.standard.urban=800.00", json.dumps(HOUSEHOLD),
               content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["date"] == "2023-07-01" and r.json()["programs"]["dibao"]["amount"] == "1800.00"
    r = c.post("/api/v1/assess/?set=no.such.parameter=1", json.dumps(HOUSEHOLD), content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "sets no.such.parameter"


def test_a_region_outside_the_users_areas_is_refused(client_for, baotou_caseworker, huining_caseworker):
    r = _post(client_for(baotou_caseworker), HOUSEHOLD)
    assert r.status_code == 403 and "不在您的辖区内" in r.json()["detail"]
    # a township caseworker answers for the township, not the whole county
    assert _post(client_for(huining_caseworker), HOUSEHOLD).status_code == 403
    assert _post(client_for(huining_caseworker), _doc(region=HUINING_VILLAGE)).status_code == 200


def test_anonymous_is_401(client):
    assert _post(client, HOUSEHOLD).status_code == 401
    assert _post(client, {"households": [HOUSEHOLD]}, "/api/v1/assess/batch/").status_code == 401


def test_a_malformed_id_number_is_400_naming_the_field(client_for, huining_approver):
    doc = _doc()
    doc["members"][0]["id_number"] = "62042219800101001"  # 17 characters
    r = _post(client_for(huining_approver), doc)
    assert r.status_code == 400
    body = r.json()
    assert body["field"] == "members[0].id_number" and "members[0].id_number" in body["detail"]
    assert body["expected"]
    assert not AuditEntry.objects.exists()


def test_other_bad_input_is_400(client_for, huining_approver):
    c = client_for(huining_approver)
    assert _post(c, _doc(residence="town")).json()["field"] == "residence"
    assert _post(c, _doc(region="999999")).json()["field"] == "region"
    assert _post(c, [1, 2]).json()["field"] == "$"
    r = c.post("/api/v1/assess/?date=2023-13-01", json.dumps(HOUSEHOLD), content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "date"


def test_a_named_person_is_audited_in_the_households_region(client_for, huining_approver):
    c = client_for(huining_approver)
    assert _post(c, HOUSEHOLD).status_code == 200
    assert not AuditEntry.objects.exists()  # nobody named: nothing to audit
    doc = _doc()
    doc["members"][0].update(name="张某", id_number=make_id_number("620422"))
    del doc["members"][0]["birth_date"]
    assert _post(c, doc).status_code == 200
    entry = AuditEntry.objects.get()
    assert entry.kind == AuditKind.READ and entry.area == "620422" and entry.user == huining_approver
    assert doc["members"][0]["id_number"] not in json.dumps(entry.detail)


def test_a_batch_of_three_in_order(client_for, huining_approver):
    # wages 600, 0 and 2400: per capita 200.00, 0.00, 800.00 against 700.00 (DB-1, DB-2):
    # (700 - 200) × 3 = 1500.00; (700 - 0) × 3 = 2100.00; 800.00 ≥ 700.00 not eligible.
    docs = []
    for wages in (600, 0, 2400):
        doc = _doc()
        doc["members"][0]["monthly_income"] = {"wages": wages}
        docs.append(doc)
    docs[2]["members"][0]["name"] = "李某"
    r = _post(client_for(huining_approver), {"households": docs, "trace": False}, "/api/v1/assess/batch/")
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["count"] == 3
    dibao = [d["programs"]["dibao"] for d in out["decisions"]]
    assert [(x["eligible"], x["amount"]) for x in dibao] == [(True, "1500.00"), (True, "2100.00"), (False, "0.00")]
    assert all("trace" not in x for x in dibao)
    assert AuditEntry.objects.get().detail["households"] == 1


def test_a_traced_batch_matches_the_single_answers(client_for, huining_approver):
    c = client_for(huining_approver)
    single = _post(c, HOUSEHOLD).json()
    out = _post(c, {"households": [HOUSEHOLD, HOUSEHOLD]}, "/api/v1/assess/batch/").json()
    assert out["decisions"] == [single, single]


def test_a_batch_names_the_household_at_fault(client_for, huining_approver, baotou_caseworker):
    bad = _doc()
    bad["members"][1]["sex"] = "X"
    r = _post(client_for(huining_approver), {"households": [HOUSEHOLD, bad]}, "/api/v1/assess/batch/")
    assert r.status_code == 400 and r.json()["field"] == "households[1].members[1].sex"
    r = _post(client_for(baotou_caseworker), {"households": [HOUSEHOLD]}, "/api/v1/assess/batch/")
    assert r.status_code == 403


def test_a_batch_over_ten_thousand_is_refused(client_for, huining_approver):
    tiny = {"region": "620422", "residence": "urban", "members": [{"relation": "self"}]}
    r = _post(client_for(huining_approver), {"households": [tiny] * 10_001}, "/api/v1/assess/batch/")
    assert r.status_code == 400 and r.json()["field"] == "households"
    assert "10000" in r.json()["detail"]


def test_the_endpoints_are_in_the_openapi_document(client_for, huining_approver):
    r = client_for(huining_approver).get("/api/schema/", {"format": "json"})
    paths = r.json()["paths"]
    assert "post" in paths["/api/v1/assess/"] and "post" in paths["/api/v1/assess/batch/"]
    assert {"200", "400", "401", "403"} <= set(paths["/api/v1/assess/"]["post"]["responses"])


def test_the_fast_renderer_gives_the_masking_renderers_bytes(client_for, huining_approver):
    """The assess endpoints render with orjson (doudi.params.api.AssessJSONRenderer); the bytes are
    those of the masking JSON renderer every other API answer uses, a named person's trace, a batch,
    U+2028 and a Decimal (not orjson's: the masking renderer renders it) alike."""
    from decimal import Decimal

    from doudi.accounts.masking import MaskingJSONRenderer
    from doudi.params.api import AssessJSONRenderer

    c = client_for(huining_approver)
    doc = _doc()
    doc["members"][0]["name"] = "张某"
    single = _post(c, doc)
    batch = _post(c, {"households": [HOUSEHOLD, doc], "trace": False}, "/api/v1/assess/batch/")
    for r in (single, batch):
        assert r.status_code == 200
        assert r.content == MaskingJSONRenderer().render(r.json())
    for data in ({"a": "行\u2028分\u2029段", "b": [1, None, True]}, {"amount": Decimal("1.50")}):
        assert AssessJSONRenderer().render(data) == MaskingJSONRenderer().render(data)


def test_the_fast_renderer_still_masks_an_id_number():
    from doudi.accounts.masking import MaskingJSONRenderer
    from doudi.params.api import AssessJSONRenderer

    number = make_id_number("620422")
    data = {"detail": f"成员{number}", "n": 1}
    out = AssessJSONRenderer().render(data)
    assert number not in out.decode() and number[:6] in out.decode()
    assert out == MaskingJSONRenderer().render(data)


def test_a_body_orjson_refuses_is_read_by_drfs_parser(client_for, huining_approver):
    """An integer beyond 64 bits is valid JSON: orjson refuses it, DRF's parser reads it, and the
    household reader names the field (an amount above 一亿元); malformed JSON is DRF's 400."""
    c = client_for(huining_approver)
    body = json.dumps(HOUSEHOLD).replace('"wages": 600', '"wages": 100000000000000000000')
    r = c.post("/api/v1/assess/", body, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "members[0].monthly_income.wages"
    r = c.post("/api/v1/assess/", '{"region": ', content_type="application/json")
    assert r.status_code == 400 and "JSON parse error" in r.json()["detail"]


def test_with_a_token_the_next_decision_after_an_approval_uses_the_approved_figure(
        client, huining_approver, huining_approver_2):
    """The parameters' version is read with the token, once a request: a standard approved between two
    requests decides the second. Hand-worked: 700.00 × 3 − 600.00 = 1500.00 (huining-2022), then the
    approved 800.00 from 2023-01-01: 800.00 × 3 − 600.00 = 1800.00 (DB-2)."""
    import datetime as dt

    from doudi.logins.services import create as create_token
    from doudi.params import services as params

    _token, key = create_token(huining_approver, "对接", 30)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}

    def amount():
        r = client.post("/api/v1/assess/", json.dumps(HOUSEHOLD), content_type="application/json", **auth)
        assert r.status_code == 200, r.content
        return r.json()["programs"]["dibao"]["amount"]

    assert amount() == "1500.00"
    v = params.enter(huining_approver, parameter="dibao.standard.urban", region="620422", value="800.00",
                     effective_from=dt.date(2023, 1, 1), document="会民发〔2023〕1号")
    assert amount() == "1500.00"  # entered, not yet approved
    params.approve(huining_approver_2, v.pk)
    assert amount() == "1800.00"
