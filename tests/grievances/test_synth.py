"""The synthetic grievance generator: deterministic, four languages, known clusters."""

from __future__ import annotations

import re
from collections import Counter

from ungpkit.grievances.synth import HARM_SEVERITY, LANGUAGES, generate, phrase_banks


def test_same_seed_same_grievances_and_another_seed_others() -> None:
    first = list(generate(300, seed=4))

    assert first == list(generate(300, seed=4))
    assert first != list(generate(300, seed=5))


def test_a_collection_mixes_campaigns_incidents_and_single_complaints() -> None:
    items = list(generate(3000, seed=1))

    kinds = Counter(item.kind for item in items)
    assert len(items) == 3000
    assert set(kinds) == {"campaign", "incident", "single"}
    assert 0.25 < (kinds["campaign"] + kinds["incident"]) / len(items) < 0.45
    assert {item.language for item in items} == set(LANGUAGES)
    assert {item.harm for item in items} == set(HARM_SEVERITY)
    clustered = Counter(item.cluster for item in items if item.cluster >= 0)
    assert min(clustered.values()) >= 2
    assert all(item.cluster == -1 for item in items if item.kind == "single")
    for item in items:
        assert "{" not in item.text and "}" not in item.text
        assert min(item.scale, item.scope, item.irremediability) >= 0
        assert max(item.scale, item.scope, item.irremediability) <= 3


def test_members_of_an_incident_concern_one_company_within_weeks() -> None:
    items = list(generate(3000, seed=2))

    by_cluster: dict[int, list[int]] = {}
    for item in items:
        if item.kind == "incident":
            by_cluster.setdefault(item.cluster, []).append(item.day)
            assert item.member == next(i.member for i in items if i.cluster == item.cluster)
    assert by_cluster
    spans = [max(days) - min(days) for days in by_cluster.values()]
    assert sorted(spans)[len(spans) // 2] < 30


def test_the_phrase_banks_use_only_the_known_placeholders() -> None:
    allowed = {"company", "product", "detail", "data", "person", "city", "time", "count"}
    banks = phrase_banks()
    sentences: list[str] = []
    for harm in banks["harms"].values():
        for language in LANGUAGES:
            for part in ("openings", "details", "impacts"):
                sentences += harm[language][part]
    for section in ("wants", "closings", "campaign_intros"):
        for language in LANGUAGES:
            sentences += banks[section][language]
    used = {name for sentence in sentences for name in re.findall(r"{(\w+)}", sentence)}
    assert used <= allowed
    assert len(sentences) > 1000
