"""Public names of a package, imported from their modules only when first used (keeps imports cheap)."""

from __future__ import annotations

import importlib
from collections.abc import Callable


def lazy_exports(package: str, table: dict[str, str], version_of: str | None = None) -> Callable[[str], object]:
    """A module ``__getattr__`` that takes each name of ``table`` (name → module) from its module on first use.

    With ``version_of``, ``__version__`` is that distribution's installed version, read from its
    metadata on first use (importing ``importlib.metadata`` costs a command's start-up 30 ms).
    """

    def __getattr__(name: str) -> object:
        if name in table:
            return getattr(importlib.import_module(table[name]), name)
        if name == "__version__" and version_of:
            return installed_version(version_of)
        raise AttributeError(f"module '{package}' has no attribute '{name}'")

    return __getattr__


def installed_version(distribution: str) -> str:
    """The installed version of ``distribution``, or ``0+unknown`` in a source tree that is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "0+unknown"
