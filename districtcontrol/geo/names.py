"""Resolve district and province names, as reports spell them, to the boundary file's districts.

Resolution runs in a fixed order and records every decision (method, score, the chosen
candidate and the runners-up):

1. the province: normalised name, curated alias, then fuzzy match among provinces;
2. the district within that province: normalised name, the boundary file's own alternative
   names, curated alias (``data/aliases.csv``), then rapidfuzz within the province;
3. only then an exact (normalised) match in another province, with an explicit warning.

Anything less certain is unresolved, with the best suggestions: never a silent guess.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from districtcontrol.data.table import aliases_path

FUZZY_MIN_SCORE = 85.0
FUZZY_MIN_MARGIN = 5.0
# Alternative names in the boundary file that name no place ("Centre" marks provincial capitals).
GENERIC_ALT_NAMES = frozenset({"centre", "center"})

_NOISE_WORDS = re.compile(r"\b(district|districts|province|wuluswali|woleswali|wilayat|city|area)\b")
_CONNECTOR = re.compile(r"[\s\-]+(?:e|i|ye|yi|y)[\s\-]+")
_SEPARATORS = re.compile(r"[\s\-_]+")
_NOT_WORD = re.compile(r"[\W_]+")
_DOUBLED = re.compile(r"(.)\1+")
_TRAILING_H = re.compile(r"(?<=[aeiou])h$")
# Transliteration variants folded to one letter: Jurm/Jorm, Kunduz/Kondoz, Qaisar/Qaysar, Faizabad/Fayzabad.
_VOWEL_FOLDS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ai", "ay"), ("ei", "ay"), ("o", "u"), ("e", "i"))


@lru_cache(maxsize=200_000)
def normalise(name: str) -> str:
    """Reduce a place name to a key that ignores spelling noise.

    Folds case and diacritics, drops apostrophes, the words "district" and "province",
    the Persian connectors -e-, -i-, -ye-, word-final h after a vowel (Darah/Dara),
    hyphens, spaces and punctuation, doubled letters (Teppa/Tepa), and folds vowel
    spellings that transliterations mix up (o/u, e/i, ai/ay).
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"['’‘`ʼ]", "", text)
    text = _NOISE_WORDS.sub(" ", text)
    text = _CONNECTOR.sub(" ", f" {text} ")
    words = [_TRAILING_H.sub("", _NOT_WORD.sub("", w)) for w in _SEPARATORS.split(text)]
    key = _DOUBLED.sub(r"\1", "".join(words))
    for variant, folded in _VOWEL_FOLDS:
        key = key.replace(variant, folded)
    return key


@dataclass(frozen=True)
class District:
    """A district of the boundary file, as the resolver knows it."""

    pcode: str
    name: str
    province: str
    province_pcode: str
    alt_names: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.name} ({self.province}, {self.pcode})"


@dataclass(frozen=True)
class Alias:
    """A curated spelling: ``alias`` (in ``alias_province``, if given) means ``name`` in ``name_province``."""

    level: str
    alias: str
    alias_province: str
    name: str
    name_province: str
    reason: str


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one (province, district) pair, with the evidence for it."""

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


def load_aliases(path: str | Path | None = None) -> list[Alias]:
    """Read the curated alias table (default: the one shipped in ``districtcontrol/data``)."""
    with open(path or aliases_path(), encoding="utf-8-sig", newline="") as fh:
        return [Alias(**{k: (v or "").strip() for k, v in row.items()}) for row in csv.DictReader(fh)]


class Resolver:
    """Resolve report spellings to districts of one boundary file.

    Build it from the districts (see :meth:`from_frame`), then call :meth:`resolve` for a
    (province, district) pair or :meth:`resolve_province` for a province. Results are cached,
    so each distinct name is matched once.
    """

    def __init__(self, districts: Iterable[District], aliases: Iterable[Alias] | None = None):
        self.provinces: dict[str, _Province] = {}
        for d in districts:
            prov = self.provinces.setdefault(d.province_pcode, _Province(d.province_pcode, d.province))
            prov.districts.append(d)
        self._province_keys = {normalise(p.name): p for p in self.provinces.values()}
        self._district_keys = self._index_districts()
        self._aliases = list(aliases if aliases is not None else load_aliases())
        self._cache: dict[tuple[str, str], Resolution] = {}

    @classmethod
    def from_frame(cls, frame, aliases: Iterable[Alias] | None = None) -> Resolver:
        """Build a resolver from a frame with columns pcode, district, province, province_pcode, alt_names."""
        rows = frame[["pcode", "district", "province", "province_pcode", "alt_names"]].itertuples(index=False)
        districts = [
            District(pc, name, prov, ppc, tuple(a for a in (alts or "").split("|") if a))
            for pc, name, prov, ppc, alts in rows
        ]
        return cls(districts, aliases)

    def _index_districts(self) -> dict[str, dict[str, list[tuple[District, str]]]]:
        """Per province P-code: normalised key -> [(district, how the key was found)]."""
        index: dict[str, dict[str, list[tuple[District, str]]]] = {}
        for prov in self.provinces.values():
            keys = index.setdefault(prov.pcode, {})
            names = {normalise(d.name) for d in prov.districts}
            for d in prov.districts:
                keys.setdefault(normalise(d.name), []).append((d, "name"))
            for d in prov.districts:
                for alt in d.alt_names:
                    key = normalise(alt)
                    if key and key not in names and key not in GENERIC_ALT_NAMES:
                        keys.setdefault(key, []).append((d, "alternative-name"))
        return index

    # -- provinces ---------------------------------------------------------------------------

    def resolve_province(self, query: str) -> tuple[_Province | None, str, float, tuple[str, ...]]:
        """Return (province, method, score, suggestions) for a province name."""
        key = normalise(query)
        if not key:
            return None, "unresolved", 0.0, ()
        if key in self._province_keys:
            prov = self._province_keys[key]
            return prov, _exact_or_normalised(query, prov.name), 100.0, ()
        for alias in self._aliases:
            if alias.level == "province" and normalise(alias.alias) == key:
                target = self._province_keys.get(normalise(alias.name))
                if target:
                    return target, "alias", 100.0, ()
        ranked = process.extract(key, list(self._province_keys), scorer=fuzz.ratio, limit=3)
        suggestions = tuple(self._province_keys[k].name for k, _, _ in ranked)
        if _confident([score for _, score, _ in ranked]):
            return self._province_keys[ranked[0][0]], "fuzzy", round(ranked[0][1], 1), suggestions[1:]
        return None, "unresolved", round(ranked[0][1], 1) if ranked else 0.0, suggestions

    # -- districts ---------------------------------------------------------------------------

    def resolve(self, province: str, district: str) -> Resolution:
        """Resolve a district name within a province (either may be empty, not both)."""
        cache_key = (province.strip(), district.strip())
        if cache_key not in self._cache:
            self._cache[cache_key] = self._resolve(*cache_key)
        return self._cache[cache_key]

    def _resolve(self, province: str, district: str) -> Resolution:
        if not province:
            return self._resolve_anywhere(province, district)
        prov, method, score, prov_suggestions = self.resolve_province(province)
        if prov is None:
            return Resolution(
                province,
                district,
                "unresolved",
                score,
                suggestions=prov_suggestions,
                problem=f"unknown province '{province}'",
            )
        if not district:
            return Resolution(province, district, method, score, None, prov.name, prov.pcode, prov_suggestions)
        return self._resolve_in(prov, province, district)

    def _resolve_in(self, prov: _Province, province: str, district: str) -> Resolution:
        key = normalise(district)
        found = self._district_keys[prov.pcode].get(key, [])
        if len(found) == 1:
            d, how = found[0]
            method = how if how != "name" else _exact_or_normalised(district, d.name)
            return Resolution(province, district, method, 100.0, d, d.province, d.province_pcode)
        if len(found) > 1:
            return self._ambiguous(province, district, [d for d, _ in found])
        alias = self._alias_for(prov, province, district, key)
        if alias:
            return alias
        return self._fuzzy_in(prov, province, district, key)

    def _alias_for(self, prov: _Province, province: str, district: str, key: str) -> Resolution | None:
        for alias in self._aliases:
            if alias.level != "district" or normalise(alias.alias) != key:
                continue
            if alias.alias_province and self.resolve_province(alias.alias_province)[0] is not prov:
                continue
            target_prov = self.resolve_province(alias.name_province or prov.name)[0]
            targets = self._district_keys.get(target_prov.pcode if target_prov else "", {}).get(normalise(alias.name))
            if not targets:
                continue
            d = targets[0][0]
            warning = ""
            if d.province_pcode != prov.pcode:
                warning = (
                    f"'{alias.alias}' is placed in {prov.name} by the table but in {d.province} "
                    f"by the boundary file: {alias.reason}"
                )
            return Resolution(province, district, "alias", 100.0, d, d.province, d.province_pcode, warning=warning)
        return None

    def _fuzzy_in(self, prov: _Province, province: str, district: str, key: str) -> Resolution:
        ranked = self._rank(key, self._district_keys[prov.pcode])
        labels = [d.name for d, _ in ranked[:4]]
        if _confident([score for _, score in ranked]):
            d, score = ranked[0]
            return Resolution(
                province,
                district,
                "fuzzy",
                round(score, 1),
                d,
                d.province,
                d.province_pcode,
                suggestions=tuple(labels[1:]),
            )
        elsewhere = self._exact_elsewhere(key, prov)
        if len(elsewhere) == 1:
            d = elsewhere[0]
            warning = f"'{district}' is not in {prov.name}; the only district of that name is in {d.province}"
            return Resolution(
                province, district, "other-province", 100.0, d, d.province, d.province_pcode, warning=warning
            )
        best = round(ranked[0][1], 1) if ranked else 0.0
        suggestions = tuple(f"{n} ({prov.name})" for n in labels) + tuple(d.label for d in elsewhere)
        problem = f"no district of {prov.name} matches '{district}' with confidence"
        return Resolution(province, district, "unresolved", best, suggestions=suggestions, problem=problem)

    @staticmethod
    def _rank(key: str, choices: dict[str, list[tuple[District, str]]]) -> list[tuple[District, float]]:
        """Districts by their best fuzzy score over all their keys (name and alternative names)."""
        best: dict[str, tuple[District, float]] = {}
        for choice, score, _ in process.extract(key, list(choices), scorer=fuzz.ratio, limit=12):
            for d, _ in choices[choice]:
                if d.pcode not in best or score > best[d.pcode][1]:
                    best[d.pcode] = (d, score)
        return sorted(best.values(), key=lambda item: -item[1])

    def _exact_elsewhere(self, key: str, skip: _Province | None) -> list[District]:
        out = []
        for pcode, keys in self._district_keys.items():
            if skip is None or pcode != skip.pcode:
                out.extend(d for d, _ in keys.get(key, []))
        return _unique_districts(out)

    def _resolve_anywhere(self, province: str, district: str) -> Resolution:
        key = normalise(district)
        matches = self._exact_elsewhere(key, None)
        if len(matches) == 1:
            d = matches[0]
            method = _exact_or_normalised(district, d.name)
            return Resolution(province, district, method, 100.0, d, d.province, d.province_pcode)
        if len(matches) > 1:
            return self._ambiguous(province, district, matches)
        everything = {k: v for keys in self._district_keys.values() for k, v in keys.items()}
        ranked = process.extract(key, list(everything), scorer=fuzz.ratio, limit=4)
        suggestions = tuple(_unique(d.label for k, _, _ in ranked for d, _ in everything[k]))
        problem = f"no district matches '{district}' and no province was given"
        return Resolution(
            province, district, "unresolved", ranked[0][1] if ranked else 0.0, suggestions=suggestions, problem=problem
        )

    def _ambiguous(self, province: str, district: str, matches: list[District]) -> Resolution:
        labels = tuple(d.label for d in _unique_districts(matches))
        problem = f"'{district}' is ambiguous: it names {len(labels)} districts; give its province"
        return Resolution(province, district, "unresolved", 100.0, suggestions=labels, problem=problem)


def _exact_or_normalised(query: str, name: str) -> str:
    return "exact" if " ".join(query.casefold().split()) == name.casefold() else "normalised"


def _confident(scores: list[float]) -> bool:
    """A best score high enough, and clearly ahead of the next candidate."""
    if not scores or scores[0] < FUZZY_MIN_SCORE:
        return False
    return len(scores) == 1 or scores[0] - scores[1] >= FUZZY_MIN_MARGIN


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _unique_districts(items: Iterable[District]) -> list[District]:
    return list({d.pcode: d for d in items}.values())
