"""The register's 防返贫监测对象 category follows the latest 乡村振兴 snapshot (kind anti_poverty_object),
as 低保 / 特困 follow their benefits: named → entered by import with the snapshot as evidence; no
longer named (or named with the risk eliminated) in a later snapshot → left, with the day and why.

Two snapshots, worked by hand:

- snapshot 1, extracted 2026-11-02 (DAY): 刘芳 (of 王力's household) identified 2026-09-15 因病,
  risk not eliminated; 陈平 identified 2026-10-20 因灾, not eliminated; 黄伟 identified 2026-11-10,
  after the day — not yet a 防返贫监测对象 on DAY.
- snapshot 2, extracted 2026-11-16 (DAY + 14): 刘芳 with 风险已消除; 陈平 not in it; 黄伟 still
  monitored (identified 2026-11-10).

孙梅's household was entered as 防返贫监测对象 by a township caseworker (a person's decision), and is
in neither snapshot: it stays.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.web.monitoring.conftest import DAY, member, scan

pytestmark = pytest.mark.django_db

HEADER = ["身份证号", "姓名", "识别日期", "风险类型", "风险状态"]


def entries(household):
    from doudi.monitoring.models import RegisterEntry

    return list(RegisterEntry.objects.filter(household=household, category="anti_poverty").order_by("id"))


def test_the_category_follows_the_latest_rural_snapshot(worker, make_household, upload, huining_caseworker,
                                                        client_for):
    from doudi.monitoring import services

    chen = make_household("620422100201", "rural", [("陈平", "self", dt.date(1975, 3, 1), "M", {})])
    huang = make_household("620422100201", "rural", [("黄伟", "self", dt.date(1978, 3, 1), "M", {})])
    sun = make_household("620422100201", "rural", [("孙梅", "self", dt.date(1950, 3, 1), "F", {})])
    liu, ping, wei = member(worker, "刘芳"), member(chen, "陈平"), member(huang, "黄伟")
    by_hand = services.enter(huining_caseworker, sun, "anti_poverty", evidence="入户走访核实：因病返贫风险", on=DAY)

    upload("anti_poverty_object", HEADER, [[liu.id_number, liu.name, "2026-09-15", "因病", "风险未消除"],
                                           [ping.id_number, ping.name, "2026-10-20", "因灾", "风险未消除"],
                                           [wei.id_number, wei.name, "2026-11-10", "因意外", "风险未消除"]])
    run = scan()
    assert run.entered.get("anti_poverty") == 2 and not run.left.get("anti_poverty")
    (e,) = entries(worker)
    assert (e.way, e.entered_on, e.left_on) == ("import", DAY, None)
    assert e.evidence == (f"乡村振兴部门防返贫监测对象数据（2026-11-02提取）：家庭成员刘芳（{liu.masked_id}）"
                          "于2026-09-15识别为防返贫监测对象，风险类型：因病，风险未消除")
    assert e.source["kind"] == "anti_poverty_object" and e.source["id_number"] == liu.id_number
    assert [s["extracted_on"] for s in e.source["snapshots"]] == ["2026-11-02"]
    (c,) = entries(chen)
    assert c.way == "import" and "陈平" in c.evidence and "因灾" in c.evidence
    assert entries(huang) == []  # identified after the day
    assert entries(sun) == [by_hand]

    # the next day, the same snapshot: nothing enters twice, nothing leaves
    again = scan(on=DAY + dt.timedelta(days=1))
    assert not again.entered.get("anti_poverty") and not again.left.get("anti_poverty")
    assert len(entries(worker)) == 1 and len(entries(chen)) == 1

    upload("anti_poverty_object", HEADER, [[liu.id_number, liu.name, "2026-09-15", "因病", "风险已消除"],
                                           [wei.id_number, wei.name, "2026-11-10", "因意外", "风险未消除"]],
           extracted=DAY + dt.timedelta(days=14))
    # a scan dated 2026-11-09, before the second snapshot's extraction, still reads the first: nobody
    # leaves, and 黄伟 (identified 2026-11-10) does not enter yet
    before = scan(on=DAY + dt.timedelta(days=7))
    assert not before.entered.get("anti_poverty") and not before.left.get("anti_poverty")
    assert entries(worker)[0].left_on is None and entries(chen)[0].left_on is None

    later = scan(on=DAY + dt.timedelta(days=14))
    assert later.left.get("anti_poverty") == 2 and later.entered.get("anti_poverty") == 1  # 黄伟
    (e,) = entries(worker)
    assert e.left_on == dt.date(2026, 11, 16)
    assert e.left_reason == "乡村振兴部门2026-11-16提取的防返贫监测对象数据标注该家庭成员风险已消除"
    (c,) = entries(chen)
    assert c.left_on == dt.date(2026, 11, 16)
    assert c.left_reason == "乡村振兴部门2026-11-16提取的防返贫监测对象数据已不再列有该家庭成员"
    (h,) = entries(huang)
    assert h.entered_on == dt.date(2026, 11, 16) and "2026-11-10" in h.evidence and "因意外" in h.evidence
    by_hand.refresh_from_db()
    assert by_hand.left_on is None  # entered by a person: the snapshot does not take it out

    # the register page shows how each entered and why it left
    page = client_for(huining_caseworker).get(reverse("monitoring:register") + "?state=anti_poverty")
    text = page.content.decode()
    assert "导入" in text and "风险已消除" in text and "已不再列有该家庭成员" in text and "入户走访核实" in text
