"""Colours and line styles that are not data: the fill of districts without a record, edges, hatching.

Status colours come from the legend (:mod:`districtcontrol.data.legend`); HTML and static
maps use these same values.
"""

NO_RECORD_COLOUR = "#EFEFEF"
DISTRICT_EDGE = "#9A9A9A"
PROVINCE_EDGE = "#333333"
MULTI_GROUP_HATCH = "#1A1A1A"
