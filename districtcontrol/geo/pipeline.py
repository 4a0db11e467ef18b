"""The pipeline up to rendering: read the table → resolve names → join to the boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from districtcontrol.data.table import Record, default_table_path, read_table
from districtcontrol.geo.boundaries import BoundarySource, locate_boundaries, read_boundaries
from districtcontrol.geo.join import ProvinceNote, ResolvedRecord, join_control, province_notes, resolve_records
from districtcontrol.geo.names import Resolver
from districtcontrol.geo.regions import dissolve_provinces, region_provinces


@dataclass
class ControlData:
    """Everything the maps and exports need: the joined districts of a region and their evidence.

    ``districts`` is a GeoDataFrame with pcode, district, district_dari, province,
    province_pcode, one column per group (its status or None), sources and history.
    """

    districts: object
    records: list[ResolvedRecord]
    notes: list[ProvinceNote]
    region: str
    table: Path
    boundaries: BoundarySource
    _simplified: object = field(default=None, repr=False)
    _provinces: object = field(default=None, repr=False)
    _topology: dict | None = field(default=None, repr=False)
    _rows: list | None = field(default=None, repr=False)
    cache: dict = field(default_factory=dict, repr=False)  # results derived for display, shared by every map

    @property
    def rows(self) -> list[dict]:
        """The districts' attributes as one dict per district, in the order of ``districts``; built once."""
        if self._rows is None:
            self._rows = self.districts.drop(columns=self.districts.geometry.name).to_dict("records")
        return self._rows

    @property
    def provinces(self):
        """Province outlines of the region, dissolved once from the (simplified) districts."""
        if self._provinces is None:
            self._provinces = dissolve_provinces(self.simplified)
        return self._provinces

    @property
    def simplified(self):
        """The districts with geometry simplified once for display (shared edges kept)."""
        if self._simplified is None:
            from districtcontrol.geo.simplify import simplify_districts

            self._simplified = simplify_districts(self.districts)
        return self._simplified

    @property
    def topology(self) -> dict:
        """The simplified districts as TopoJSON (each shared edge once), ids are P-codes; built once."""
        if self._topology is None:
            from districtcontrol.geo.simplify import COORDINATE_DECIMALS
            from districtcontrol.geo.topology import topology

            simplified = self.simplified
            self._topology = topology(
                simplified.geometry.values, list(simplified["pcode"]), decimals=COORDINATE_DECIMALS
            )
        return self._topology


def load_control(
    table: str | Path | None = None,
    boundaries: str | Path | None = None,
    region: str = "north",
    *,
    name_field: str | None = None,
    province_field: str | None = None,
    pcode_field: str | None = None,
    records: list[Record] | None = None,
) -> ControlData:
    """Read a control table and the boundaries, resolve every name and join them for a region.

    Raises :class:`districtcontrol.data.TableError` listing every bad or unresolvable row,
    before anything is written.
    """
    table_path = Path(table) if table else default_table_path()
    records = records if records is not None else read_table(table_path)
    source = locate_boundaries(boundaries)
    all_districts = read_boundaries(
        source.path, name_field=name_field, province_field=province_field, pcode_field=pcode_field
    )
    resolver = Resolver.from_frame(all_districts)
    resolved = resolve_records(records, resolver, str(table_path))
    recorded = {r.resolution.province_pcode for r in resolved}
    provinces = region_provinces(region, resolver, recorded)
    in_region = all_districts[all_districts["province_pcode"].isin(provinces)].reset_index(drop=True)
    joined = join_control(in_region, resolved)
    notes = [n for n in province_notes(resolved) if n.province_pcode in provinces]
    return ControlData(joined, resolved, notes, region, table_path, source)
