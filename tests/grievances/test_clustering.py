"""Clustering of mass complaints: near-duplicates in every language, same incidents, and
nothing else put together."""

from __future__ import annotations

import random

import pytest

from ungpkit.grievances.clustering import ClusterItem, cluster_grievances, tokenize

CAMPAIGNS = {
    "en": "We demand that Nimbus stops selling the location data of its users to brokers "
    "without consent and deletes every profile it built from our movements last year.",
    "fr": "Nous exigeons que Nimbus cesse de vendre les données de localisation de ses "
    "utilisateurs à des courtiers sans consentement et supprime chaque profil construit.",
    "es": "Exigimos que Nimbus deje de vender los datos de ubicación de sus usuarios a "
    "intermediarios sin consentimiento y borre todos los perfiles que construyó con ellos.",
    "ko": "님버스는 이용자의 위치정보를 동의 없이 데이터 브로커에게 판매하는 것을 즉시 중단하고 "
    "작년 우리의 이동 기록으로 만든 모든 프로필을 삭제해야 합니다.",
}
PREFIXES = ("", "Hello, ", "Please read this. ", "Bonjour. ", "Hola. ", "안녕하세요. ")
SINGLES = [
    "My account was closed without warning and my shop lost all its customers overnight.",
    "The app keeps showing me ads for payday loans after I searched for debt advice.",
    "A stranger posted my home address in a group and nobody removes it.",
    "Mon compte a été suspendu sans explication et je ne peux plus travailler comme livreur.",
    "Le service client ne répond jamais et mes photos ont disparu du cloud.",
    "Mi solicitud de crédito fue rechazada por un algoritmo y nadie me explica por qué.",
    "Borraron mi publicación sobre la protesta del barrio sin ninguna razón.",
    "회사가 제 동의 없이 통화 내용을 녹음해서 광고에 이용했습니다.",
    "배달 앱이 갑자기 제 계정을 정지해서 생계가 막막합니다.",
    "The voice assistant recorded my children and I never agreed to that.",
    "Face recognition at the station flagged me as a suspect twice this month.",
    "I was charged twice for the same subscription and the refund never came.",
]


def _copy(text: str, rng: random.Random) -> str:
    words = text.split()
    if rng.random() < 0.5:
        i = rng.randrange(len(words))
        words[i] = words[i][::-1]  # a typo
    return rng.choice(PREFIXES) + " ".join(words)


def test_near_duplicates_are_found_in_all_four_languages() -> None:
    rng = random.Random(1)
    items = []
    for language, letter in CAMPAIGNS.items():
        items += [ClusterItem(_copy(letter, rng), language, "nimbus", 100) for _ in range(6)]
    items += [ClusterItem(text, "und", f"m{i}", 100 + i) for i, text in enumerate(SINGLES)]

    result = cluster_grievances(items)

    groups = {frozenset(c.members) for c in result.clusters}
    for block in range(4):
        assert frozenset(range(block * 6, block * 6 + 6)) in groups
    assert all(result.labels[24 + i] == -1 for i in range(len(SINGLES)))
    assert {c.kind for c in result.clusters} == {"duplicate"}
    korean = next(c for c in result.clusters if 18 in c.members)
    assert korean.label  # shared words name the cluster
    assert all(0.0 <= s <= 1.0 for s in korean.similarity)


def test_complaints_about_one_incident_are_grouped_though_worded_differently() -> None:
    rng = random.Random(2)
    outage = [
        "Since the {d} outage my phone has no signal and I could not call the ambulance.",
        "The network is still down after {d}; my children cannot follow school online.",
        "Nothing works since {d}. I lost two days of work, who will pay for it?",
        "Depuis la panne {d} je n'ai plus internet et mon père malade est isolé.",
        "Sin servicio desde {d}, no puedo cobrar en mi tienda.",
        "{d} 이후로 인터넷이 끊겨서 재택근무를 못 하고 있습니다.",
        "After the {d} incident the router shows a red light all day.",
        "My elderly mother lost her alarm line because of {d}.",
    ]
    items = [
        ClusterItem(text.format(d="error 0x7F21"), "und", "telco", 200 + rng.randrange(3))
        for text in outage
    ]
    result = cluster_grievances(items + _background(150))

    incident = {result.labels[i] for i in range(len(items))}
    assert len(incident) == 1 and incident != {-1}
    cluster = result.clusters[incident.pop()]
    assert set(cluster.members) == set(range(len(items)))
    assert cluster.kind == "incident"
    assert "0x7f21" in cluster.label


def _background(count: int) -> list[ClusterItem]:
    """Unrelated complaints spread over a year and many companies."""
    rng = random.Random(3)
    return [
        ClusterItem(" ".join(rng.sample(SINGLES, 2)), "und", f"m{i % 9}", rng.randrange(365))
        for i in range(count)
    ]


def test_the_same_words_about_another_company_or_months_apart_stay_apart() -> None:
    texts = [
        "Since the outage ref. KX-22041 I have had no internet at home for days.",
        "The outage ref. KX-22041 cut my line and I could not work.",
        "After outage ref. KX-22041 my shop could not take card payments.",
    ]
    items = [ClusterItem(t, "en", "telco-a", 100 + i) for i, t in enumerate(texts)]
    items.append(ClusterItem("My bill doubled after ref. KX-22041, fix it.", "en", "telco-b", 101))
    items.append(ClusterItem("Again ref. KX-22041 and no answer.", "en", "telco-a", 300))

    labels = cluster_grievances(items + _background(150)).labels

    assert labels[0] == labels[1] == labels[2] != -1
    assert labels[3] != labels[0]  # another company
    assert labels[4] != labels[0]  # months later


def test_clustering_is_deterministic_and_handles_empty_texts() -> None:
    items = [ClusterItem(text) for text in ["", "!!!", *SINGLES, SINGLES[0], SINGLES[0]]]

    first = cluster_grievances(items)
    second = cluster_grievances(items)

    assert first == second
    assert first.labels[0] == first.labels[1] == -1
    assert first.labels[2] == first.labels[-1] == first.labels[-2] != -1


def test_nothing_in_nothing_out() -> None:
    assert cluster_grievances([]).clusters == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Netflix가 제 계정을 정지했어요", ["netflix가", "제", "계정", "정지했어요"]),
        ("error 0x7F21 since update 4.2.1", ["error", "0x7f21", "since", "update", "4.2.1"]),
        ("L'application m'a bloqué", ["l'application", "m'a", "bloqué"]),
    ],
)
def test_tokens_keep_codes_whole_and_drop_korean_particles(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected
