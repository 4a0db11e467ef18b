"""Resolve district and province names, as tables spell them, to the boundary file's districts.

A name is first cleaned of typography (Unicode dashes and quotes, invisible marks, spacing,
case, Arabic and Persian letter forms) and read into words: connectors (-e-, -i-, wa, -o-),
synonyms (payin/sufla, bala/ulya, awal/1 …, from ``data/name_words.csv``) and generic words
("district") are folded. Then, in a fixed order, every decision keeping its evidence (method,
score, runner-up, warning):

1. the province: normalised name, Dari name, curated alias, then fuzzy among provinces;
2. the district, as a whole, within the province: its name, the boundary file's alternative
   and Dari names, aliases (user files first, then ``data/aliases.csv``);
3. the parts of the name: parenthesised or slashed alternatives (``Yamgan (Girwan)``), a
   province named as qualifier (``BAHARAK (BADAKHSHAN)``), provincial-centre phrases
   (``province Center (Maimana)``, ``Markaz-e-Wilayat``) and a province's name used for its
   capital; every part that matches must point at the same district, and a province named
   in the text must be the table's;
4. rapidfuzz on the normalised and phonetic keys, accepted only when high enough and clearly
   ahead of the runner-up (numbers must agree: Yakawlang No 2 is not Yakawlang);
5. a phonetic key (consonant skeleton; k/q, z/dh, j/dj/zh, w/v and vowels folded) that is
   unique in the province;
6. a partial name: the only district whose name contains all the query's words.

A (near-)exact name in another province never wins silently: against a plausible candidate in
the given province it is an error naming both; alone it resolves with a warning. Without a
province the whole country is searched and a name found in several provinces is an error
listing each. Anything less certain is unresolved, with the best candidates first.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz, process

from districtcontrol import DistrictControlError
from districtcontrol.data.table import aliases_path

FUZZY_MIN_SCORE = 85.0
FUZZY_MIN_MARGIN = 5.0
# A candidate in the given province at least this close turns an exact name elsewhere into an error.
PLAUSIBLE_SCORE = 75.0
# A fuzzy score elsewhere at least this high counts as a near-exact name in another province.
NEAR_EXACT_SCORE = 95.0
# A part of a name that points elsewhere this strongly contradicts the part that matched.
CONTRADICTING_SCORE = 90.0
# Points taken from a candidate whose numbers (Kohistan 1, Yakawlang No 2) differ from the query's.
NUMBER_MISMATCH_PENALTY = 30.0
# Phonetic keys shorter than this match too many names to decide anything alone (within a province: 2).
MIN_SKELETON = 3
MIN_SKELETON_IN_PROVINCE = 2
# The words a partial name shares with a district must have at least this many letters.
MIN_PARTIAL_LETTERS = 5
# Alternative names in the boundary file that name no place ("Centre" marks provincial capitals).
GENERIC_ALT_NAMES = frozenset({"centre", "center", "markaz"})
ALIAS_COLUMNS = ("level", "alias", "alias_province", "name", "name_province", "reason")

# -- typography -------------------------------------------------------------------------------

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_QUOTES = '\u2018\u2019\u201a\u201b\u2032\u02bc\u02bb\u00b4`\u201c\u201d\u201e\u2033"'
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u0640"
_TYPOGRAPHY = str.maketrans({**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_QUOTES, "'"), **dict.fromkeys(_INVISIBLE)})
# Arabic letter forms typed on Arabic keyboards, folded to the Persian ones the boundary file uses.
_ARABIC_FORMS = str.maketrans(
    {"ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ؤ": "و", "أ": "ا", "إ": "ا", "ٱ": "ا"}
)
_NUMBER_MARK = re.compile(r"\b(?:s\.\s?)?(?:no|nr|num|number)\b\.?\s*(?=\d)|#\s*(?=\d)")
_WORD_PIECES = re.compile(r"\d+|[^\W\d_]+")
_CONNECTORS = frozenset({"e", "i", "ye", "yi", "y", "ee", "ie"})
_DOUBLED = re.compile(r"(.)\1+")
_TRAILING_H = re.compile(r"(?<=[aeiou])h$")
# Transliteration variants folded to one letter: Jurm/Jorm, Kunduz/Kondoz, Qaisar/Qaysar, Faizabad/Fayzabad.
_VOWEL_FOLDS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ai", "ay"), ("ei", "ay"), ("o", "u"), ("e", "i"))
# Consonant spellings that Dari and Pashto transliterations mix up, folded for the phonetic key.
_CONSONANT_FOLDS = (
    ("dh", "z"),
    ("dj", "j"),
    ("zh", "j"),
    ("gh", "g"),
    ("kh", "x"),
    ("sh", "$"),
    ("ch", "c"),
    ("ph", "f"),
    ("q", "k"),
    ("ck", "k"),
    ("v", "w"),
)
# Words glued in spreadsheets: 'HeratCenter', 'DehSabz', 'awaliBehsud'.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_PART_SEPARATORS = re.compile(r"[()\[\]{}/\\,;|]|\b(?:or|aka|alias|formerly)\b", re.IGNORECASE)


def clean_typography(text: str) -> str:
    """Unicode dashes to '-', curly quotes to ', invisible marks removed, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return " ".join(text.split())


