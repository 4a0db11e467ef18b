"""The pipeline up to rendering: read the table → resolve names → join to the boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from districtcontrol.data.legend import Legend, read_legend
from districtcontrol.data.table import Record, default_table_path, read_table
from districtcontrol.geo._join import ProvinceNote, ResolvedRecord, join_control, province_notes, resolve_records
from districtcontrol.geo._regions import region_provinces
from districtcontrol.geo.boundaries import BoundarySource, load_boundaries
from districtcontrol.geo.names import Resolver


@dataclass(frozen=True)
class ControlData:
    """A control table joined to the districts of a region, with its evidence.

    ``districts`` is a GeoDataFrame with pcode, district, district_dari, province,
    province_pcode, one column per group of the legend (its status or None), sources and
    history. ``records`` are the table's rows with how each name was resolved, ``notes`` the
    province-level statements, ``legend`` the table's groups and statuses, ``boundaries``
    the boundary file in use. Drawing state lives in :func:`districtcontrol.maps.prepare_region`.
    """

    districts: object
    records: list[ResolvedRecord]
    notes: list[ProvinceNote]
    region: str
    table: Path
    boundaries: BoundarySource
    legend: Legend = field(default_factory=read_legend)


def load_control(
    table: str | Path | None = None,
    boundaries: str | Path | None = None,
    region: str = "north",
    *,
    name_field: str | None = None,
    province_field: str | None = None,
    pcode_field: str | None = None,
    records: list[Record] | None = None,
    legend: Legend | str | Path | None = None,
) -> ControlData:
    """Read a control table and the boundaries, resolve every name and join them for a region.

    ``legend`` is a :class:`~districtcontrol.data.legend.Legend` or the path of a legend
    file (default: the shipped table's). Raises :class:`districtcontrol.data.TableError`
    listing every bad or unresolvable row, before anything is written.
    """
    legend = legend if isinstance(legend, Legend) else read_legend(legend)
    table_path = Path(table) if table else default_table_path()
    records = records if records is not None else read_table(table_path)
    source, all_districts = load_boundaries(
        boundaries, name_field=name_field, province_field=province_field, pcode_field=pcode_field
    )
    resolver = Resolver.from_frame(all_districts)
    resolved = resolve_records(records, resolver, str(table_path))
    recorded = {r.resolution.province_pcode for r in resolved}
    provinces = region_provinces(region, resolver, recorded)
    in_region = all_districts[all_districts["province_pcode"].isin(provinces)].reset_index(drop=True)
    joined = join_control(in_region, resolved, legend.group_keys)
    notes = [n for n in province_notes(resolved) if n.province_pcode in provinces]
    return ControlData(joined, resolved, notes, region, table_path, source, legend)
