"""The priority queue page and API: the order (priority, then oldest), the reasons in words,
the filters, pages that follow each other without a count, and a bounded number of queries
whatever the number of rows."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any

from django.utils import timezone

from ungpkit.apps.remedy import actions as remedy_actions
from ungpkit.apps.remedy import states
from ungpkit.apps.triage import queue
from ungpkit.apps.triage.access import reach
from ungpkit.apps.triage.models import TriageRecord

from .conftest import World

REASON = {"rule": "test", "detail": "A reason written for this test.", "start": None, "end": None}


def _set(world: World, grievance: Any, priority: int, days_ago: int = 0, **fields: Any) -> None:
    TriageRecord.objects.filter(grievance=grievance).update(
        priority=priority,
        created_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


def _codes(body: str) -> list[str]:
    return re.findall(r'/remedy/cases/\d+/">([A-Z0-9-]+)</a>', body)


def test_the_most_severe_case_comes_first_with_its_reason(world: World) -> None:
    body = world.client("sec").get("/en/triage/").content.decode()
    assert _codes(body) == [world.severe.case_code, world.mild.case_code]
    record = TriageRecord.objects.get(grievance=world.severe)
    details = [r["detail"] for r in record.priority_reasons]
    for reason in details[:4]:  # the first reasons in the row, all on the triage page
        assert reason in unescape(body)
    panel = world.client("sec").get(f"/en/triage/cases/{world.severe.pk}/").content.decode()
    for reason in details:
        assert reason in unescape(panel)
    assert "A child is involved" in body and "Fear of reprisal" in body
    assert f'href="/en/triage/cases/{world.severe.pk}/"' in body
    assert f'href="/en/remedy/cases/{world.severe.pk}/"' in body


def test_ties_go_to_the_oldest_and_closed_cases_leave(world: World) -> None:
    _set(world, world.severe, 10, days_ago=1, priority_reasons=[REASON])
    _set(world, world.mild, 10, days_ago=5)
    later = world.submit("The delivery app deactivated my account after a customer complaint.")
    _set(world, later, 50)
    body = world.client("sec").get("/en/triage/").content.decode()
    assert _codes(body) == [later.case_code, world.mild.case_code, world.severe.case_code]
    assert "A reason written for this test." in body
    assert "5 days" in body
    remedy_actions.move(world.users["sec"], later.pk, states.ACKNOWLEDGED)
    remedy_actions.move(world.users["sec"], later.pk, states.NOT_ADMISSIBLE, "Out of scope.")
    assert later.case_code not in world.client("sec").get("/en/triage/").content.decode()


def test_filters_work_with_get_and_without_javascript(world: World) -> None:
    _set(world, world.mild, 1, urgency=[], rights=["right.work"], harms=["harm.other"])
    _set(
        world,
        world.severe,
        9,
        urgency=["urgent.child"],
        rights=["right.privacy"],
        harms=["harm.data_breach"],
    )
    client = world.client("sec")

    def shown(query: str) -> list[str]:
        return _codes(client.get(f"/en/triage/?{query}").content.decode())

    assert shown("urgency=urgent.child") == [world.severe.case_code]
    assert shown("right=right.work") == [world.mild.case_code]
    assert shown("harm=harm.data_breach") == [world.severe.case_code]
    assert shown(f"member={world.member_a.pk}") == [world.severe.case_code]
    assert shown("urgency=urgent.life") == []
    assert shown("urgency=nonsense") == [world.severe.case_code, world.mild.case_code]
    page = client.get("/en/triage/?urgency=urgent.child").content.decode()
    assert 'method="get"' in page and "Show all open cases" in page
    assert "<script" not in page


def test_pages_follow_each_other_without_a_count(world: World) -> None:
    for n in range(5):
        world.submit(f"Complaint number {n} about the app refusing to delete my account.")
    scope = reach(world.users["sec"])
    everything = [r["case_code"] for r in queue.page(scope, queue.QueueFilter(), size=100).rows]
    seen: list[str] = []
    after = None
    while True:
        found = queue.page(scope, queue.QueueFilter(), after, size=3)
        seen += [r["case_code"] for r in found.rows]
        if found.next is None:
            break
        after = found.next
    assert seen == everything and len(seen) == 7

    client = world.client("sec")
    body = client.get("/en/triage/").content.decode()
    assert "Next page" not in body  # 7 cases fit in one page of 50
    first = queue.page(scope, queue.QueueFilter(), size=3)
    token = first.next.token  # type: ignore[union-attr]
    second = client.get(f"/en/triage/?after={token}").content.decode()
    assert _codes(second)[:3] == everything[3:6]
    assert "Back to the first page" in second
    assert client.get("/en/triage/?after=not-a-position").status_code == 200


def test_the_page_size_does_not_change_the_number_of_queries(
    world: World, django_assert_max_num_queries: Any, with_workers: None
) -> None:
    client = world.client("sec")
    client.get("/en/triage/")  # warm the session and caches
    with django_assert_max_num_queries(16) as few:  # with the menu's one query
        assert client.get("/en/triage/").status_code == 200
    for n in range(30):
        remedy_actions.route(
            world.users["sec"],
            world.submit(f"Complaint {n}: my data was shared without consent.").pk,
            [world.member_a.pk, world.member_b.pk],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/en/triage/").content.decode()
    assert len(_codes(body)) == 32
    member = world.client("member_a")
    member.get("/en/triage/")
    with django_assert_max_num_queries(16):
        assert len(_codes(member.get("/en/triage/").content.decode())) == 31


def test_the_queue_reads_the_records_in_index_order(world: World) -> None:
    scope = reach(world.users["sec"])
    found = queue.records(scope, queue.QueueFilter(mechanism=world.mechanism.pk))
    sql = str(found.query)
    assert "COUNT(" not in sql.upper()
    assert "EXISTS" not in sql.upper()  # the secretariat's queue is one range of the index
    assert 'ORDER BY "triage_triagerecord"."priority" DESC' in sql
    assert TriageRecord._meta.indexes[0].fields[2:] == ["-priority", "created_at", "grievance"]


def test_per_mechanism_queue(world: World) -> None:
    client = world.client("sec")
    body = client.get("/en/triage/mechanisms/joint/").content.decode()
    assert world.severe.case_code in body and "Priority queue of Joint mechanism" in body
    assert client.get("/en/triage/mechanisms/other/").status_code == 404
    assert client.get("/en/triage/mechanisms/nowhere/").status_code == 404


def test_the_api_queue_pages_with_next(world: World) -> None:
    for n in range(3):
        world.submit(f"Complaint number {n} about the app refusing to delete my account.")
    client = world.client("sec")
    first = client.get("/api/triage/queue", {"limit": 2}).json()
    assert first["items"][0]["case_code"] == world.severe.case_code
    assert "count" not in first and first["next"]
    row = first["items"][0]
    assert (
        row["reasons"]
        and row["urgency"]
        and set(row["severity"])
        == {
            "scale",
            "scope",
            "irremediability",
        }
    )
    second = client.get("/api/triage/queue", {"limit": 2, "after": first["next"]}).json()
    third = client.get("/api/triage/queue", {"limit": 2, "after": second["next"]}).json()
    assert third["next"] is None
    codes = [r["case_code"] for page in (first, second, third) for r in page["items"]]
    assert len(codes) == len(set(codes)) == 5
    assert client.get("/api/triage/queue", {"mechanism": "other"}).status_code == 404
    filtered = client.get("/api/triage/queue", {"member": world.member_a.pk}).json()
    assert [r["case_code"] for r in filtered["items"]] == [world.severe.case_code]


def test_the_pages_speak_the_readers_language(world: World) -> None:
    client = world.client("sec")
    french = client.get("/fr/triage/").content.decode()
    assert "File par priorité" in french and "Crainte de représailles" in french
    korean = client.get(f"/ko/triage/cases/{world.severe.pk}/").content.decode()
    assert "분류 저장" in korean and "사생활 및 개인정보에 관한 권리" in korean
    spanish = client.get(f"/es/remedy/cases/{world.severe.pk}/").content.decode()
    assert "Clasificación: derechos, daño, gravedad y urgencia" in spanish
