"""Synthetic grievances with known clusters, for measuring triage and clustering at scale.

These are **synthetic**: sentences from the phrase banks in ``data/synthetic.yaml`` (written
for this purpose in English, French, Spanish and Korean), put together at random. They stand
in for real complaints, which cannot be published; figures measured on them say how the
method scales and separates what it was built to separate, not how it does on real data.

The collection mixes:

- **campaigns**: one letter pasted by many people (sizes follow a power law, up to a few
  percent of the collection), each copy lightly edited: a personal first line, a changed
  word, a typo, a signature; a fifth of campaigns also circulate in a second language;
- **incidents**: one breach, outage, automated decision... about one company, described
  independently by each person in their own words over a few days or weeks; most mention one
  of the incident's particulars (an error code, a version, a feature's name, a reference);
- **single complaints** about the same companies and the same kinds of harm at the same
  time, each with its own particulars (the hard negatives).

Every grievance knows its true cluster (or none), harm type and severity levels.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("en", "fr", "es", "ko")
LANGUAGE_WEIGHTS = (0.4, 0.2, 0.2, 0.2)
SLOTS = ("data", "person", "city", "time")
HARM_SEVERITY: dict[str, tuple[int, int, int]] = {
    "harm.data_breach": (2, 2, 2),
    "harm.account_termination": (2, 1, 1),
    "harm.content_removal": (1, 1, 0),
    "harm.harassment": (3, 1, 2),
    "harm.automated_decision": (2, 2, 1),
    "harm.service_outage": (1, 3, 0),
    "harm.surveillance": (2, 2, 2),
    "harm.discrimination": (2, 2, 1),
}
"""Typical (scale, scope, irremediability) of each harm, 0-3, before the person's answers."""

SYLLABLES = (
    "vel tra nim bus cor ax zen ora lum io pix el nov a ter ra kin eto sol vi mar ka "
    "qu in fen rix dal o bri sto gen ly ar ven"
).split()
SECTORS = ("Telecom", "Cloud", "Pay", "Social", "Mobility", "Health", "Jobs", "Media")
PRODUCTS = ("app", "Fibre", "Wallet", "Connect", "Score", "Drive", "Chat", "ID", "Plus")
FEATURES = "Trust Safe Score Flow Guard Link Nova Shield Match Rank Pulse Smart Auto Core".split()


@dataclass(frozen=True)
class SyntheticGrievance:
    """One synthetic grievance and the truth about it."""

    text: str
    language: str
    member: str
    company: str
    day: int
    cluster: int
    """True cluster number, -1 when the complaint stands alone."""
    kind: str
    """``campaign``, ``incident`` or ``single``."""
    harm: str
    scale: int
    scope: int
    irremediability: int
    affected_count: int | None
    ongoing: bool
    child_involved: bool
    fear_of_reprisal: bool


