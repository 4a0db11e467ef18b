"""Benchmark: name resolution on three corpora of real-world spellings, and its speed.

Run from the repository root, with the boundary file and the population file available:

    DISTRICTCONTROL_BOUNDARIES=../shared/boundaries/afg_admbnda_adm2_agcho_20180522.zip \
    DISTRICTCONTROL_POPULATION=../shared/population/cso_district_population_estimates_2004-2020.csv \
        python benchmarks/bench_names.py

The corpora are built here, at run time, from files that are never committed:

* ``population``: the statistics office's spelling of every district in 16 yearly tables
  (1383-1398). The 1395 codes give the answer (code digits = 2018 P-code digits); the other
  years are linked to 1395 year by year, by name, by code and population, or by population
  alone, and only where a generic name similarity agrees (see :func:`population_corpus`).
* ``dari``: the boundary file's own Dari names, with the Dari, the English or no province, as
  typed (Arabic letter forms, no spaces, joiners, the word ولسوالی) and by their parenthesised
  parts.
* ``gathered``: ``benchmarks/names_gathered.csv``, spellings from election lists, news
  agencies, gazetteers and typography variants, each with the P-code expected and why.

For each corpus it prints right / refused / wrong per row and per distinct spelling, the share
of refusals whose first suggestion is right, and every wrong one; then the timing of 100,000
rows and of the ``match`` of the population table (about 6,500 rows).
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ENV_POPULATION = "DISTRICTCONTROL_POPULATION"
POPULATION_FILE = "cso_district_population_estimates_2004-2020.csv"
GATHERED = HERE / "names_gathered.csv"
REFERENCE_YEAR = "1395"
# Between 1388 and 1387 the statistics office renumbered provinces and districts.
CODE_BREAK = ("1388", "1387")


@dataclass(frozen=True)
class Case:
    """One spelling to resolve and what is right: ``pcode`` (empty: it must be refused).

    ``part_of``: a district that is not in the boundary file; right is ``pcode`` read by the
    crosswalk (method ``part-of``), never the parent by its name.
    """

    corpus: str
    province: str
    district: str
    pcode: str
    note: str = ""
    also_right: frozenset[str] = frozenset()
    part_of: bool = False


# -- population corpus -----------------------------------------------------------------------


def population_path() -> Path | None:
    """The population CSV: ``DISTRICTCONTROL_POPULATION`` or ../shared/population/."""
    env = os.environ.get(ENV_POPULATION)
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "population" / POPULATION_FILE)
    return next((p for p in candidates if p.is_file()), None)


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


_GENERIC = re.compile(r"provincial|province|center|centre|capital|temporary|district")


def _pieces(name: str) -> set[str]:
    """The whole name, its parenthesised part and the rest, generic words removed."""
    low = name.lower()
    found = {low, re.sub(r"\(.*", "", low), *re.findall(r"\(([^()]*)", low)}
    return {_GENERIC.sub("", _letters(p)) for p in found} - {""}


def _similarity(a: str, b: str) -> float:
    """A generic name similarity (not the resolver's): best ratio between pieces of the two names."""
    return max((fuzz.ratio(x, y) for x in _pieces(a) for y in _pieces(b)), default=0.0)


def _population(row: dict) -> float | None:
    try:
        return float(row["total_population"])
    except ValueError:
        return None


def _temporary(row: dict) -> bool:
    return "temporary" in row["district_name_eng"].lower()


def _growth(src: list[dict], dst: list[dict]) -> float:
    """Median population ratio of rows with the same name in the same province (robust to misaligned rows)."""
    before = {(r["province_name_eng"], _letters(r["district_name_eng"])): _population(r) for r in src}
    ratios = []
    for r in dst:
        old = before.get((r["province_name_eng"], _letters(r["district_name_eng"])))
        if old and _population(r):
            ratios.append(_population(r) / old)
    return statistics.median(ratios) if ratios else 1.0


def _clearly_similar(candidate: dict, row: dict, rivals: list[dict]) -> bool:
    name = row["district_name_eng"]
    score = _similarity(candidate["district_name_eng"], name)
    others = (_similarity(r["district_name_eng"], name) for r in rivals if r is not candidate)
    return score >= 60 and all(o <= score - 10 for o in others)


def _link_row(row: dict, rivals: list[dict], national: dict, growth: float, same_codes: bool) -> dict | None:
    """The row of the adjacent year that is the same district, or None when unsure.

    In order: the same name (letters only) in the province; the same code with the
    population within 10 % and a clearly similar name; the nearest population (within 5 %,
    twice as near as the next) with a clearly similar name; the same name once in the country.
    """
    name = _letters(row["district_name_eng"])
    same_name = [r for r in rivals if _letters(r["district_name_eng"]) == name]
    if len(same_name) == 1:
        return same_name[0]
    pop = _population(row)
    if same_codes and pop:
        for r in rivals:
            close = _population(r) and abs(math.log(pop / (_population(r) * growth))) < 0.10
            if r["district_code"] == row["district_code"] and _temporary(r) == _temporary(row) and close:
                if _clearly_similar(r, row, rivals):
                    return r
    if pop:
        gaps = sorted(
            (abs(math.log(pop / (_population(r) * growth))), i) for i, r in enumerate(rivals) if _population(r)
        )
        if gaps and gaps[0][0] < 0.05 and (len(gaps) == 1 or gaps[1][0] > 2 * gaps[0][0] + 0.02):
            if _clearly_similar(rivals[gaps[0][1]], row, rivals):
                return rivals[gaps[0][1]]
    elsewhere = national.get(name, [])
    return elsewhere[0] if len(elsewhere) == 1 else None


def _link_years(by_year: dict[str, list[dict]], answers: dict[int, str]) -> None:
    """Carry the 1395 answers outwards, one year at a time, both directions."""
    years = sorted(by_year)
    ref = years.index(REFERENCE_YEAR)
    for sequence in (years[ref:], years[ref::-1]):
        for src_year, dst_year in zip(sequence, sequence[1:]):
            src = [r for r in by_year[src_year] if id(r) in answers]
            by_province, national = defaultdict(list), defaultdict(list)
            for r in src:
                by_province[r["province_name_eng"]].append(r)
                national[_letters(r["district_name_eng"])].append(r)
            growth = _growth(src, by_year[dst_year])
            same_codes = (src_year, dst_year) != CODE_BREAK
            for row in by_year[dst_year]:
                found = _link_row(row, by_province[row["province_name_eng"]], national, growth, same_codes)
                if found is not None:
                    answers[id(row)] = answers[id(found)]


def _district_names(frame) -> dict[str, tuple[str, list[str]]]:
    """P-code -> (province P-code, English name and alternative names)."""
    out = {}
    for pcode, name, prov, alts in frame[["pcode", "district", "province_pcode", "alt_names"]].itertuples(index=False):
        out[pcode] = (prov, [name] + [a for a in (alts or "").split("|") if a and a.lower() != "centre"])
    return out


def _contradicted(spelling: str, pcode: str, names: dict[str, tuple[str, list[str]]]) -> bool:
    """A linked spelling that looks far more like another district of the province: dropped as unsure."""

    def look(candidate: str) -> float:
        best = 0.0
        for official in names[candidate][1]:
            for x in _pieces(spelling):
                for y in _pieces(official):
                    partial = fuzz.partial_ratio(x, y) if min(len(x), len(y)) >= 5 else 0
                    bare = fuzz.ratio(re.sub("[aeiouy]", "", x), re.sub("[aeiouy]", "", y))
                    best = max(best, fuzz.ratio(x, y), partial, bare if candidate == pcode else 0)
        return best

    province = names[pcode][0]
    rivals = [p for p, (prov, _) in names.items() if prov == province and p != pcode]
    return max((look(p) for p in rivals), default=0.0) > look(pcode) + 20


def _alternative_of(spelling: str, names: dict[str, tuple[str, list[str]]]) -> frozenset[str]:
    """Districts that list a temporary district's name as their alternative name (Calbad: Imam Sahib's Kalbad)."""
    key = _letters(re.sub(r"\(.*", "", spelling)).replace("c", "k")
    return frozenset(p for p, (_, alts) in names.items() if any(_letters(a).replace("c", "k") == key for a in alts[1:]))


def population_corpus(path: str | Path, frame) -> list[Case]:
    """Every row of the population table whose district is known, as a case (see the module notes).

    Temporary districts (not on the 2018 map) must be refused, unless the boundary file lists
    their name as an alternative name of a district, which is then right too.
    """
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_year: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_year[r["solar_year"]].append(r)
    names = _district_names(frame)
    answers = {}
    for r in by_year[REFERENCE_YEAR]:
        pcode = "AF" + r["district_code"]
        if _temporary(r) or pcode in names:
            answers[id(r)] = "" if _temporary(r) else pcode
    _link_years(by_year, answers)
    cases = []
    for r in rows:
        answer = answers.get(id(r))
        if answer is None or (answer and _contradicted(r["district_name_eng"], answer, names)):
            continue
        also = _alternative_of(r["district_name_eng"], names) if not answer else frozenset()
        note = f"{r['solar_year']} code {r['district_code']}"
        cases.append(Case("population", r["province_name_eng"], r["district_name_eng"], answer, note, also))
    return cases


# -- Dari corpus ----------------------------------------------------------------------------------

_ARABIC_FORMS = str.maketrans({"ی": "ي", "ک": "ك"})


def _dari_spellings(name: str) -> list[tuple[str, str]]:
    """The Dari name as typed in the wild: Arabic letter forms, no spaces, joiners, with ولسوالی; its parts."""
    parts = [p.strip() for p in re.split(r"[()]", name) if p.strip()]
    out = [(name, "as in the file"), (name.translate(_ARABIC_FORMS), "Arabic yeh and kaf")]
    out += [(name.replace(" ", ""), "without spaces"), (name.replace(" ", "\u200c"), "zero-width non-joiner")]
    out += [(f"ولسوالی {name}", "with the word ولسوالی (district)")]
    if len(parts) > 1:
        out += [(p, "parenthesised part") for p in parts]
    return list(dict.fromkeys(out))


def dari_corpus(frame) -> list[Case]:
    """The boundary file's Dari names, with the Dari, the English or no province.

    Without a province a Dari name found in several districts must be refused.
    """
    from districtcontrol.geo.names import normalise

    rows = list(frame[["pcode", "district_dari", "province", "province_dari"]].itertuples(index=False))
    keys = {pcode: {normalise(s) for s, _ in _dari_spellings(dari)} for pcode, dari, _, _ in rows if dari}
    count = Counter(key for found in keys.values() for key in found)
    cases = []
    for pcode, dari, prov, prov_dari in rows:
        if not dari:
            continue
        for spelling, how in _dari_spellings(dari):
            cases.append(Case("dari", prov_dari, spelling, pcode, how))
            cases.append(Case("dari", prov, spelling, pcode, how))
            alone = pcode if count[normalise(spelling)] == 1 else ""
            cases.append(Case("dari", "", spelling, alone, how + ", no province"))
    return cases


# -- gathered corpus ------------------------------------------------------------------------------


def gathered_corpus(path: str | Path = GATHERED) -> list[Case]:
    """The committed list of spellings gathered from public sources, each with its expected P-code."""
    with open(path, encoding="utf-8", newline="") as fh:
        return [
            Case(
                "gathered",
                r["province"],
                r["district"],
                r["pcode"],
                f"{r['source']}: {r['reason']}",
                part_of=r["source"] == "part of its parent",
            )  # fmt: skip
            for r in csv.DictReader(fh)
        ]


# -- evaluation -----------------------------------------------------------------------------------


@dataclass
class Score:
    """Right, refused and wrong counts of a corpus, per row and per distinct (province, district)."""

    rows: Counter
    distinct: Counter
    wrong: list[tuple[Case, object]]
    refused: list[tuple[Case, object]]
    first_right: int

    def rate(self, outcome: str, distinct: bool = False) -> float:
        counts = self.distinct if distinct else self.rows
        return counts[outcome] / max(1, sum(counts.values()))


def outcome(case: Case, res) -> str:
    """right, refused or wrong: refusing a spelling that must be refused is right.

    A temporary district of the population table (no P-code of its own) is right refused, read as
    a district listing its name, or read through the crosswalk as part of its parent.
    """
    if not case.pcode:
        placed = not res.resolved or res.pcode in case.also_right or res.method == "part-of"
        return "right" if placed else "wrong"
    if not res.resolved:
        return "refused"
    if case.part_of and res.method != "part-of":
        return "wrong"
    return "right" if res.pcode == case.pcode else "wrong"


def evaluate(resolver, cases: list[Case]) -> Score:
    """Resolve every case and count the outcomes."""
    rows, distinct = Counter(), Counter()
    wrong, refused, seen, first_right = [], [], set(), 0
    for case in cases:
        res = resolver.resolve(case.province, case.district)
        result = outcome(case, res)
        rows[result] += 1
        if (case.province, case.district) in seen:
            continue
        seen.add((case.province, case.district))
        distinct[result] += 1
        if result == "wrong":
            wrong.append((case, res))
        elif result == "refused":
            refused.append((case, res))
            first_right += bool(res.suggestions) and f", {case.pcode})" in res.suggestions[0]
    return Score(rows, distinct, wrong, refused, first_right)


def print_score(name: str, score: Score) -> None:
    for label, counts in (("rows", score.rows), ("distinct spellings", score.distinct)):
        total = sum(counts.values())
        parts = ", ".join(
            f"{k} {counts[k]} ({100 * counts[k] / max(1, total):.1f} %)" for k in ("right", "refused", "wrong")
        )
        print(f"{name:10} {label:19} n={total:5}: {parts}")
    if score.refused:
        print(f"{'':10} refused with the right candidate first: {score.first_right} of {len(score.refused)}")
    for case, res in score.wrong:
        got = f"{res.district.name} ({res.pcode}, {res.method} {res.score:g})" if res.resolved else "refused"
        print(f"{'':10} WRONG {case.province!r} {case.district!r}: expected {case.pcode or 'refusal'}, got {got}")


# -- timing ---------------------------------------------------------------------------------------


def time_rows(frame, cases: list[Case]) -> None:
    """100,000 rows drawn from the corpora, and the match of the population table, each with a new resolver."""
    from districtcontrol.geo import Resolver
    from districtcontrol.geo.names import match_rows

    pool = [{"province": c.province, "district": c.district} for c in cases]
    rows = [pool[i % len(pool)] for i in range(100_000)]
    resolver = Resolver.from_frame(frame)
    start = time.perf_counter()
    match_rows(rows, resolver)
    print(
        f"resolve 100,000 rows ({len({tuple(r.values()) for r in rows})} distinct): {time.perf_counter() - start:.2f} s"
    )
    population = [{"province": c.province, "district": c.district} for c in cases if c.corpus == "population"]
    if population:
        start = time.perf_counter()
        match_rows(population, Resolver.from_frame(frame))
        print(f"match {len(population):,} population rows, new resolver: {time.perf_counter() - start:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-refused", action="store_true", help="list every refused spelling")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from districtcontrol.geo import Resolver, read_boundaries
    from districtcontrol.geo.boundaries import ENV_PATH, FILENAME, locate_boundaries

    shared = REPO.parent / "shared" / "boundaries" / FILENAME
    path = shared if shared.is_file() and not os.environ.get(ENV_PATH) else locate_boundaries(download=False).path
    frame = read_boundaries(path)
    corpora = {"dari": dari_corpus(frame), "gathered": gathered_corpus()}
    population = population_path()
    if population:
        corpora = {"population": population_corpus(population, frame), **corpora}
    else:
        print(f"population file not found: set {ENV_POPULATION}")
    for name, cases in corpora.items():
        score = evaluate(Resolver.from_frame(frame), cases)
        print_score(name, score)
        if args.show_refused:
            for case, res in score.refused:
                print(
                    f"{'':10} refused {case.province!r} {case.district!r} ({case.pcode}): {', '.join(res.suggestions[:3])}"
                )
    time_rows(frame, [c for cases in corpora.values() for c in cases])


if __name__ == "__main__":
    main()
