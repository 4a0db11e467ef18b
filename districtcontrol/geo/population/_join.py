"""Joining the estimates' rows to the boundary districts, every decision recorded."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace

from districtcontrol import DistrictControlError
from districtcontrol.geo.names import Resolution, Resolver, normalise
from districtcontrol.geo.population._crosswalk import Assignment, assignments_path

log = logging.getLogger("districtcontrol.geo.population")

# Years whose district codes are the digits of the 2018 P-codes: every code is checked by name.
CODE_YEARS_MIN_AGREEMENT = 0.95


_TEMPORARY = re.compile(r"\(?\s*temporary\s+(?:district|province)\s*[)(]?", re.IGNORECASE)
_CENTRE = re.compile(r"(?:center|centre|capital)\s*\((.*?)\)?\s*$", re.IGNORECASE)
_BRACKETS = re.compile(r"^(.*?)\s*\(\s*'?(.*?)\s*\)?\s*$")


@dataclass(frozen=True)
class RowOutcome:
    """What became of one row of the population file.

    ``method`` says how it was joined (``code+name``, ``name``, ``provincial-centre``, ``same``,
    ``part-of``) or ``not-joined``; ``detail`` gives the evidence or the reason.
    """

    year: int
    line: int
    province: str
    district: str
    code: str
    population: int | None
    pcode: str
    method: str
    detail: str

    @property
    def joined(self) -> bool:
        return bool(self.pcode)


@dataclass(frozen=True)
class Correction:
    """A row whose ``total_population`` disagrees with both its rural+urban and female+male sums, which agree."""

    year: int
    line: int
    province: str
    district: str
    total_as_written: int
    total_used: int


@dataclass
class JoinReport:
    """Every row of every year joined or listed, with evidence; what was corrected; which districts have no estimate."""

    outcomes: list[RowOutcome] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    missing: dict[int, tuple[str, ...]] = field(default_factory=dict)
    code_years: tuple[int, ...] = ()

    @property
    def joined(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.joined]

    @property
    def listed(self) -> list[RowOutcome]:
        """Rows not joined to any district, each with its reason."""
        return [o for o in self.outcomes if not o.joined]

    @property
    def transfers(self) -> list[RowOutcome]:
        """Rows of districts absent from the boundaries, counted in the district they lie in."""
        return [o for o in self.outcomes if o.method == "part-of"]

    @property
    def code_disagreements(self) -> list[RowOutcome]:
        """Rows of the code years whose code names another boundary district than their name."""
        return [o for o in self.outcomes if "code disagrees" in o.detail]

    def counts(self) -> dict[int, dict[str, int]]:
        """Per year: rows, and rows per method (``not-joined`` for the listed ones)."""
        out: dict[int, dict[str, int]] = {}
        for o in self.outcomes:
            year = out.setdefault(o.year, {"rows": 0})
            year["rows"] += 1
            year[o.method] = year.get(o.method, 0) + 1
        return dict(sorted(out.items()))

    def lines(self) -> list[str]:
        """A readable account: counts per year, then every listed row, transfer, disagreement and correction."""
        text = [f"{year}: " + ", ".join(f"{k} {v}" for k, v in c.items()) for year, c in self.counts().items()]
        text += [f"not joined: {_describe(o)}: {o.detail}" for o in self.listed]
        text += [f"code disagrees: {_describe(o)}: {o.detail}" for o in self.code_disagreements]
        text += [f"moved: {_describe(o)} → {o.pcode}: {o.detail}" for o in self.transfers]
        text += [
            f"corrected: {c.year} {c.district} ({c.province}), line {c.line}: total {c.total_as_written:,} → {c.total_used:,}"
            for c in self.corrections
        ]
        text += [f"{year}: no estimate for {', '.join(pcodes)}" for year, pcodes in self.missing.items() if pcodes]
        return text


def _describe(o: RowOutcome) -> str:
    return f"{o.year} '{o.district}' ({o.province}), line {o.line}"


def join_population(rows, boundaries_frame, resolver: Resolver, assignments: list[Assignment]):
    """Join population rows to boundary districts: (table pcode × year, :class:`JoinReport`, national totals)."""
    import pandas as pd

    report = JoinReport()
    overrides = _override_index(assignments, resolver)
    centres = _centres(boundaries_frame)
    pcodes = list(boundaries_frame["pcode"])
    provinces = dict(zip(boundaries_frame["pcode"], boundaries_frame["province_pcode"]))
    columns, totals = {}, {}
    for year, group in rows.groupby("solar_year", sort=True):
        outcomes = [_join_row(r, resolver, overrides, centres, report) for r in group.itertuples(index=False)]
        outcomes = _check_codes(outcomes, provinces, report, int(year))
        outcomes = _refuse_orphans(_refuse_duplicates(outcomes))
        report.outcomes.extend(outcomes)
        columns[int(year)], report.missing[int(year)] = _year_column(outcomes, pcodes)
        totals[int(year)] = int(sum(o.population or 0 for o in outcomes))
    table = pd.DataFrame(columns, index=pd.Index(pcodes, name="pcode"), dtype="Int64")
    return table, report, totals


def _override_index(assignments: list[Assignment], resolver: Resolver) -> dict[tuple, Assignment]:
    """(province P-code, normalised name) → assignment; with ``, year, code`` for rows restricted to one year."""
    index: dict[tuple, Assignment] = {}
    for a in assignments:
        prov = resolver.resolve_province(a.province)[0]
        if prov is None:
            raise DistrictControlError(f"unknown province '{a.province}'", a.file or assignments_path().name, a.line)
        key = (prov.pcode, normalise(a.district)) + ((int(a.year), a.code) if a.year else ())
        index[key] = a
    return index


def _centres(frame) -> dict:
    """Province P-code → (P-code, name) of the district the boundary file marks as the province's centre.

    Under the key ``known``: the set of all P-codes.
    """
    out: dict = {"known": set(frame["pcode"])}
    for pcode, name, province, alts in frame[["pcode", "district", "province_pcode", "alt_names"]].itertuples(
        index=False
    ):
        if "centre" in {a.strip().casefold() for a in (alts or "").split("|")}:
            out[province] = (pcode, name)
    return out


def _join_row(row, resolver: Resolver, overrides, centres, report: JoinReport) -> RowOutcome:
    population = _population(row, report)
    name = _TEMPORARY.sub("", row.district_name_eng).strip()
    base = (int(row.solar_year), int(row.line), row.province_name_eng, row.district_name_eng, row.district_code)
    prov = resolver.resolve_province(row.province_name_eng)[0]
    if prov is None:
        return RowOutcome(*base, population, "", "not-joined", f"unknown province '{row.province_name_eng}'")
    key = (prov.pcode, normalise(name))
    override = overrides.get(key + (int(row.solar_year), row.district_code)) or overrides.get(key)
    if override and override.pcode not in centres["known"]:
        why = f"{override.where} names {override.pcode}, not a boundary district"
        return RowOutcome(*base, population, "", "not-joined", why)
    if override:
        return RowOutcome(*base, population, override.pcode, override.kind, override.reason)
    centre = _CENTRE.search(name)
    if centre:
        return _join_centre(base, population, centre.group(1), prov, resolver, centres)
    return _join_name(base, population, name, resolver)


def _join_centre(base, population, named: str, prov, resolver: Resolver, centres) -> RowOutcome:
    marked = centres.get(prov.pcode)
    res = resolver.resolve(prov.name, named.strip()) if named.strip() else None
    if marked and res and res.resolved and res.pcode != marked[0]:
        why = f"the centre is {marked[1]} ({marked[0]}) in the boundary file but '{named}' is {res.district.label}"
        return RowOutcome(*base, population, "", "not-joined", why)
    if marked:
        return RowOutcome(
            *base,
            population,
            marked[0],
            "provincial-centre",
            f"the boundary file marks {marked[1]} as the centre of {prov.name}",
        )
    if res and res.resolved:
        return RowOutcome(
            *base, population, res.pcode, "provincial-centre", f"'{named}' is {res.district.label} ({res.method})"
        )
    return RowOutcome(
        *base, population, "", "not-joined", f"no district marked as the centre of {prov.name} and '{named}' is unknown"
    )


def _join_name(base, population, name: str, resolver: Resolver) -> RowOutcome:
    province = base[2]
    tries = [name]
    brackets = _BRACKETS.match(name) if "(" in name else None
    if brackets:
        tries += [part for part in brackets.groups() if part]
    found: list[tuple[str, Resolution]] = []
    for text in tries:
        res = resolver.resolve(province, text)
        if res.resolved:
            found.append((text, res))
    distinct = {res.pcode for _, res in found}
    if len(distinct) > 1:
        names = "; ".join(f"'{t}' is {r.district.label}" for t, r in found)
        return RowOutcome(*base, population, "", "not-joined", f"the name's parts name different districts: {names}")
    if found:
        text, res = found[0]
        evidence = f"'{text}' → {res.district.label}, {res.method}" + (
            f" {res.score:g}" if res.method == "fuzzy" else ""
        )
        return RowOutcome(*base, population, res.pcode, "name", evidence + (f"; {res.warning}" if res.warning else ""))
    res = resolver.resolve(province, tries[-1])
    hint = f"; candidates: {', '.join(res.suggestions)}" if res.suggestions else ""
    return RowOutcome(*base, population, "", "not-joined", f"{res.problem or 'no district matches'}{hint}")


def _population(row, report: JoinReport) -> int | None:
    total = _int(row.total_population)
    parts = [_sum(row.rural_total, row.urban_total), _sum(row.fem_population, row.male_population)]
    if total is not None and total not in parts and parts[0] is not None and parts[0] == parts[1]:
        report.corrections.append(
            Correction(
                int(row.solar_year), int(row.line), row.province_name_eng, row.district_name_eng, total, parts[0]
            )
        )
        return parts[0]
    return total


def _int(value) -> int | None:
    import pandas as pd

    return None if value is None or pd.isna(value) else int(value)


def _sum(a, b) -> int | None:
    a, b = _int(a), _int(b)
    return None if a is None and b is None else (a or 0) + (b or 0)


def _check_codes(
    outcomes: list[RowOutcome], provinces: dict[str, str], report: JoinReport, year: int
) -> list[RowOutcome]:
    """In a year whose codes are P-code digits, check every code against the name; note agreement or disagreement."""
    coded = [o for o in outcomes if o.joined and o.method != "part-of" and f"AF{o.code}" in provinces]
    agree = [o for o in coded if f"AF{o.code}" == o.pcode]
    if not coded or len(agree) < CODE_YEARS_MIN_AGREEMENT * len(coded):
        return outcomes
    report.code_years = (*report.code_years, year)
    checked = []
    for o in outcomes:
        code = f"AF{o.code}"
        if o.joined and o.method != "part-of" and code in provinces:
            if code == o.pcode:
                method = f"code+{o.method}" if o.method == "name" else o.method
                o = replace(o, method=method, detail=o.detail + f"; code {o.code} agrees")
            else:
                o = replace(o, detail=o.detail + f"; code disagrees: {code} is another district")
        checked.append(o)
    return checked


def _unjoined(o: RowOutcome, why: str) -> RowOutcome:
    return replace(o, pcode="", method="not-joined", detail=why)


def _refuse_duplicates(outcomes: list[RowOutcome]) -> list[RowOutcome]:
    """Two rows of one year claiming one district as theirs (not ``part-of``): neither is used, both are listed."""
    claims: dict[str, list[RowOutcome]] = {}
    for o in outcomes:
        if o.joined and o.method != "part-of":
            claims.setdefault(o.pcode, []).append(o)
    clashing = {pc for pc, rows in claims.items() if len(rows) > 1}
    out = []
    for o in outcomes:
        if o.pcode in clashing and o.method != "part-of":
            others = ", ".join(f"'{x.district}' line {x.line}" for x in claims[o.pcode] if x is not o)
            o = _unjoined(o, f"{o.pcode} is also claimed by {others} ({o.detail})")
        out.append(o)
    return out


def _refuse_orphans(outcomes: list[RowOutcome]) -> list[RowOutcome]:
    """A ``part-of`` row whose district has no estimate of its own is listed, not added to an unknown."""
    own = {o.pcode for o in outcomes if o.joined and o.method != "part-of"}
    out = []
    for o in outcomes:
        if o.method == "part-of" and o.pcode not in own:
            o = _unjoined(o, f"{o.pcode} has no estimate of its own this year ({o.detail})")
        out.append(o)
    return out


def _year_column(outcomes: list[RowOutcome], pcodes: list[str]) -> tuple[list, tuple[str, ...]]:
    """One year's population per P-code (None when unknown) and the P-codes without an estimate."""
    own = {o.pcode: o.population for o in outcomes if o.joined and o.method != "part-of"}
    parts: dict[str, int] = {}
    for o in outcomes:
        if o.method == "part-of":
            parts[o.pcode] = parts.get(o.pcode, 0) + (o.population or 0)
    values = []
    for pc in pcodes:
        value = own.get(pc)
        values.append(None if value is None else value + parts.get(pc, 0))
    missing = tuple(pc for pc, v in zip(pcodes, values) if v is None)
    return values, missing
