"""districtcontrol: map which districts armed groups have captured, contest or operate in.

The package is laid out as the pipeline it runs:

* :mod:`districtcontrol.data` reads and validates control tables (read);
* :mod:`districtcontrol.geo` loads boundaries, resolves names and joins (resolve names, join);
* :mod:`districtcontrol.maps` renders interactive and static maps (render, write);
* :mod:`districtcontrol.cli` is the command line, a thin layer over the three.

Importing the package is cheap: geopandas, folium and matplotlib load only when used.
"""

from __future__ import annotations

__version__ = "0.1.0"


class DistrictControlError(Exception):
    """An error in the user's input or environment, with a message that says how to fix it.

    ``path`` and ``line`` name where the problem is, when it is in a file.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        self.message = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")

    def __reduce__(self):
        # Whole, when it crosses from a worker process of ``build`` to the caller.
        return (type(self), (self.message, self.path, self.line))


__all__ = ["DistrictControlError", "__version__"]
