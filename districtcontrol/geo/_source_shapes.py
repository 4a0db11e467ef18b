"""A source's own district shapes (``--source-boundaries``): each name's province, and the overlap as evidence.

Many published series come with their own district file, often of an older map. A name of the
table that is a feature of that file takes its province from the feature (when the file has a
province field; among features of one name in several provinces, the table's province picks one),
is resolved as any name, and the overlap of the resolved district with the feature's shape is
its evidence: a warning when they do not meet, a refusal when the shape spans several districts
of the boundary file and the resolved one is not most of it (an older district split since).
Names that are not in the file resolve as they would without it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

from districtcontrol import DistrictControlError
from districtcontrol.geo.names import Resolution, Resolver, normalise

log = logging.getLogger(__name__)

# A district of the boundary file holding at least this share of a source shape is one of its successors.
SUCCESSOR_SHARE = 0.10
# The resolved district must hold at least this share of the source shape, or the name is refused as split.
MOST_OF_SHAPE = 0.5
# Below this share of both the shape and the district, they do not meet.
NOT_MEETING = 0.01
TOPOJSON_CRS_NOTE = "TopoJSON has no coordinate reference system: its coordinates are read as WGS 84 (EPSG:4326)"


@dataclass(frozen=True)
class SourceBoundaries:
    """A source's own district file: ``path`` (any format GDAL reads), its ``layer``, name and province fields."""

    path: str | Path
    name_field: str
    province_field: str | None = None
    layer: str | None = None


def source_boundaries(path, name_field=None, province_field=None, layer=None) -> SourceBoundaries | None:
    """The :class:`SourceBoundaries` of the options (None without a path); a path needs its name field."""
    if path is None:
        return None
    if not name_field:
        raise DistrictControlError("--source-boundaries needs --source-name-field (the field of the names)", str(path))
    return SourceBoundaries(path, name_field, province_field or None, layer or None)


