"""The /params/ pages: only for users with params.change; bad input gives a Chinese form error
naming the field and stores nothing; another area's value is not found."""

from __future__ import annotations

from doudi.params.models import ParameterValue

GOOD = {"parameter": "dibao.standard.urban", "region": "620422", "effective_from": "2026-07-01", "value": "750",
        "document": "会民发〔2026〕1号", "clause": "第二条"}


def test_pages_need_params_change(client_for, huining_caseworker):
    c = client_for(huining_caseworker)
    assert c.get("/params/").status_code == 403
    assert c.post("/params/new/", GOOD).status_code == 403
    assert ParameterValue.objects.count() == 0


def test_the_index_lists_parameters_with_level_source_and_placeholder(client_for, huining_approver):
    r = client_for(huining_approver).get("/params/?region=620422&on=2026-07-01&residence=urban")
    text = r.content.decode()
    assert r.status_code == 200 and "城市低保标准" in text and "占位" in text and "县级" in text
    r = client_for(huining_approver).get("/params/?region=150202")
    assert "不在您的辖区内" in r.content.decode()


def test_bad_input_is_a_chinese_form_error_and_nothing_is_stored(client_for, huining_approver):
    c = client_for(huining_approver)
    for change, words in ((dict(parameter="no.such"), "未知参数"), (dict(region="150202"), "不在您的辖区内"),
                          (dict(effective_from="2026-02-30"), "执行日期"), (dict(value="abc"), "金额"),
                          (dict(document=""), "文件文号")):
        r = c.post("/params/new/", {**GOOD, **change})
        assert r.status_code == 200 and words in r.content.decode(), words
    assert ParameterValue.objects.count() == 0
    r = c.post("/params/new/", GOOD)
    assert r.status_code == 302 and ParameterValue.objects.count() == 1


def test_own_approval_is_refused_and_another_area_is_not_found(client_for, huining_approver, huining_approver_2,
                                                               baotou_approver):
    client_for(huining_approver).post("/params/new/", GOOD)
    v = ParameterValue.objects.get()
    r = client_for(huining_approver).post(f"/params/{v.pk}/approve/")  # four eyes: refused on the page (403)
    body = r.content.decode()
    assert r.status_code == 403 and 'role="alert"' in body and "自己" in body[body.index('role="alert"'):]
    assert ParameterValue.objects.get().state == "pending"
    # a return without its reason: the form again, with its error; another approver's return typed is kept
    r = client_for(huining_approver_2).post(f"/params/{v.pk}/reject/", {"reason": ""})
    assert r.status_code == 400 and 'id="reject"' in r.content.decode()
    assert client_for(baotou_approver).get(f"/params/{v.pk}/").status_code == 404
    assert client_for(baotou_approver).post(f"/params/{v.pk}/approve/").status_code == 404
    client_for(huining_approver_2).post(f"/params/{v.pk}/approve/")
    assert ParameterValue.objects.get().state == "approved"
    assert "会民发〔2026〕1号" in client_for(huining_approver_2).get("/params/history/").content.decode()
