"""The resolver: indexes of one boundary file's names, and the matching primitives its decisions use."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process

from districtcontrol import DistrictControlError
from districtcontrol.geo.names._alias_checks import check_aliases
from districtcontrol.geo.names._aliases import load_aliases
from districtcontrol.geo.names._decision import _Decision
from districtcontrol.geo.names._editions import EditionDistrict, load_editions
from districtcontrol.geo.names._normalise import (
    _CAMEL,
    _CONNECTORS,
    _name_parts,
    _tokens,
    _word_keys,
    _words,
    clean_typography,
    normalise,
    phonetic_key,
)
from districtcontrol.geo.names._records import (
    Alias,
    District,
    Resolution,
    _district_entries,
    _Index,
    _Match,
    _Province,
    _Query,
    _unique,
    _unique_districts,
    _unique_scores,
)
from districtcontrol.geo.names._rules import (
    MIN_PREFIX_LETTERS,
    MIN_SKELETON,
    MIN_SKELETON_IN_PROVINCE,
    _combined_score,
    _confident,
    _exact_or_normalised,
    _is_partial,
)

# Cells a spreadsheet writes when a formula fails (#NAME?, #REF!, #VALUE!, #N/A, #DIV/0!, #NULL!, #NUM!).
_SPREADSHEET_ERROR = re.compile(
    r"^\s*#(?:NAME\?|REF!|VALUE!|N/A|DIV/0!|NULL!|NUM!|SPILL!|CALC!|GETTING_DATA)\s*$", re.I
)


class Resolver:
    """Resolve table spellings to districts of one boundary file.

    Build it from the districts (see :meth:`from_frame`), then call :meth:`resolve` for a
    (province, district) pair or :meth:`resolve_province` for a province. ``aliases``
    defaults to the shipped table; ``alias_files`` are users' tables (same columns), tried
    before it. ``editions`` (default: the shipped crosswalk, see
    :mod:`~districtcontrol.geo.names._editions`) are the districts that are not in the boundary
    file. Results are cached, so each distinct name is matched once.
    """

    def __init__(
        self,
        districts: Iterable[District],
        aliases: Iterable[Alias] | None = None,
        *,
        alias_files: Sequence[str | Path] = (),
        province_dari: dict[str, str] | None = None,
        editions: Iterable[EditionDistrict] | None = None,
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
        entries = {pcode: [e for d in p.districts for e in _district_entries(d)] for pcode, p in self.provinces.items()}
        self._national = _Index(e for province in entries.values() for e in province)
        self._by_province = {pcode: _Index(province) for pcode, province in entries.items()}
        self._district_aliases = self._index_district_aliases()
        self._editions = self._index_editions(load_editions() if editions is None else editions)
        self._cache: dict[tuple[str, str], Resolution] = {}
        check_aliases(self, self._user_aliases)  # users' aliases must be ones the resolver can honour

    @classmethod
    def from_frame(
        cls,
        frame,
        aliases: Iterable[Alias] | None = None,
        *,
        alias_files: Sequence[str | Path] = (),
        editions: Iterable[EditionDistrict] | None = None,
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
        return cls(districts, aliases, alias_files=alias_files, province_dari=province_dari, editions=editions)

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

    def _index_editions(self, rows: Iterable[EditionDistrict]) -> dict[tuple[str, str], list]:
        """(province P-code or "", normalised spelling) -> [(crosswalk row, its parents)]; rows naming no district are skipped."""
        by_pcode = {d.pcode: d for p in self.provinces.values() for d in p.districts}
        out: dict[tuple[str, str], list] = {}
        for row in rows:
            parents = tuple(by_pcode[p] for p in row.parents if p in by_pcode)
            prov = self._province_named(row.province)
            if len(parents) != len(row.parents) or prov is None:
                continue
            for name in row.names:
                key = normalise(name)
                if any(e.how == "name" for e in self._by_province[prov.pcode].by_key.get(key, [])):
                    raise DistrictControlError(
                        f"'{name}' is a district of {prov.name} in the boundary file; remove it from the crosswalk",
                        row.source,
                        row.line,
                    )
                for where in (prov.pcode, ""):
                    found = out.setdefault((where, key), [])
                    if all(r is not row for r, _ in found):
                        found.append((row, parents))
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
        for text, column in ((district, "district"), (province, "province")):
            if _SPREADSHEET_ERROR.match(text):
                problem = (
                    f"the {column} cell holds the spreadsheet error '{text}', not a name: correct the formula "
                    "in the spreadsheet and export the table again"
                )
                return Resolution(province, district, "unresolved", 0.0, problem=problem)
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
        for piece in self._centre_pieces(_name_parts(district) or [district]):
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

    def _centre_pieces(self, pieces: list[str]) -> list[str]:
        """'Provincial center - Mazar', 'Pul-e-Khumri - center of Baghlan': a spaced dash beside a centre phrase splits."""
        out = []
        for piece in pieces:
            sub = [s.strip() for s in clean_typography(piece).split(" - ") if s.strip()]
            centred = len(sub) > 1 and any(self._is_centre_phrase(self._strip_province(s)[0]) for s in sub)
            out += sub if centred else [piece]
        return out

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

    def _edition(self, text: str, scope: _Province | None) -> list[tuple[EditionDistrict, tuple[District, ...]]]:
        """Crosswalk rows (districts not in the boundary file) one of whose spellings the text is."""
        key = normalise(text)
        return self._editions.get((scope.pcode if scope else "", key), []) if key else []

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

    def _starting(self, text: str, scope: _Province | None) -> list[District]:
        """Districts whose name, or a word of it, starts with the query (``Ragh``: Raghestan), for suggestions."""
        key = normalise(text)
        if len(key) < MIN_PREFIX_LETTERS:
            return []
        entries = (e for found in self._index(scope).by_key.values() for e in found)
        return _unique_districts(
            e.district
            for e in entries
            if e.key.startswith(key) or any(normalise(w).startswith(key) for w in _tokens(e.text))
        )

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
