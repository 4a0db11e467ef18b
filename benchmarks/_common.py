"""What every benchmark script shares: its argument parser, the boundary file, timing a child process, the table.

Each script is run from the repository root (``python benchmarks/bench_x.py``), which puts this
folder on ``sys.path``, so ``from _common import ...`` works without installing anything.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ENV_BOUNDARIES = "DISTRICTCONTROL_BOUNDARIES"
ENV_POPULATION = "DISTRICTCONTROL_POPULATION"
DISTRICTCONTROL = [sys.executable, "-m", "districtcontrol"]


def parser(doc: str | None) -> argparse.ArgumentParser:
    """An argument parser described by the first line of the script's docstring."""
    return argparse.ArgumentParser(description=(doc or "").splitlines()[0])


def boundaries(*also: str) -> str:
    """The boundary file from ``DISTRICTCONTROL_BOUNDARIES`` (and every other variable named): exit if one is unset."""
    missing = [name for name in (ENV_BOUNDARIES, *also) if not os.environ.get(name)]
    if missing:
        sys.exit(f"set {' and '.join(missing)} (the COD-AB district file; see the script's docstring)")
    return os.environ[ENV_BOUNDARIES]


@dataclass(frozen=True)
class Run:
    """One child process: wall seconds, peak resident memory in bytes, exit status, the end of its stderr."""

    seconds: float
    peak: int
    code: int
    stderr: str


def measure(cmd: Sequence[str], env: dict[str, str] | None = None, check: bool = True) -> Run:
    """Run ``cmd`` as a new process; its wall time and peak memory (``wait4``). A failure is printed, and exits with ``check``."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    run = Run(time.perf_counter() - start, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status), err[-4000:])
    if run.code != 0:
        sys.stderr.write(f"failed (exit {run.code}): {' '.join(cmd)}\n{run.stderr}\n")
        if check:
            sys.exit(1)
    return run


def alternate(sides: dict[str, Callable[[int], Sequence[str] | tuple]], repeat: int) -> dict[str, list[Run]]:
    """Every side once per round, in order, ``repeat`` rounds: noise on a shared machine falls on all sides alike.

    A side is called with the round number and returns the command, or ``(command, env)``.
    """
    runs: dict[str, list[Run]] = {name: [] for name in sides}
    for i in range(repeat):
        for name, make in sides.items():
            made = make(i)
            cmd, env = made if isinstance(made, tuple) else (made, None)
            runs[name].append(measure(cmd, env))
    return runs


def median(runs: list[Run], what: str = "seconds") -> float:
    return statistics.median(getattr(r, what) for r in runs)


def print_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A Markdown table, columns padded: readable in a terminal and pasteable into the README."""
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |"

    print(line(cells[0]))
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for row in cells[1:]:
        print(line(row))


def verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


def stack() -> str:
    """The machine and the versions of the libraries that matter, for the README's table."""
    from importlib import metadata

    names = ("geopandas", "shapely", "pyogrio", "pandas", "numpy", "folium", "matplotlib")
    versions = []
    for name in names:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (absent)")
    return f"{os.cpu_count()} cores, Python {sys.version.split()[0]}; " + ", ".join(versions)


def folder_sizes(folder: Path, pattern: str) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in sorted(folder.glob(pattern))}
