"""Names and colours every output shares that are not data: the combined map's name, the names of a
build's files and of an export's fields, districts without a record, edges and hatching. Status and
group colours come from the legend (:mod:`districtcontrol.data.legend`); HTML, static maps and the
QGIS styles use these same values, and the legend refuses a group named like a file or a field here.
"""

COMBINED = "combined"  # the map (and export field) of every group together
NO_RECORD_COLOUR = "#EFEFEF"
NO_RECORD_LABEL = "No record"
DISTRICT_EDGE = "#9A9A9A"
PROVINCE_EDGE = "#333333"
MULTI_GROUP_HATCH = "#1A1A1A"
AMBIGUOUS_EDGE = "#6A1B9A"  # the dashed outline of districts a source names ambiguously

# The files of a build that are not a group's map, by stem (``<stem>.<suffix>``, see maps/_build.py).
INDEX = "index"  # index.html
DISTRICTS = "districts"  # districts.geojson and its QGIS style districts.qml
SUMMARY = "summary"  # summary.csv
TIMELINE = "timeline"  # timeline.csv and the small multiples timeline.<fmt>
TIMELINE_SUMMARY = "timeline_summary"  # timeline_summary.csv: the summary on every date
CHANGES = "changes"  # the chart of change, changes.<fmt>
BUILD_STEMS = {
    COMBINED: "the combined map",
    DISTRICTS: "districts.geojson and districts.qml",
    SUMMARY: "summary.csv",
    TIMELINE: "timeline.csv and the small multiples",
    TIMELINE_SUMMARY: "timeline_summary.csv",
    CHANGES: "the chart of change",
    INDEX: "the index page",
}

# The fields of an export besides each group's (see geo/export.py), and a group's fields beside its status.
NAME_COLUMNS = ("pcode", "district", "district_dari", "province", "province_pcode")
POPULATION_COLUMNS = ("population", "population_year")
FIXED_FIELDS = (*NAME_COLUMNS, *POPULATION_COLUMNS, COMBINED, "sources", "history", "geometry")
GROUP_FIELD_SUFFIXES = ("_date", "_note", "_source")  # of the row that decides the group's status


def reserved_names() -> dict[str, str]:
    """Names a legend's group may not have, each with what already has it: a build file's stem or an
    export's field. A group named so would overwrite that file in a build, or that column in an export."""
    return {**{f: f"the export field '{f}'" for f in FIXED_FIELDS}, **BUILD_STEMS}
