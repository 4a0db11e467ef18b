"""Control tables: the shipped CSV files and the code that reads and validates them."""

from districtcontrol.data.table import (
    COLUMNS,
    Problem,
    Record,
    TableError,
    aliases_path,
    default_table_path,
    read_table,
    validate_table,
)

__all__ = [
    "COLUMNS",
    "Problem",
    "Record",
    "TableError",
    "aliases_path",
    "default_table_path",
    "read_table",
    "validate_table",
]