@dataclass(frozen=True)
class _Words:
    synonyms: dict[str, str]
    dropped: frozenset[str]
    centre: frozenset[str]


def name_words_path() -> Path:
    """The word list shipped with the package: synonyms, dropped words, provincial-centre words."""
    return Path(str(resources.files("districtcontrol.data").joinpath("name_words.csv")))


@lru_cache(maxsize=1)
def _words() -> _Words:
    synonyms: dict[str, str] = {}
    dropped, centre = set(), set()
    with open(name_words_path(), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            word = _fold_letters(row["word"])
            if row["kind"] == "synonym":
                synonyms[word] = row["means"]
            elif row["kind"] == "drop":
                dropped.add(word)
            elif row["kind"] == "centre":
                centre.add(word)
    return _Words(synonyms, frozenset(dropped), frozenset(centre))


def _fold_letters(text: str) -> str:
    text = unicodedata.normalize("NFKD", _CAMEL.sub(" ", clean_typography(text)))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return text.translate(_ARABIC_FORMS)


@lru_cache(maxsize=200_000)
def _tokens(name: str) -> tuple[str, ...]:
    """The words of a name: letters folded, connectors dropped, synonyms mapped (generic words kept)."""
    text = re.sub(r"['`]", "", _fold_letters(name))
    text = _NUMBER_MARK.sub(" ", text)
    synonyms = _words().synonyms
    pieces = (p for p in _WORD_PIECES.findall(text) if p not in _CONNECTORS)
    return tuple(synonyms.get(p, p) for p in pieces)


def _key_of(tokens: Iterable[str]) -> str:
    dropped = _words().dropped
    words, digits = [], []
    for token in tokens:
        if token.isdecimal():
            digits.append(str(int(token)))
        elif token not in dropped:
            words.append(_TRAILING_H.sub("", token))
    key = _DOUBLED.sub(r"\1", "".join(words))
    for variant, folded in _VOWEL_FOLDS:
        key = key.replace(variant, folded)
    return key + "".join(sorted(digits))


@lru_cache(maxsize=200_000)
def normalise(name: str) -> str:
    """Reduce a place name to a key that ignores spelling noise.

    Folds typography, case, diacritics and Arabic letter forms; drops apostrophes, generic
    words ("district"), the Persian connectors -e-, -i-, -ye- and wa/-o-, word-final h after a
    vowel (Darah/Dara), hyphens, spaces and punctuation, doubled letters (Teppa/Tepa); maps
    synonyms (Payin/Sufla, Bala/Ulya, Awal/1, Center/Markaz) and folds vowel spellings that
    transliterations mix up (o/u, e/i, ai/ay). Numbers go last, so Kohistan 1 and
    Hisa-e-Awal-e-Kohistan share a key.
    """
    return _key_of(_tokens(name))


@lru_cache(maxsize=200_000)
def phonetic_key(key: str) -> str:
    """A consonant skeleton of a normalised key: k/q, z/dh, j/dj/zh, w/v folded, vowels dropped.

    A leading vowel is kept as 'a' (Urgo/Argo share 'arg'); numbers stay at the end.
    """
    letters = key.rstrip("0123456789")
    digits = key[len(letters) :]
    for variant, folded in _CONSONANT_FOLDS:
        letters = letters.replace(variant, folded)
    if not letters:
        return digits
    head = "a" if letters[0] in "aeiouy" else letters[0]
    body = re.sub(r"(?<=[aeiouy])h", "", letters[1:])
    body = re.sub(r"[aeiouyw]", "", body)
    return _DOUBLED.sub(r"\1", head + body) + digits


@lru_cache(maxsize=200_000)
def _word_keys(text: str) -> dict[str, int]:
    """The phonetic key of each word of a name, with the number of letters of the word."""
    out = {}
    for token in _tokens(text):
        key = _key_of([token])
        if key:
            out[phonetic_key(key)] = len(key)
    return out


def _is_partial(query: dict[str, int], words: frozenset[str]) -> bool:
    """The query's words are some of the name's words (Murghab / Bala Murghab), with enough letters.

    Never the other way round: extra words may name another unit (Laja Mangal is not Mangal).
    """
    asked = set(query)
    if not asked < words:
        return False
    return sum(query[w] for w in asked if not w.isdecimal()) >= MIN_PARTIAL_LETTERS


def _digits(key: str) -> str:
    return key[len(key.rstrip("0123456789")) :]


def _name_parts(text: str) -> list[str]:
    """The parts of a name written as alternatives: 'Yamgan (Girwan)', 'Nesay / Darwaz-e-Bala'."""
    parts = [p.strip(" -'.") for p in _PART_SEPARATORS.split(clean_typography(text))]
    parts = [p for p in parts if normalise(p)]
    return parts if len(parts) > 1 else []


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
    provincial-centre, fuzzy, phonetic, partial-name, other-province or unresolved. ``warning`` (empty for
    exact) says in a sentence how a name was read; ``problem`` why it was not.
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


def load_aliases(path: str | Path | None = None) -> list[Alias]:
    """Read an alias table (default: the one shipped in ``districtcontrol/data``).

    Columns: level (district or province), alias, alias_province, name, name_province, reason.
    Raises :class:`DistrictControlError` naming the file and line of a malformed row.
    """
    explicit = path is not None
    path = Path(path) if path else aliases_path()
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in ALIAS_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise DistrictControlError(
                    f"alias table lacks column(s) {', '.join(missing)}; its columns must be {','.join(ALIAS_COLUMNS)}",
                    str(path),
                    1,
                )
            source = str(path) if explicit else path.name
            return [_alias_row(row, path, source, reader.line_num) for row in reader]
    except FileNotFoundError as exc:
        raise DistrictControlError("no such alias table", str(path)) from exc
    except UnicodeDecodeError as exc:
        raise DistrictControlError(f"alias table is not UTF-8 ({exc.reason}); save it as UTF-8", str(path)) from exc


def _alias_row(row: dict, path: Path, source: str, line: int) -> Alias:
    values = {c: (row.get(c) or "").strip() for c in ALIAS_COLUMNS}
    if values["level"] not in ("district", "province"):
        raise DistrictControlError(f"level must be 'district' or 'province', not '{values['level']}'", str(path), line)
    if not values["alias"] or not values["name"]:
        raise DistrictControlError("an alias needs both 'alias' and 'name'", str(path), line)
    return Alias(**values, source=source, line=line)


class Resolver:
    """Resolve table spellings to districts of one boundary file.

    Build it from the districts (see :meth:`from_frame`), then call :meth:`resolve` for a
    (province, district) pair or :meth:`resolve_province` for a province. ``aliases``
    defaults to the shipped table; ``alias_files`` are users' tables (same columns), tried
    before it. Results are cached, so each distinct name is matched once.
    """

    def __init__(
        self,
        districts: Iterable[District],
        aliases: Iterable[Alias] | None = None,
        *,
        alias_files: Sequence[str | Path] = (),
        province_dari: dict[str, str] | None = None,
    ):
        self.provinces: dict[str, _Province] = {}
        for d in districts:
            prov = self.provinces.setdefault(d.province_pcode, _Province(d.province_pcode, d.province))
            prov.districts.append(d)
        for pcode, dari in (province_dari or {}).items():
            if pcode in self.provinces:
                self.provinces[pcode].dari = dari
        self._user_aliases = [a for path in alias_files for a in load_aliases(path)]
        self._aliases = self._user_aliases + list(aliases if aliases is not None else load_aliases())
        self._province_keys = self._index_provinces()
        self._national = _Index(e for p in self.provinces.values() for d in p.districts for e in _district_entries(d))
        self._by_province = {
            pcode: _Index(e for d in p.districts for e in _district_entries(d)) for pcode, p in self.provinces.items()
        }
        self._district_aliases = self._index_district_aliases()
        self._cache: dict[tuple[str, str], Resolution] = {}
        from districtcontrol.geo._alias_checks import check_aliases

        check_aliases(self, self._user_aliases)  # users' aliases must be ones the resolver can honour

    @classmethod
    def from_frame(
        cls, frame, aliases: Iterable[Alias] | None = None, *, alias_files: Sequence[str | Path] = ()
    ) -> Resolver:
        """Build a resolver from a frame with columns pcode, district, province, province_pcode, alt_names.

        Optional columns district_dari and province_dari add the Dari names.
        """
        has = set(frame.columns)
        dari = frame["district_dari"] if "district_dari" in has else [""] * len(frame)
        rows = zip(*(frame[c] for c in ("pcode", "district", "province", "province_pcode", "alt_names")), dari)
        districts = [
            District(pc, name, prov, ppc, tuple(a for a in (alts or "").split("|") if a), dd or "")
            for pc, name, prov, ppc, alts, dd in rows
        ]
        province_dari = {}
        if "province_dari" in has:
            province_dari = dict(zip(frame["province_pcode"], frame["province_dari"].fillna("")))
        return cls(districts, aliases, alias_files=alias_files, province_dari=province_dari)

    # -- indexes ------------------------------------------------------------------------------

    def _index_provinces(self) -> dict[str, tuple[_Province, str]]:
        """Normalised province name -> (province, method); names first, then Dari, then aliases."""
        keys: dict[str, tuple[_Province, str]] = {}
        for prov in self.provinces.values():
            keys.setdefault(normalise(prov.name), (prov, "name"))
        for prov in self.provinces.values():
            if prov.dari and normalise(prov.dari):
                keys.setdefault(normalise(prov.dari), (prov, "dari-name"))
        for alias in self._aliases:
            target = keys.get(normalise(alias.name))
            if alias.level == "province" and target and target[1] == "name":
                keys.setdefault(normalise(alias.alias), (target[0], "alias"))
        return keys

    def _index_district_aliases(self) -> dict[str, list[tuple[Alias, District]]]:
        """Normalised alias -> [(alias, target district)]; a user alias naming no district is an error."""
        out: dict[str, list[tuple[Alias, District]]] = {}
        user = {id(a) for a in self._user_aliases}
        for alias in self._aliases:
            if alias.level != "district":
                continue
            target = self._alias_target(alias)
            if target is None:
                if id(alias) in user:
                    raise DistrictControlError(
                        f"alias '{alias.alias}' names '{alias.name}' ({alias.name_province or alias.alias_province}), "
                        "which is not a district of the boundary file; correct 'name' and 'name_province'",
                        alias.source,
                        alias.line,
                    )
                continue
            out.setdefault(normalise(alias.alias), []).append((alias, target))
        return out

    def _alias_target(self, alias: Alias) -> District | None:
        prov = self._province_keys.get(normalise(alias.name_province or alias.alias_province))
        index = self._by_province[prov[0].pcode] if prov else self._national
        targets = _unique_districts(e.district for e in index.by_key.get(normalise(alias.name), []))
        return targets[0] if len(targets) == 1 else None

    # -- provinces ------------------------------------------------------------------------------

    def resolve_province(self, query: str) -> tuple[_Province | None, str, float, tuple[str, ...]]:
        """Return (province, method, score, suggestions) for a province name."""
        key = normalise(query)
        if not key:
            return None, "unresolved", 0.0, ()
        if key in self._province_keys:
            prov, how = self._province_keys[key]
            method = _exact_or_normalised(query, prov.name) if how == "name" else how
            return prov, method, 100.0, ()
        ranked = process.extract(key, list(self._province_keys), scorer=fuzz.ratio, limit=6)
        names = _unique(self._province_keys[k][0].name for k, _, _ in ranked)
        scores = _unique_scores(ranked, lambda k: self._province_keys[k][0].pcode)
        if _confident(scores):
            return self._province_keys[ranked[0][0]][0], "fuzzy", round(ranked[0][1], 1), tuple(names[1:3])
        return None, "unresolved", round(ranked[0][1], 1) if ranked else 0.0, tuple(names[:3])

    def _province_named(self, text: str) -> _Province | None:
        found = self._province_keys.get(normalise(text))
        return found[0] if found else None

    # -- districts ------------------------------------------------------------------------------

    def resolve(self, province: str, district: str) -> Resolution:
        """Resolve a district name within a province (either may be empty, not both)."""
        cache_key = (province.strip(), district.strip())
        if cache_key not in self._cache:
            self._cache[cache_key] = self._resolve(*cache_key)
        return self._cache[cache_key]

    def _resolve(self, province: str, district: str) -> Resolution:
        query = self._read_query(district) if district else None
        if not province:
            if query is None:
                return Resolution(province, district, "unresolved", 0.0, problem="no province and no district given")
            if self._strong(query.text, None) or len(query.provinces) != 1:
                return _Decision(self, province, district, query, None).run()
            scope = self.provinces[query.provinces[0]]
            return _Decision(self, province, district, query, scope, from_name=True).run()
        prov, method, score, prov_suggestions = self.resolve_province(province)
        if prov is None:
            problem = f"unknown province '{province}'"
            return Resolution(province, district, "unresolved", score, suggestions=prov_suggestions, problem=problem)
        if query is None:
            return Resolution(province, district, method, score, None, prov.name, prov.pcode, prov_suggestions)
        return _Decision(self, province, district, query, prov).run()

    def _read_query(self, district: str) -> _Query:
        """Split a district name into its parts, province qualifiers and provincial-centre phrase."""
        parts, provinces, centre, as_name = [], [], False, ""
        for piece in _name_parts(district) or [district]:
            prov = self._province_named(piece)
            if prov is not None:
                provinces.append(prov.pcode)
                as_name = as_name or piece
                continue
            stripped, named = self._strip_province(piece)
            provinces += [p.pcode for p in named]
            if self._is_centre_phrase(stripped):
                centre = True
                continue
            parts.append(piece)
            if stripped != piece:
                parts.append(stripped)
        parts = [p for p in _unique(parts) if p != district]
        return _Query(district, tuple(parts), tuple(_unique(provinces)), centre, as_name)

    def _strip_province(self, piece: str) -> tuple[str, list[_Province]]:
        """Remove a province name written before or after a district name ('MUQUR BADGHIS')."""
        words = _CAMEL.sub(" ", clean_typography(piece)).replace("-", " ").split()
        for size in (3, 2, 1):
            if len(words) <= size:
                continue
            for kept, cut in ((words[:-size], words[-size:]), (words[size:], words[:size])):
                prov = self._province_named(" ".join(cut))
                if prov is not None and normalise(" ".join(kept)):
                    return " ".join(kept), [prov]
        return piece, []

    def _is_centre_phrase(self, text: str) -> bool:
        """'province Center', 'Markaz-e-Wilayat', 'Provincial capital' (a province's name may be left in)."""
        tokens = [t for t in _tokens(text) if t not in _CONNECTORS]
        words = _words()
        if not tokens or not ({"markaz", "capital"} & set(tokens)):
            return False
        rest = [t for t in tokens if t not in words.centre and t not in ("markaz", "capital")]
        return not rest or self._province_named(" ".join(rest)) is not None

    # -- matching primitives used by _Decision -------------------------------------------------

    def _index(self, scope: _Province | None) -> _Index:
        return self._by_province[scope.pcode] if scope else self._national

    def _strong(self, text: str, scope: _Province | None) -> list[_Match]:
        """Matches by name, alternative or Dari name, or alias: exact after normalisation."""
        key = normalise(text)
        if not key:
            return []
        out = []
        for e in self._index(scope).by_key.get(key, []):
            method = _exact_or_normalised(text, e.text) if e.how == "name" else e.how
            out.append(_Match(e.district, method, 100.0, text, e.text))
        if not out:
            for alias, target in self._district_aliases.get(key, []):
                if self._alias_applies(alias, scope):
                    out.append(_Match(target, "alias", 100.0, text, f"{alias.where}: {alias.reason}"))
                    break
        return out

    def _alias_applies(self, alias: Alias, scope: _Province | None) -> bool:
        if not alias.alias_province or scope is None:
            return True
        return self._province_named(alias.alias_province) is scope

    def _phonetic(self, text: str, scope: _Province | None) -> list[District]:
        skeleton = phonetic_key(normalise(text))
        if len(skeleton.rstrip("0123456789")) < (MIN_SKELETON_IN_PROVINCE if scope else MIN_SKELETON):
            return []
        return _unique_districts(e.district for e in self._index(scope).by_skeleton.get(skeleton, []))

    def _partial(self, text: str, scope: _Province | None) -> list[District]:
        """Districts whose name contains all of the query's words."""
        query = _word_keys(text)
        if not query:
            return []
        entries = (e for found in self._index(scope).by_key.values() for e in found)
        return _unique_districts(e.district for e in entries if _is_partial(query, e.words))

    def _rank(self, texts: Iterable[str], scope: _Province | None) -> list[tuple[District, float]]:
        """Districts by their best fuzzy score over all query texts and all their names."""
        index = self._index(scope)
        best: dict[str, tuple[District, float]] = {}
        for text in texts:
            key = normalise(text)
            if not key:
                continue
            skeleton = phonetic_key(key)
            for choice, score, _ in process.extract(key, index.keys, scorer=fuzz.ratio, limit=12):
                for e in index.by_key[choice]:
                    combined = _combined_score(key, skeleton, e, score)
                    if e.district.pcode not in best or combined > best[e.district.pcode][1]:
                        best[e.district.pcode] = (e.district, combined)
        return sorted(best.values(), key=lambda item: -item[1])


def _combined_score(key: str, skeleton: str, entry: _Entry, key_score: float) -> float:
    """The key's fuzzy score, raised halfway towards the phonetic key's score; numbers must agree."""
    score = max(key_score, (key_score + fuzz.ratio(skeleton, entry.skeleton)) / 2)
    if _digits(key) != _digits(entry.key):
        score -= NUMBER_MISMATCH_PENALTY
    return score


class _Decision:
    """One resolution: tries the query's pieces in order and turns the outcome into a Resolution."""

    def __init__(self, resolver: Resolver, province: str, district: str, query: _Query, scope, from_name=False):
        self.r = resolver
        self.province, self.district, self.query, self.scope = province, district, query, scope
        self.from_name = from_name
        self.texts = [query.text, *query.parts]

    def run(self) -> Resolution:
        for found in (self._whole(), self._qualifier_conflict(), self._from_parts(), self._centre()):
            if found:
                return found
        return self._weaker()

    # -- strong evidence --------------------------------------------------------------------

    def _whole(self) -> Resolution | None:
        matches = self.r._strong(self.query.text, self.scope)
        return self._accept_strong(matches) if matches else None

    def _qualifier_conflict(self) -> Resolution | None:
        """A province written in the name that is not the table's province: an error naming both."""
        named = [self.r.provinces[p] for p in self.query.provinces]
        if self.scope is None or not named or self.scope in named:
            return None
        found = [m.district for p in named for part in self.query.parts for m in self.r._strong(part, p)]
        found += [m.district for part in self.query.parts for m in self.r._strong(part, self.scope)]
        if not found:
            found = [d for scope in [*named, self.scope] for d, _ in self.r._rank(self.query.parts, scope)[:2]]
        problem = (
            f"'{self.district}' names the province {' or '.join(p.name for p in named)}, but the table says "
            f"{self.scope.name}: correct one of them"
        )
        labels = tuple(d.label for d in _unique_districts(found))
        return Resolution(self.province, self.district, "unresolved", 0.0, suggestions=labels, problem=problem)

    def _from_parts(self) -> Resolution | None:
        matches = [m for part in self.query.parts for m in self.r._strong(part, self.scope)]
        if self.query.centre and self.scope and self.scope.capital:
            matches.append(_Match(self.scope.capital, "provincial-centre", 100.0, self.query.text))
        return self._accept_strong(matches) if matches else None

    def _centre(self) -> Resolution | None:
        """A province's name, alone, for its capital district."""
        named = self.r._province_named(self.query.province_as_name or self.query.text)
        if named is None or (self.scope is not None and named is not self.scope) or self.query.parts:
            return None
        if named.capital is None:
            return None
        return self._accept_strong([_Match(named.capital, "provincial-centre", 100.0, self.query.text)])

    def _accept_strong(self, matches: list[_Match]) -> Resolution:
        districts = _unique_districts(m.district for m in matches)
        if len(districts) > 1:
            return self._ambiguous(districts)
        chosen = next(m for m in matches if m.district is districts[0])
        contradiction = self._contradicting_part(chosen)
        if contradiction:
            return self._ambiguous([chosen.district, contradiction])
        return self._resolved(chosen, ())

    def _contradicting_part(self, chosen: _Match) -> District | None:
        """A part of the name that fits another district well (Nesay / Darwaz-e-Bala must agree)."""
        for part in self.query.parts:
            if part == chosen.part or self.r._strong(part, self.scope):
                continue
            ranked = self.r._rank([part], self.scope)
            if ranked and ranked[0][0] is not chosen.district and ranked[0][1] >= CONTRADICTING_SCORE:
                return ranked[0][0]
        return None

    # -- weaker evidence --------------------------------------------------------------------

    def _weaker(self) -> Resolution:
        """Fuzzy when clearly ahead; else a phonetic key or a partial name unique in the scope; else refused."""
        ranked = self.r._rank(self.texts, self.scope)
        if _confident([s for _, s in ranked]):
            match = _Match(ranked[0][0], "fuzzy", round(ranked[0][1], 1), self.query.text)
            return self._checked_elsewhere(match, ranked[1:4])
        phonetic = _unique_districts(d for t in self.texts for d in self.r._phonetic(t, self.scope))
        partial = _unique_districts(d for t in self.texts for d in self.r._partial(t, self.scope))
        for method, found in (("phonetic", phonetic), ("partial-name", partial)):
            if len(found) == 1:
                score = next((s for d, s in ranked if d is found[0]), 0.0)
                runners = [(d, s) for d, s in ranked if d is not found[0]][:3]
                return self._checked_elsewhere(_Match(found[0], method, round(score, 1), self.query.text), runners)
        return self._refused(ranked, partial)

    def _refused(self, ranked: list[tuple[District, float]], partial: list[District]) -> Resolution:
        """Nothing certain: another province's exact name, a conflict naming both, or the best candidates."""
        best = ranked[0][1] if ranked else 0.0
        if partial:
            ranked = [(d, s) for d, s in ranked if d in partial] + [(d, s) for d, s in ranked if d not in partial]
            best = max(best, PLAUSIBLE_SCORE)
        elsewhere = self._elsewhere(best)
        if self.scope and len(elsewhere) == 1 and best < PLAUSIBLE_SCORE:
            return self._other_province(elsewhere[0])
        if self.scope and elsewhere and ranked and best >= PLAUSIBLE_SCORE:
            here = [(d, s) for d, s in ranked if d in partial] if len(partial) > 1 else ranked[:1]
            return self._conflict(elsewhere, here)
        return self._unresolved(ranked, elsewhere)

    def _checked_elsewhere(self, match: _Match, runners: list[tuple[District, float]]) -> Resolution:
        """A fuzzy or phonetic match in the province loses to an exact name elsewhere: an error naming both."""
        elsewhere = self._elsewhere(match.score)
        if self.scope and elsewhere:
            return self._conflict(elsewhere, [(match.district, match.score)])
        return self._resolved(match, runners)

    def _elsewhere(self, here: float) -> list[District]:
        """Districts of other provinces that the name (or a part) matches exactly, or nearly and better than ``here``."""
        if self.scope is None:
            return []
        found = [m.district for t in self.texts for m in self.r._strong(t, None)]
        if not found:
            ranked = self.r._rank(self.texts, None)
            found = [d for d, s in ranked if s >= NEAR_EXACT_SCORE and s > here]
        return [d for d in _unique_districts(found) if d.province_pcode != self.scope.pcode]

    # -- outcomes ---------------------------------------------------------------------------

    def _resolved(self, match: _Match, runners: Sequence[tuple[District, float]]) -> Resolution:
        d = match.district
        runner, runner_score = (runners[0][0].name, round(runners[0][1], 1)) if runners else ("", 0.0)
        warning = _warning(self.district, match, runner, runner_score, self.scope)
        if self.from_name:
            warning = f"{warning}; province {d.province} taken from the name".lstrip("; ")
        if self.scope is not None and d.province_pcode != self.scope.pcode:
            warning = (
                f"'{self.district}' is placed in {self.scope.name} by the table but in {d.province} "
                f"by the boundary file: {match.evidence}"
            )
        suggestions = tuple(x.name for x, _ in runners)
        return Resolution(
            self.province, self.district, match.method, match.score, d, d.province, d.province_pcode,
            suggestions, warning, "", runner, runner_score, match.evidence,
        )  # fmt: skip

    def _other_province(self, d: District) -> Resolution:
        where = self.scope.name if self.scope else ""
        warning = f"'{self.district}' is not in {where}; the only district of that name is in {d.province}"
        return Resolution(
            self.province, self.district, "other-province", 100.0, d, d.province, d.province_pcode, warning=warning
        )

    def _conflict(self, elsewhere: list[District], here: list[tuple[District, float]]) -> Resolution:
        """An exact name in another province against candidates in the given one: an error naming all."""
        others = " or ".join(_unique(d.province for d in elsewhere))
        candidates = " and ".join(f"{d.name} ({s:.1f})" for d, s in here)
        problem = (
            f"'{self.district}' is in {others}, not {self.scope.name}; "
            f"{self.scope.name} has {candidates}: correct the province or the name"
        )
        labels = tuple(d.label for d in elsewhere) + tuple(d.label for d, _ in here)
        best = round(here[0][1], 1)
        return Resolution(
            self.province, self.district, "unresolved", best, suggestions=labels, problem=problem,
            runner_up=here[0][0].name, runner_up_score=best,
        )  # fmt: skip

    def _ambiguous(self, districts: list[District]) -> Resolution:
        labels = tuple(d.label for d in _unique_districts(districts))
        where = f" of {self.scope.name}" if self.scope else ""
        give = "give the exact name" if self.scope else "give its province"
        problem = f"'{self.district}' is ambiguous: it names {len(labels)} districts{where}; {give}"
        return Resolution(self.province, self.district, "unresolved", 100.0, suggestions=labels, problem=problem)

    def _unresolved(self, ranked: list[tuple[District, float]], elsewhere: list[District]) -> Resolution:
        if self.scope is not None:
            labels = [d.label for d, _ in ranked[:4]] + [d.label for d in elsewhere]
            problem = f"no district of {self.scope.name} matches '{self.district}' with confidence"
        else:
            labels = [d.label for d, _ in ranked[:4]]
            problem = f"no district matches '{self.district}' with confidence and no province was given"
        best = round(ranked[0][1], 1) if ranked else 0.0
        runner = (ranked[1][0].name, round(ranked[1][1], 1)) if len(ranked) > 1 else ("", 0.0)
        return Resolution(
            self.province, self.district, "unresolved", best, suggestions=tuple(_unique(labels)), problem=problem,
            runner_up=runner[0], runner_up_score=runner[1],
        )  # fmt: skip


def _warning(query: str, match: _Match, runner: str, runner_score: float, scope: _Province | None) -> str:
    """One sentence saying how a name that is not exactly the boundary file's was read."""
    d = match.district
    where = f" of {scope.name}" if scope else ""
    via = f" from '{match.part}'" if match.part != query and match.method != "provincial-centre" else ""
    against = f"; runner-up {runner} ({runner_score:.1f})" if runner else ""
    texts = {
        "exact": f"'{query}' read as {d.name}{via}" if via else "",
        "normalised": f"'{query}' read as {d.name}{via} (spelling normalised)",
        "alternative-name": f"'{query}' read as {d.name}{via}: '{match.evidence}' is its alternative name in the boundary file",
        "dari-name": f"'{query}' read as {d.name}{via}: the boundary file's Dari name",
        "alias": f"'{query}' read as {d.name}{via} by alias ({match.evidence})",
        "provincial-centre": f"'{query}' read as the provincial centre of {d.province}: {d.name}",
        "phonetic": f"'{query}' read as {d.name} by sound (score {match.score:.1f}{against})",
        "fuzzy": f"'{query}' read as {d.name} (fuzzy score {match.score:.1f}{against})",
        "partial-name": f"'{query}' read as {d.name}: the only district{where} whose name contains it",
    }
    return texts[match.method]


def _exact_or_normalised(query: str, name: str) -> str:
    return "exact" if clean_typography(query).casefold() == clean_typography(name).casefold() else "normalised"


def _confident(scores: list[float]) -> bool:
    """A best score high enough, and clearly ahead of the next candidate."""
    if not scores or scores[0] < FUZZY_MIN_SCORE:
        return False
    return len(scores) == 1 or scores[0] - scores[1] >= FUZZY_MIN_MARGIN


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


# -- the match columns: how a table's names resolved, one row per input row (the ``match`` command) -----

MATCH_COLUMNS = ["pcode", "matched_district", "matched_province", "method", "score", "warning", "suggestions"]


def match_rows(
    rows: list[dict[str, str]],
    resolver: Resolver,
    province_column: str | None = "province",
    district_column: str = "district",
) -> list[dict[str, str]]:
    """Add the match columns to each row; each distinct (province, district) pair is resolved once.

    ``province_column`` and ``district_column`` name the keys of ``rows`` that hold the names
    (``province_column`` None: no province, the district is looked for across the country).
    """
    out = []
    for row in rows:
        province = row.get(province_column) if province_column is not None else ""
        res = resolver.resolve(province or "", row.get(district_column) or "")
        out.append({**row, **match_columns(res)})
    return out


def match_columns(res: Resolution) -> dict[str, str]:
    """The match columns for one resolution."""
    return {
        "pcode": res.pcode,
        "matched_district": res.district.name if res.district else "",
        "matched_province": res.province,
        "method": res.method,
        "score": f"{res.score:g}",
        "warning": res.warning or res.problem,
        "suggestions": "; ".join(res.suggestions),
    }
