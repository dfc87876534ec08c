from __future__ import annotations

from typing import Any

from demands.choices import DemandStatus
from demands.models import Demand, DemandCategory


def test_a_demand_through_the_pages(world: Any, client_for: Any) -> None:
    requester = client_for("norole")
    form = requester.get("/demands/add/", HTTP_ACCEPT_LANGUAGE="en")
    assert form.status_code == 200 and 'name="contact_phone"' in form.content.decode()
    bad = requester.post("/demands/add/", {"title": "", "requester_kind": "unit"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 200 and "Give the demand a short title." in bad.content.decode()
    assert not Demand.objects.exists()
    made = requester.post("/demands/add/", {
        "title": "厂房漏水需要协调维修", "category": DemandCategory.objects.get(code="premises").pk,
        "urgency": "urgent", "description": "园区标准厂房屋顶漏水，影响生产。", "region": world.regions["fz"].pk,
        "requester_kind": "unit", "requester_name": "某新材料公司", "contact_name": "李女士",
        "contact_phone": "13900002222"})
    demand = Demand.objects.get()
    assert made.status_code == 302 and made["Location"] == demand.get_absolute_url()
    page = requester.get(demand.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "To be accepted by" in page and 'data-testid="accept"' not in page  # the requester sees where it is

    staff = client_for("staff_fz")
    page = staff.get(demand.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "139****2222" in page and "13900002222" not in page  # masked for the handlers
    staff.post(f"/demands/{demand.pk}/do/accept/", {})
    staff.post(f"/demands/{demand.pk}/do/assign/", {"organization": world.orgs["fz-b1"].pk, "note": "请协调"})
    secretary = client_for("secretary_b1")
    secretary.post(f"/demands/{demand.pk}/do/resolve/", {"resolution": "协调物业完成屋顶修补。"})
    low = requester.post(f"/demands/{demand.pk}/do/rate/", {"rating": 1}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "Say what is still wrong" in low.content.decode()
    requester.post(f"/demands/{demand.pk}/do/rate/", {"rating": 4, "comment": "处理及时"})
    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED and demand.rating == 4
    timeline = requester.get(demand.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "请协调" in timeline and "协调物业完成屋顶修补。" in timeline

    assert client_for("staff_jj").get(demand.get_absolute_url()).status_code == 404
    assert client_for("staff_jj").post(f"/demands/{demand.pk}/do/comment/", {"note": "x"}).status_code == 404
    listed = staff.get("/demands/", {"status": "closed"}).content.decode()
    assert "厂房漏水需要协调维修" in listed
    assert "厂房漏水需要协调维修" not in client_for("member").get("/demands/").content.decode()


def test_demand_list_has_no_n_plus_one(world: Any, client_for: Any, django_assert_max_num_queries: Any) -> None:
    from .conftest import raise_demand

    raise_demand(world)
    client = client_for("staff_fz")
    client.get("/demands/")
    with django_assert_max_num_queries(30) as few:
        client.get("/demands/")
    one_demand = len(few.captured_queries)  # read now: each request empties the connection's query log
    for _ in range(5):
        raise_demand(world)
    client.get("/demands/")  # the writes invalidated the kept scope and count: warm them again
    with django_assert_max_num_queries(one_demand):
        client.get("/demands/")