class ShapedResolver:
    """A :class:`~districtcontrol.geo.names.Resolver` whose names also take province and evidence from a source's shapes.

    ``frame`` is the boundary file's standard frame. ``notes`` says how the file was read.
    """

    def __init__(self, resolver: Resolver, frame, source: SourceBoundaries):
        self._resolver = resolver
        self._frame = frame.to_crs(4326) if frame.crs is not None else frame
        self.source = source
        self.notes: list[str] = []
        self._shapes = self._read(source)
        self._by_key: dict[str, list[int]] = {}
        for i, name in enumerate(self._shapes["_name"]):
            self._by_key.setdefault(normalise(name), []).append(i)
        self._overlaps: dict[int, list[tuple[str, float, float]]] = {}
        self._cache: dict[tuple[str, str], Resolution] = {}

    def __getattr__(self, name):
        return getattr(self._resolver, name)

    def _read(self, source: SourceBoundaries):
        import geopandas as gpd

        path = Path(source.path)
        try:
            shapes = gpd.read_file(path, layer=source.layer) if source.layer else gpd.read_file(path)
        except Exception as exc:  # GDAL's errors vary by driver
            raise DistrictControlError(f"cannot read the source's boundaries ({exc})", str(path)) from exc
        for field in (source.name_field, source.province_field):
            if field and field not in shapes.columns:
                fields = ", ".join(c for c in shapes.columns if c != "geometry")
                raise DistrictControlError(
                    f"the source's boundaries have no field '{field}'; fields: {fields}", str(path)
                )
        if shapes.crs is None or _is_topojson(path):
            self.notes.append(
                f"{path.name}: {TOPOJSON_CRS_NOTE}" if _is_topojson(path) else f"{path.name}: no CRS, read as WGS 84"
            )
            shapes = shapes.set_crs(4326, allow_override=True)
        shapes = shapes.to_crs(4326)
        shapes["geometry"] = shapes.geometry.make_valid()
        shapes["_name"] = shapes[source.name_field].fillna("").astype(str)
        shapes["_province"] = shapes[source.province_field].fillna("").astype(str) if source.province_field else ""
        return shapes.reset_index(drop=True)

    def resolve(self, province: str, district: str) -> Resolution:
        """Resolve as the resolver does, the province and evidence taken from the source's shape of that name."""
        key = (province.strip(), district.strip())
        if key not in self._cache:
            self._cache[key] = self._resolve(*key)
        return self._cache[key]

    def _resolve(self, province: str, district: str) -> Resolution:
        feature = self._feature(province, district)
        if feature is None:
            return self._resolver.resolve(province, district)
        named = self._shapes.at[feature, "_province"] or province
        res = self._resolver.resolve(named, district)
        overlaps = self._overlap(feature)
        shape = f"the source's shape of '{self._shapes.at[feature, '_name']}'" + (f" ({named})" if named else "")
        successors = [(pc, s) for pc, s, _ in overlaps if s >= SUCCESSOR_SHARE]
        if not res.resolved:
            return _with_candidates(res, shape, successors, self._labels)
        own = next(((s, d) for pc, s, d in overlaps if pc == res.pcode), (0.0, 0.0))
        if own[0] < MOST_OF_SHAPE and len(successors) > 1:
            return _split(res, shape, successors, self._labels)
        evidence = f"{shape} overlaps {res.district.name} ({own[0]:.0%} of the shape, {own[1]:.0%} of the district)"
        if own[0] < NOT_MEETING and own[1] < NOT_MEETING:
            evidence = f"{res.district.name} does not meet {shape}: check the name"
        elif res.method == "exact" and named == province:
            return replace(res, evidence=evidence)
        if named != province:
            evidence += f"; province {named} from {Path(self.source.path).name}"
        return replace(res, warning=f"{res.warning}; {evidence}".lstrip("; "), evidence=evidence)

    def _feature(self, province: str, district: str) -> int | None:
        """The source's feature of this name: the only one, or the only one in the table's province."""
        found = self._by_key.get(normalise(district), []) if district else []
        if len(found) > 1 and province:
            asked = self._resolver.resolve_province(province)[0]
            found = [i for i in found if self._resolver.resolve_province(self._shapes.at[i, "_province"])[0] is asked]
        return found[0] if len(found) == 1 else None

    def _overlap(self, feature: int) -> list[tuple[str, float, float]]:
        """(P-code, share of the shape, share of the district) of every district the shape meets, largest first."""
        if feature not in self._overlaps:
            shape = self._shapes.geometry.iloc[feature]
            near = self._frame.iloc[self._frame.sindex.query(shape, predicate="intersects")]
            area = shape.area or 1.0
            out = []
            for pcode, geometry in zip(near["pcode"], near.geometry):
                common = geometry.intersection(shape).area
                out.append((pcode, common / area, common / (geometry.area or 1.0)))
            self._overlaps[feature] = sorted(out, key=lambda item: -item[1])
        return self._overlaps[feature]

    def _labels(self, pcode: str) -> str:
        row = self._frame[self._frame["pcode"] == pcode].iloc[0]
        return f"{row['district']} ({row['province']}, {pcode})"


def _split(res: Resolution, shape: str, successors, label) -> Resolution:
    spans = ", ".join(f"{label(pc)} {s:.0%}" for pc, s in successors)
    problem = (
        f"'{res.district_query}' read as {res.district.name}, but {shape} spans {spans}: a district split since; "
        "give a row for each successor it concerns"
    )
    return Resolution(
        res.province_query, res.district_query, "unresolved", res.score,
        suggestions=tuple(label(pc) for pc, _ in successors), problem=problem,
    )  # fmt: skip


def _with_candidates(res: Resolution, shape: str, successors, label) -> Resolution:
    if not successors:
        return res
    spans = ", ".join(f"{label(pc)} {s:.0%}" for pc, s in successors)
    labels = tuple(dict.fromkeys([*(label(pc) for pc, _ in successors), *res.suggestions]))
    return replace(res, problem=f"{res.problem}; {shape} overlaps {spans}", suggestions=labels)


def _is_topojson(path: Path) -> bool:
    if path.suffix.lower() == ".topojson":
        return True
    if path.suffix.lower() not in (".json", ".geojson"):
        return False
    with open(path, encoding="utf-8", errors="replace") as fh:
        return '"Topology"' in fh.read(4096)


def shaped(resolver: Resolver, frame, source: SourceBoundaries | None):
    """``resolver`` itself without a source file, else a :class:`ShapedResolver` over it."""
    return resolver if source is None else ShapedResolver(resolver, frame, source)
