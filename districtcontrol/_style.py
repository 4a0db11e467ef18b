"""Names and colours every output shares that are not data: the combined map's name, districts without
a record, edges and hatching. Status and group colours come from the legend
(:mod:`districtcontrol.data.legend`); HTML, static maps and the QGIS styles use these same values.
"""

COMBINED = "combined"  # the map (and export field) of every group together
NO_RECORD_COLOUR = "#EFEFEF"
NO_RECORD_LABEL = "No record"
DISTRICT_EDGE = "#9A9A9A"
PROVINCE_EDGE = "#333333"
MULTI_GROUP_HATCH = "#1A1A1A"
