"""ST-1: returning home tells the receiving area as data (huining-2022 二(二)四 "帮助其及时返乡、回归家庭").

The return names the receiving area by its region code (checked against the region list), its station
or civil-affairs office and how the person travels; the receiving area — and only it — sees the notice
on its worklist and on the 返乡接收 page, and confirms it received the person; the station sees the reply.
The receiving area has `return_notice_working_days` = 5 working days (a placeholder) to confirm.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from doudi.programs import rescue
from doudi.programs.models import ReturnNotice
from doudi.programs.procedure import ProcedureError

D = dt.date
pytestmark = pytest.mark.django_db
OTHER_TOWN = "620422101"          # 郭城驿镇: the other Huining township of the cast
OTHER_VILLAGE = "620422101201"    # 八百户村


@pytest.fixture
def found(huining_caseworker):
    """A man found on patrol at the Huining station (会师镇), his family found by fingerprint in 郭城驿镇八百户村."""
    c = rescue.intake(huining_caseworker, region="620422100", name="男，约50岁，自称姓杨", estimated_age=50, sex="M",
                      found_how="patrol", found_on=D(2026, 3, 2), found_at="会师路桥下")
    rescue.record_search(huining_caseworker, c.pk, kind="fingerprint", result="指纹比对成功", matched=True,
                         home_region=OTHER_VILLAGE, on=D(2026, 3, 4))
    c.refresh_from_db()
    return c


def _return(user, c, **kw):
    args = dict(returned_on=D(2026, 3, 6), receiving_office="郭城驿镇人民政府民政办", escort="escort",
                receiving_contact="张干事 0943-1234567", on=D(2026, 3, 6))
    return rescue.return_home(user, c.pk, **(args | kw))


def test_the_return_is_a_notice_to_the_receiving_area_with_its_deadline(huining_caseworker, found):
    c = _return(huining_caseworker, found)
    assert c.state == "returned" and c.returned_on == D(2026, 3, 6)
    n = ReturnNotice.objects.get(case=c)
    # the 户籍地 the search found, unless another is given
    assert n.region == OTHER_VILLAGE and n.receiving_office == "郭城驿镇人民政府民政办" and n.escort == "escort"
    assert n.sent_from == "620422100" and n.person_name == "男，约50岁，自称姓杨" and n.estimated_age == 50
    # sent Friday 2026-03-06; 5 working days: 9, 10, 11, 12, 13 March → 2026-03-13
    assert n.sent_on == D(2026, 3, 6) and n.due_on == D(2026, 3, 13)
    assert "八百户村" in c.receiving_told and "郭城驿镇人民政府民政办" in c.receiving_told


def test_the_region_code_is_checked_against_the_region_list(huining_caseworker, found):
    with pytest.raises(ProcedureError) as e:
        _return(huining_caseworker, found, receiving_region="410199")    # 6 digits, but no such county
    assert e.value.field == "receiving_region" and "不在区划代码表中" in e.value.message
    with pytest.raises(ProcedureError) as e:
        _return(huining_caseworker, found, receiving_region="4101")
    assert e.value.field == "receiving_region" and "6 位" in e.value.message
    with pytest.raises(ProcedureError) as e:
        _return(huining_caseworker, found, receiving_office=" ")
    assert e.value.field == "receiving_office"
    with pytest.raises(ProcedureError) as e:
        _return(huining_caseworker, found, escort="plane")
    assert e.value.field == "escort"
    found.refresh_from_db()
    assert found.state == "family_found" and not ReturnNotice.objects.exists()  # nothing half-written


def test_a_search_match_needs_a_known_home_region(huining_caseworker):
    c = rescue.intake(huining_caseworker, region="620422100", name="女", estimated_age=30, sex="F", found_how="walk_in",
                      found_on=D(2026, 3, 2))
    with pytest.raises(ProcedureError) as e:
        rescue.record_search(huining_caseworker, c.pk, kind="dna", result="比中", matched=True, home_region="410199")
    assert e.value.field == "home_region"


def test_only_the_receiving_area_sees_and_confirms_it(huining_caseworker, other_town_caseworker, baotou_caseworker,
                                                      found):
    from doudi.cases.views import worklist_items

    _return(huining_caseworker, found)
    n = ReturnNotice.objects.get()
    # the receiving township sees the notice (not the station's case) on its worklist, due 2026-03-13
    items = [i for i in worklist_items(other_town_caseworker, D(2026, 3, 9)) if i["rule"] == "ST-1"]
    assert [(i["title"], i["deadline"]) for i in items] == [("返乡接收待确认：男，约50岁，自称姓杨", "2026-03-13")]
    with pytest.raises(Http404):
        rescue.access_case(other_town_caseworker, found.pk)
    # the station does not confirm for the receiving area; a third area does not even see the notice
    assert not [i for i in worklist_items(huining_caseworker, D(2026, 3, 9)) if i["rule"] == "ST-1"]
    for outsider in (huining_caseworker, baotou_caseworker):
        assert not rescue.visible_notices(outsider).exists()
        with pytest.raises(Http404):
            rescue.acknowledge_return(outsider, n.pk, reply="已接收", on=D(2026, 3, 9))
    n = rescue.acknowledge_return(other_town_caseworker, n.pk, reply="已接收，家属同住，转乡镇核查低保条件",
                                  version=n.version, on=D(2026, 3, 9))
    assert n.acknowledged_on == D(2026, 3, 9) and n.acknowledged_by == other_town_caseworker
    with pytest.raises(ProcedureError):
        rescue.acknowledge_return(other_town_caseworker, n.pk, reply="再次", on=D(2026, 3, 9))
    assert not [i for i in worklist_items(other_town_caseworker, D(2026, 3, 9)) if i["rule"] == "ST-1"]


def test_the_county_sees_but_a_viewer_without_accept_cannot_confirm(huining_caseworker, auditor, found):
    _return(huining_caseworker, found)
    n = ReturnNotice.objects.get()
    assert rescue.visible_notices(auditor).filter(pk=n.pk).exists()
    with pytest.raises(PermissionDenied):
        rescue.acknowledge_return(auditor, n.pk, reply="已接收", on=D(2026, 3, 9))


def test_the_pages_the_station_returns_and_the_receiving_area_confirms(client_for, huining_caseworker,
                                                                        other_town_caseworker, found):
    station = client_for(huining_caseworker)
    r = station.post(f"/programs/rescue/{found.pk}/", {
        "form": "return", "version": found.version, "returned_on": "2026-03-06", "receiving_region": "410199",
        "receiving_office": "某救助站", "escort": "escort"})
    assert r.status_code == 400 and "不在区划代码表中" in r.content.decode()
    r = station.post(f"/programs/rescue/{found.pk}/", {
        "form": "return", "version": found.version, "returned_on": "2026-03-06", "receiving_office": "郭城驿镇人民政府民政办",
        "escort": "family"})
    assert r.status_code == 302
    n = ReturnNotice.objects.get()
    home = client_for(other_town_caseworker)
    page = home.get("/programs/rescue/receiving/").content.decode()
    assert f'id="notice-{n.pk}"' in page and "甘肃省白银市会宁县郭城驿镇八百户村民委员会" in page
    assert "亲属接回" in page and "确认接收" in page
    assert "八百户村" not in client_for(huining_caseworker).get("/programs/rescue/receiving/").content.decode()
    r = home.post("/programs/rescue/receiving/", {"notice": n.pk, "version": n.version, "reply": ""})
    assert r.status_code == 400
    r = home.post("/programs/rescue/receiving/", {"notice": n.pk, "version": n.version, "reply": "已接收"})
    assert r.status_code == 302
    page = station.get(f"/programs/rescue/{found.pk}/").content.decode()
    assert "郭城驿镇人民政府民政办已确认接收：已接收" in page