@lru_cache(maxsize=1)
def phrase_banks() -> dict[str, Any]:
    """The phrase banks shipped with the package."""
    text = resources.files("ungpkit.grievances").joinpath("data/synthetic.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@dataclass(frozen=True)
class Company:
    key: str
    name: str
    products: tuple[str, ...]


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def companies(count: int, rng: random.Random) -> list[Company]:
    """``count`` member companies with made-up names and products."""
    made: list[Company] = []
    seen: set[str] = set()
    while len(made) < count:
        base = _name(rng, rng.choice((2, 3)))
        if base in seen:
            continue
        seen.add(base)
        name = f"{base} {rng.choice(SECTORS)}"
        products = tuple(f"{base} {p}" for p in rng.sample(PRODUCTS, 3))
        made.append(Company(f"member-{len(made) + 1:02d}", name, products))
    return made


def member_companies(seed: int = 0, members: int = 12) -> list[Company]:
    """The companies ``generate(..., seed=seed, members=members)`` writes about."""
    return companies(members, random.Random(seed))


def detail(rng: random.Random) -> str:
    """A particular of an incident: an error code, a version, a feature, a reference..."""
    kind = rng.randrange(5)
    if kind == 0:
        return f"error 0x{rng.randrange(16**4):04X}"
    if kind == 1:
        return f"update {rng.randrange(2, 30)}.{rng.randrange(20)}.{rng.randrange(20)}"
    if kind == 2:
        return f"“{_name(rng)}{rng.choice(FEATURES)}”"
    if kind == 3:
        letters = "".join(rng.choice("ABCDEFGHKMPRSTX") for _ in range(2))
        return f"ref. {letters}-{rng.randrange(10**5):05d}"
    return f"{rng.choice(FEATURES).lower()}-{rng.randrange(1000, 9999)}"


class _Writer:
    """Composes complaints from the phrase banks."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.banks = phrase_banks()

    def _fill(self, sentence: str, language: str, values: dict[str, str]) -> str:
        slots = self.banks["slots"]
        filled = dict(values)
        for slot in SLOTS:
            filled.setdefault(slot, self.rng.choice(slots[slot][language]))
        filled.setdefault("count", str(self.rng.choice((12, 40, 200, 1500, 30000))))
        return sentence.format_map(filled)

    def complaint(
        self,
        harm: str,
        language: str,
        company: Company,
        details: tuple[str, ...],
        need_detail: bool,
    ) -> str:
        """A complaint in the person's own words; with ``need_detail`` it mentions one of
        ``details`` (or a fresh particular when ``details`` is empty)."""
        rng = self.rng
        bank = self.banks["harms"][harm][language]
        values = {"company": company.name, "product": rng.choice(company.products)}
        chosen = [rng.choice(bank["openings"])]
        chosen += rng.sample(bank["details"], rng.choice((2, 2, 3)))
        if rng.random() < 0.9:
            chosen.append(rng.choice(bank["impacts"]))
        if need_detail and not any("{detail}" in s for s in chosen):
            with_detail = [s for s in bank["details"] if "{detail}" in s]
            if with_detail:
                chosen.insert(1, rng.choice(with_detail))
        if rng.random() < 0.6:
            chosen.append(rng.choice(self.banks["wants"][language]))
        if rng.random() < 0.4:
            chosen.append(rng.choice(self.banks["closings"][language]))
        parts = []
        for sentence in chosen:
            values["detail"] = rng.choice(details) if details else detail(rng)
            parts.append(self._fill(sentence, language, values))
        return _perturb(" ".join(parts), rng, rate=0.06)

    def campaign_copy(self, letter: str, language: str) -> str:
        """One person's copy of a campaign letter: lightly edited."""
        rng = self.rng
        text = letter
        if rng.random() < 0.7:
            intro = self._fill(rng.choice(self.banks["campaign_intros"][language]), language, {})
            text = f"{intro} {text}"
        if rng.random() < 0.3:
            closing = self._fill(rng.choice(self.banks["closings"][language]), language, {})
            text = f"{text} {closing}"
        return _perturb(text, rng, rate=0.02)


def _perturb(text: str, rng: random.Random, rate: float) -> str:
    """Typos and dropped or doubled words, as people type on a phone."""
    words = text.split(" ")
    out: list[str] = []
    for word in words:
        roll = rng.random()
        if roll < rate / 3 and len(out) > 3:
            continue  # dropped
        if roll < 2 * rate / 3 and len(word) > 3:
            i = rng.randrange(len(word) - 1)
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped letters
        elif roll < rate:
            out.append(word)  # doubled
        out.append(word)
    return " ".join(out)


def _cluster_sizes(total: int, largest: int, rng: random.Random) -> list[int]:
    """Sizes summing to about ``total``, power-law distributed between 2 and ``largest``."""
    sizes: list[int] = []
    while sum(sizes) < total:
        size = int(2 * (1 - rng.random()) ** (-1 / 0.9))
        sizes.append(max(2, min(size, largest, total - sum(sizes) + 2)))
    return sizes


def generate(
    count: int,
    *,
    seed: int = 0,
    members: int = 12,
    days: int = 365,
    clustered_share: float = 0.35,
    start_day: int = 20_089,
) -> Iterator[SyntheticGrievance]:
    """``count`` synthetic grievances in a shuffled order (same ``seed``, same output).

    ``clustered_share`` of them belong to campaigns and incidents (about 55 % / 45 %);
    days run from ``start_day`` (2025-01-01) over ``days`` days.
    """
    rng = random.Random(seed)
    firms = companies(members, rng)
    writer = _Writer(rng)
    harms = sorted(HARM_SEVERITY)
    largest = max(2, count // 40)
    plan: list[tuple[str, int]] = []
    clustered = int(count * clustered_share)
    plan += [("campaign", s) for s in _cluster_sizes(int(clustered * 0.55), largest, rng)]
    plan += [
        ("incident", s)
        for s in _cluster_sizes(clustered - sum(s for _, s in plan), largest // 4, rng)
    ]
    made = sum(size for _, size in plan)
    order = list(range(count))
    rng.shuffle(order)
    slots = iter(order)
    out: list[SyntheticGrievance | None] = [None] * count

    def place(item: SyntheticGrievance) -> None:
        out[next(slots)] = item

    for number, (kind, size) in enumerate(plan):
        harm = rng.choice(harms)
        company = rng.choice(firms)
        first = start_day + rng.randrange(days)
        language = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
        other = rng.choice([lang for lang in LANGUAGES if lang != language])
        if kind == "campaign":
            details: tuple[str, ...] = (detail(rng),)
            letters = {
                language: writer.complaint(harm, language, company, details, True),
                other: writer.complaint(harm, other, company, details, True),
            }
            bilingual = rng.random() < 0.2
            spread = rng.choice((3.0, 10.0, 30.0))
            for _ in range(size):
                lang = other if bilingual and rng.random() < 0.3 else language
                text = writer.campaign_copy(letters[lang], lang)
                place(_item(rng, text, lang, company, first, spread, number, kind, harm))
        else:
            details = tuple(detail(rng) for _ in range(rng.choice((1, 2, 3))))
            spread = 20.0 if harm == "harm.automated_decision" else 4.0
            for _ in range(size):
                lang = other if rng.random() < 0.15 else language
                text = writer.complaint(harm, lang, company, details, rng.random() < 0.95)
                place(_item(rng, text, lang, company, first, spread, number, kind, harm))
    for _ in range(count - made):
        harm = rng.choice(harms)
        company = rng.choice(firms)
        lang = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
        text = writer.complaint(harm, lang, company, (), rng.random() < 0.9)
        day = start_day + rng.randrange(days)
        place(_item(rng, text, lang, company, day, 0.0, -1, "single", harm))
    for item in out:
        assert item is not None
        yield item


def _item(
    rng: random.Random,
    text: str,
    language: str,
    company: Company,
    first_day: int,
    spread: float,
    cluster: int,
    kind: str,
    harm: str,
) -> SyntheticGrievance:
    scale, scope, irremediability = HARM_SEVERITY[harm]
    child = rng.random() < 0.05
    reprisal = rng.random() < 0.05
    ongoing = rng.random() < 0.3
    affected = rng.choice((None, None, 1, 1, 2, 5, 40, 1000))
    if child:
        scale = min(3, scale + 1)
    if affected is not None and affected >= 1000:
        scope = 3
    return SyntheticGrievance(
        text=text,
        language=language,
        member=company.key,
        company=company.name,
        day=first_day + int(rng.expovariate(1 / spread)) if spread else first_day,
        cluster=cluster,
        kind=kind,
        harm=harm,
        scale=scale,
        scope=scope,
        irremediability=irremediability,
        affected_count=affected,
        ongoing=ongoing,
        child_involved=child,
        fear_of_reprisal=reprisal,
    )
