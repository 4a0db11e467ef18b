"""The ``districtcontrol`` command: a thin layer over :mod:`districtcontrol.geo` and :mod:`districtcontrol.maps`.

Every command reads the table and the boundaries, resolves names and checks everything
before it writes anything. Bad input exits with status 2 and a message on stderr.

Commands by family: ``_inputs`` (boundaries, match, validate, import), ``_outputs`` (build,
map, export, summary), ``_events`` (events, compare); ``_common`` holds the main group and the options they share.
"""

from __future__ import annotations

from districtcontrol.cli import _events, _inputs, _outputs  # noqa: F401  (each registers its commands on main)
from districtcontrol.cli._common import EXIT_BAD_INPUT, main
from districtcontrol.cli._exit import exit_now

__all__ = ["EXIT_BAD_INPUT", "main", "run"]


def run() -> None:
    """Entry point of the console script and of ``python -m districtcontrol``.

    Runs the command, then ends the process at once with its exit status
    (:func:`~districtcontrol.cli._exit.exit_now`).
    """
    try:
        main()
    except SystemExit as exc:  # click ends every command this way
        exit_now(exc.code)
    exit_now(0)
