"""Pages under load (issue 16): a list counts its rows only up to COUNT_CAP. A larger set shows
「共 N+ 户」 and pages on with 下一页 to its very end; a set within the cap is counted exactly, as
before. Here the cap is 5 and the page size 2, over 7 households of the caseworker's township."""

import datetime as dt
import re

import pytest

from ..conftest import HUINING_VILLAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven(make_household):
    return [make_household(HUINING_VILLAGE, "rural", [(f"封顶{k}", "self", dt.date(1960, 1, 1 + k), "M", {})])
            for k in range(7)]


@pytest.fixture
def small(monkeypatch):
    from doudi.web import lists

    monkeypatch.setattr(lists, "COUNT_CAP", 5)
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)


def _numbers(html: str, households) -> list[str]:
    return [h.number for h in households if h.number in html]


def test_a_set_above_the_cap_is_shown_as_cap_plus_and_pages_to_its_end(small, seven, client_for, huining_caseworker):
    c = client_for(huining_caseworker)
    seen, k = [], 1
    while True:
        html = c.get("/registry/households/", {"page": k}).content.decode()
        assert "共 5+ 户" in html and f"第 {k} 页" in html and " / " not in re.sub(r"<[^>]+>", "", html.split(
            'aria-label="分页"')[1].split("</nav>")[0])
        seen += _numbers(html, seven)
        if f"page={k + 1}" not in html:  # no 下一页: the last page
            break
        k += 1
    # pages 1–4 of 2 rows (the last with one): every household once, past the cap of 5 as well
    assert k == 4 and sorted(seen) == sorted(h.number for h in seven)


def test_a_set_within_the_cap_is_counted_exactly(small, seven, client_for, huining_caseworker):
    from doudi.registry.models import Residence

    c = client_for(huining_caseworker)
    html = c.get("/registry/households/", {"q": "封顶3"}).content.decode()
    assert "共 1 户" in html and _numbers(html, seven) == [seven[3].number]
    html = c.get("/registry/households/", {"state": Residence.URBAN}).content.decode()
    assert "共 0 户" in html


def test_the_capped_count_reads_no_more_than_cap_plus_one_rows(seven):
    from doudi.registry.models import Household
    from doudi.web.lists import CappedPaginator

    rows = Household.objects.order_by("-id")
    p = CappedPaginator(rows, 2, cap=5)
    assert p.count == 6 and p.capped and p.count_text == "5+"
    assert [h.pk for h in p.page(4).object_list] == [h.pk for h in rows[6:8]] and not p.page(4).has_next()
    assert p.page(3).has_next()
    exact = CappedPaginator(rows, 2, cap=7)
    assert exact.count == 7 and not exact.capped and exact.num_pages == 4 and exact.count_text == "7"
