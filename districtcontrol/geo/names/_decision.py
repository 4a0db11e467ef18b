"""One resolution: the query's pieces tried in a fixed order, strong evidence before weaker, and the outcome."""

from __future__ import annotations

from collections.abc import Sequence

from districtcontrol.geo.names._records import (
    District,
    Resolution,
    _Match,
    _Province,
    _Query,
    _unique,
    _unique_districts,
)
from districtcontrol.geo.names._rules import (
    CONTRADICTING_SCORE,
    NEAR_EXACT_SCORE,
    PLAUSIBLE_SCORE,
    _confident,
)

MAX_STARTING = 3  # districts starting with a refused name, suggested first


class _Decision:
    """One resolution: tries the query's pieces in order and turns the outcome into a Resolution.

    ``resolver`` is the :class:`~districtcontrol.geo.names.Resolver` whose matching primitives it uses.
    """

    def __init__(self, resolver, province: str, district: str, query: _Query, scope, from_name=False):
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
        starting = self.r._starting(self.query.text, self.scope)[:MAX_STARTING]
        suggested = [*starting, *(d for d, _ in ranked if d not in starting)][:4]
        if self.scope is not None:
            labels = [d.label for d in suggested] + [d.label for d in elsewhere]
            problem = f"no district of {self.scope.name} matches '{self.district}' with confidence"
        else:
            labels = [d.label for d in suggested]
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
