"""No cross-area kin link without the other area's consent (issue 16 item 2).

A Baotou caseworker asks to link a Baotou person to a Huining person (whose file Baotou may not see):
a 亲属关联请求 goes to Huining, whose staff consent or refuse from their worklist; the link exists
only after consent; the requester never sees the relative's name before it; every step is audited
in both areas."""

import datetime as dt

import pytest

from doudi.accounts.models import AuditEntry
from doudi.registry import services
from doudi.registry.models import KinRequest, Kinship

from ..conftest import BAOTOU_VILLAGE, HUINING_VILLAGE

pytestmark = pytest.mark.django_db


def _ask(client_for, user, person, relative, name=None):
    return client_for(user).post(f"/api/v1/persons/{person.pk}/kin/", {
        "relative_name": relative.name if name is None else name, "relative_id_number": relative.id_number,
        "kind": "parent"}, content_type="application/json")


def test_a_request_is_sent_not_a_link_and_the_answer_is_the_same_whatever_the_name(
        client_for, baotou_caseworker, baotou_household, huining_household, make_household):
    stranger = huining_household.head
    r = _ask(client_for, baotou_caseworker, baotou_household.head, stranger)
    assert r.status_code == 202, r.content
    body = r.content.decode()
    assert stranger.name not in body and huining_household.number not in body and HUINING_VILLAGE not in body
    assert r.json()["state"] == "pending"
    assert not Kinship.objects.exists()
    # a wrong name for another Huining person: the same shape of answer (the name is not compared here)
    other = make_household(HUINING_VILLAGE, "urban", [("钟桂兰", "self", dt.date(1950, 3, 3), "F", {})]).head
    r2 = _ask(client_for, baotou_caseworker, baotou_household.head, other, name="随便填")
    assert r2.status_code == 202 and set(r2.json()) == set(r.json())
    assert KinRequest.objects.filter(state="pending").count() == 2


def test_the_request_is_audited_in_both_areas_and_the_requesting_areas_entry_names_nobody_of_the_other(
        client_for, baotou_caseworker, baotou_household, huining_household):
    stranger = huining_household.head
    _ask(client_for, baotou_caseworker, baotou_household.head, stranger)
    entries = AuditEntry.objects.filter(action="kin.requested")
    assert set(entries.values_list("area", flat=True)) == {BAOTOU_VILLAGE, HUINING_VILLAGE}
    here = entries.get(area=BAOTOU_VILLAGE)
    assert stranger.name not in here.object_repr + here.reason + str(here.detail)
    assert stranger.id_number not in str(here.detail)  # masked
    assert entries.get(area=HUINING_VILLAGE).object_id == str(stranger.pk)


def test_the_same_request_twice_is_refused(client_for, baotou_caseworker, baotou_household, huining_household):
    assert _ask(client_for, baotou_caseworker, baotou_household.head, huining_household.head).status_code == 202
    r = _ask(client_for, baotou_caseworker, baotou_household.head, huining_household.head)
    assert r.status_code == 400 and "正待对方地区处理" in r.content.decode()


def test_the_other_areas_worklist_shows_it_and_consent_makes_the_link(
        client_for, baotou_caseworker, baotou_household, huining_caseworker, huining_household):
    stranger = huining_household.head
    _ask(client_for, baotou_caseworker, baotou_household.head, stranger)
    req = KinRequest.objects.get()
    assert req.number in client_for(huining_caseworker).get("/cases/worklist/").content.decode()
    assert req.number not in client_for(baotou_caseworker).get("/cases/worklist/").content.decode()
    # before consent the requester's page keeps the name back
    sent = client_for(baotou_caseworker).get("/registry/kin-requests/").content.decode()
    assert req.number in sent and stranger.name not in sent and "对方同意后显示" in sent
    page = client_for(huining_caseworker).get("/registry/kin-requests/").content.decode()
    assert stranger.name in page and baotou_household.head.name in page
    r = client_for(huining_caseworker).post(f"/registry/kin-requests/{req.pk}/decide/",
                                            {f"k{req.pk}-decision": "consent", f"k{req.pk}-note": "经核对属实"})
    assert r.status_code == 302
    k = Kinship.objects.get()
    assert (k.person, k.relative, k.kind) == (baotou_household.head, stranger, "parent")
    req.refresh_from_db()
    assert req.state == "approved" and req.decided_by == huining_caseworker and req.kinship == k
    assert set(AuditEntry.objects.filter(action="kin.decided").values_list("area", flat=True)) == {
        BAOTOU_VILLAGE, HUINING_VILLAGE}
    assert stranger.name in client_for(baotou_caseworker).get("/registry/kin-requests/").content.decode()
    assert req.number not in client_for(huining_caseworker).get("/cases/worklist/").content.decode()


def test_consent_to_a_name_that_is_not_the_files_is_refused_and_a_refusal_needs_a_reason(
        client_for, baotou_caseworker, baotou_household, huining_caseworker, huining_household):
    _ask(client_for, baotou_caseworker, baotou_household.head, huining_household.head, name="随便填")
    req = KinRequest.objects.get()
    c = client_for(huining_caseworker)
    r = c.post(f"/registry/kin-requests/{req.pk}/decide/", {f"k{req.pk}-decision": "consent"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and "与本地区档案不符" in r.content.decode()
    r = c.post(f"/registry/kin-requests/{req.pk}/decide/", {f"k{req.pk}-decision": "refuse"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and "拒绝时请填写理由" in r.content.decode()
    r = c.post(f"/registry/kin-requests/{req.pk}/decide/", {f"k{req.pk}-decision": "refuse",
                                                           f"k{req.pk}-note": "姓名不符"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "已拒绝" in r.content.decode()
    req.refresh_from_db()
    assert req.state == "refused" and not Kinship.objects.exists()
    with pytest.raises(Exception, match="已处理"):
        services.decide_kin_request(huining_caseworker, req.pk, consent=False, note="再拒")


def test_only_staff_of_the_files_area_may_decide(client_for, baotou_caseworker, baotou_household,
                                                 other_town_caseworker, huining_reviewer, huining_household):
    from django.core.exceptions import PermissionDenied

    _ask(client_for, baotou_caseworker, baotou_household.head, huining_household.head)
    req = KinRequest.objects.get()
    for user in (baotou_caseworker, other_town_caseworker):  # the requester; a caseworker of another township
        with pytest.raises(PermissionDenied):
            services.decide_kin_request(user, req.pk, consent=True)
        r = client_for(user).post(f"/registry/kin-requests/{req.pk}/decide/", {f"k{req.pk}-decision": "consent"})
        assert r.status_code == 403
    assert req.number not in client_for(other_town_caseworker).get("/registry/kin-requests/").content.decode()
    req.refresh_from_db()
    assert req.state == "pending" and not Kinship.objects.exists()


def test_the_page_form_inside_the_area_links_at_once_and_across_areas_sends_a_request(
        client_for, baotou_caseworker, baotou_household, huining_household):
    from ..conftest import make_id_number

    c = client_for(baotou_caseworker)
    url = f"/registry/households/{baotou_household.pk}/kin/new/"
    assert c.get(url).status_code == 200
    new = make_id_number("150202")
    r = c.post(url, {"person": baotou_household.head.pk, "relative_name": "高老汉", "relative_id_number": new,
                     "kind": "parent"}, follow=True)
    assert r.status_code == 200 and Kinship.objects.filter(relative__id_number=new).exists()
    stranger = huining_household.head
    r = c.post(url, {"person": baotou_household.head.pk, "relative_name": stranger.name,
                     "relative_id_number": stranger.id_number, "kind": "child"}, follow=True)
    text = r.content.decode()
    assert "已向其档案所在地区发出亲属关联请求" in text and stranger.name not in text
    assert not Kinship.objects.filter(relative=stranger).exists()


def test_without_javascript_a_refused_decision_comes_back_beside_its_request_with_what_was_typed(
        client_for, baotou_caseworker, baotou_household, huining_caseworker, huining_household):
    """A plain form post (no htmx) that is refused: the requests page again, status 400, the refusal
    inside that request's card above its form, and the note typed kept; nothing decided."""
    _ask(client_for, baotou_caseworker, baotou_household.head, huining_household.head, name="随便填")
    req = KinRequest.objects.get()
    r = client_for(huining_caseworker).post(f"/registry/kin-requests/{req.pk}/decide/",
                                            {f"k{req.pk}-decision": "consent", f"k{req.pk}-note": "已电话核实"})
    assert r.status_code == 400
    page = r.content.decode()
    card = page[page.index(f'id="kin-request-{req.pk}"'):]
    card = card[:card.index("</article>")]
    assert "与本地区档案不符" in card and "已电话核实" in card
    req.refresh_from_db()
    assert req.state == "pending" and not Kinship.objects.exists()
