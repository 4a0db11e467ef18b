"""The records of resolution: districts, aliases and resolutions (public), and the resolver's indexes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from districtcontrol.geo.names._normalise import _name_parts, _tokens, _word_keys, normalise, phonetic_key

# Alternative names in the boundary file that name no place ("Centre" marks provincial capitals).
GENERIC_ALT_NAMES = frozenset({"centre", "center", "markaz"})

# -- the boundary file's districts --------------------------------------------------------------


@dataclass(frozen=True)
class District:
    """A district of the boundary file, as the resolver knows it."""

    pcode: str
    name: str
    province: str
    province_pcode: str
    alt_names: tuple[str, ...] = ()
    dari: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.province}, {self.pcode})"

    @property
    def is_capital(self) -> bool:
        """True when the boundary file marks the district as its province's centre."""
        return any("markaz" in _tokens(alt) for alt in self.alt_names)


@dataclass(frozen=True)
class Alias:
    """A curated spelling: ``alias`` (in ``alias_province``, if given) means ``name`` in ``name_province``.

    ``source`` and ``line`` say where the alias was read.
    """

    level: str
    alias: str
    alias_province: str
    name: str
    name_province: str
    reason: str
    source: str = ""
    line: int = 0

    @property
    def where(self) -> str:
        return f"{self.source}, line {self.line}" if self.source else "alias"


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one (province, district) pair, with the evidence for it.

    ``method`` is one of exact, normalised, alternative-name, dari-name, alias,
    provincial-centre, part-of, fuzzy, phonetic, partial-name or unresolved. ``warning`` (empty for
    exact) says in a sentence how a name was read; ``problem`` why it was not. ``part_of`` is the
    crosswalk's name of a district that is not in the boundary file (method ``part-of``): the row
    concerns that part of ``district`` only.
    """

    province_query: str
    district_query: str
    method: str
    score: float
    district: District | None = None
    province: str = ""
    province_pcode: str = ""
    suggestions: tuple[str, ...] = ()
    warning: str = ""
    problem: str = ""
    runner_up: str = ""
    runner_up_score: float = 0.0
    evidence: str = ""
    part_of: str = ""

    @property
    def resolved(self) -> bool:
        """True when the name was resolved with confidence."""
        return self.method != "unresolved"

    @property
    def pcode(self) -> str:
        return self.district.pcode if self.district else ""


@dataclass
class _Province:
    pcode: str
    name: str
    districts: list[District] = field(default_factory=list)
    dari: str = ""

    @property
    def capital(self) -> District | None:
        """The district the boundary file marks as centre, else the one named like the province."""
        marked = [d for d in self.districts if d.is_capital]
        named = [d for d in self.districts if normalise(d.name) == normalise(self.name)]
        found = marked or named
        return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class _Entry:
    """One name of a district in the index: its key, phonetic key and what kind of name it is."""

    district: District
    key: str
    skeleton: str
    how: str
    text: str
    words: frozenset[str] = frozenset()


class _Index:
    """Names of a set of districts by key and by phonetic key, with the key list for rapidfuzz."""

    def __init__(self, entries: Iterable[_Entry]):
        self.by_key: dict[str, list[_Entry]] = {}
        self.by_skeleton: dict[str, list[_Entry]] = {}
        for e in entries:
            self.by_key.setdefault(e.key, []).append(e)
            self.by_skeleton.setdefault(e.skeleton, []).append(e)
        self.keys = list(self.by_key)


def _district_entries(d: District) -> list[_Entry]:
    """Every name of a district: name, alternative names, Dari name, and the parts of each."""
    names = [(d.name, "name")]
    names += [(a, "alternative-name") for a in d.alt_names if normalise(a) not in GENERIC_ALT_NAMES]
    names += [(d.dari, "dari-name")] if d.dari else []
    out, seen = [], set()
    for text, how in names:
        for variant in [text, *_name_parts(text)]:
            key = normalise(variant)
            if key and (key, how) not in seen and not (how != "name" and (key, "name") in seen):
                seen.add((key, how))
                out.append(_Entry(d, key, phonetic_key(key), how, variant, frozenset(_word_keys(variant))))
    return out


@dataclass
class _Match:
    district: District
    method: str
    score: float
    part: str
    evidence: str = ""


@dataclass(frozen=True)
class _Query:
    """A district name read into the pieces the resolver tries, most literal first."""

    text: str
    parts: tuple[str, ...]
    provinces: tuple[str, ...]
    centre: bool
    province_as_name: str


def _unique_scores(ranked, identity) -> list[float]:
    seen, scores = set(), []
    for key, score, _ in ranked:
        if identity(key) not in seen:
            seen.add(identity(key))
            scores.append(score)
    return scores


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _unique_districts(items: Iterable[District]) -> list[District]:
    return list({d.pcode: d for d in items}.values())
