"""The processes that render a build's maps, and how the prepared region reaches them.

With ``jobs > 1`` maps are rendered in worker processes forked from this one (Linux). Forked by
:func:`~districtcontrol.maps.build` itself, after the region is prepared, they inherit it.
Started earlier by :class:`RenderWorkers` (the ``build`` command does this before loading the
table and the boundaries), they import what their maps need while this process loads (matplotlib
when the build has print maps, whose HTML maps this process then writes; else folium), and each
reads the prepared region once from a file this process writes: a pickle, with every
geometry's precision grid beside it (pickling keeps the coordinates but not the grid, which
steers later operations such as where a label's point falls).

The libraries and the region live as long as the build, so Python's garbage collector is told
to leave them alone (:func:`long_lived`): otherwise it scans them again and again, 0.2-0.3 s in
each process of a region-north build, and in a worker touches every page it shares with this
process.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import multiprocessing
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path

MAX_AUTO_JOBS = 4
# Workers run at a lower priority: until this process has loaded and shipped the region nothing
# can be drawn, and their imports would otherwise take a share of its core (0.1-0.15 s later).
WORKER_NICENESS = 5
# what a shipped region is made of, and the modules of every task (the build's process loads them all)
_REGION_MODULES = (
    "geopandas",
    "districtcontrol.geo.pipeline",
    "districtcontrol.maps._prepared",
    "districtcontrol.maps._build",
    "districtcontrol.maps.static",
)
_REGION = None  # the prepared region of the tasks run in this process
_SHIPPED: tuple[str, object] | None = None  # (file, region) a worker has read
_FREEZING = False  # whether this process may leave objects out of garbage collection (see long_lived)


def default_jobs() -> int:
    """Worker processes for ``jobs=0``: one per CPU core, at most 4; 1 where fork is unavailable."""
    if not sys.platform.startswith("linux"):
        return 1
    return max(1, min(MAX_AUTO_JOBS, os.cpu_count() or 1))


def worker_count(jobs: int, formats: Sequence[str]) -> int:
    """How many processes a build of ``formats`` with ``jobs`` (0: :func:`default_jobs`) forks (0: none).

    Without print maps a build has one task, writing every HTML map, which one worker runs
    while this process writes the tables and the index page; more workers would only compete
    with the loading for the cores.
    """
    from districtcontrol.maps._formats import STATIC_FORMATS

    jobs = jobs or default_jobs()
    if jobs <= 1:
        return 0
    return jobs if any(fmt in formats for fmt in STATIC_FORMATS) else 1


def current_region():
    """The prepared region the tasks of this process render."""
    return _REGION


class RenderWorkers:
    """``jobs`` worker processes (0: :func:`default_jobs`) that import what ``formats`` need as they start.

    A context manager; pass it to :func:`~districtcontrol.maps.build` as ``workers``::

        with RenderWorkers(0, ("html", "png")) as workers:
            data = load_control(...)
            build(data, "maps", ("html", "png"), workers=workers)

    With one job, or where fork is unavailable, there are no workers and maps render in this process.
    """

    def __init__(self, jobs: int = 0, formats: Sequence[str] = ("html",)):
        self.formats = tuple(formats)
        self.processes = worker_count(jobs, self.formats)
        self.pool: ProcessPoolExecutor | None = None
        self._file: Path | None = None
        self._frozen = contextlib.ExitStack()  # what this process leaves out of garbage collection until __exit__

    def __enter__(self) -> RenderWorkers:
        if self.processes and "fork" in multiprocessing.get_all_start_methods():
            self._frozen.enter_context(long_lived())
            with _kept():  # imported once, shared by the forks: this process needs them too
                for name in _REGION_MODULES:
                    importlib.import_module(name)
            self.pool = ProcessPoolExecutor(
                self.processes,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker,
                initargs=(os.getpid(), _imports(self.formats)),
            )
            self.pool.submit(int)  # forks every worker now, while this process goes on loading
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.pool is not None:  # after a failure before any map, the error is shown at once
            self.pool.shutdown(wait=exc is None, cancel_futures=exc is not None)
        self._frozen.close()
        if self._file is not None:
            self._file.unlink(missing_ok=True)

    @contextlib.contextmanager
    def executor(self, region, folder: Path | None = None):
        """An executor whose tasks see ``region`` through :func:`current_region`.

        The region reaches the workers through a hidden file in ``folder`` (the build's staging
        folder, which a later build clears if this one is killed; default: the temporary folder),
        removed when the executor closes.
        """
        if self.pool is None:
            with inherited(region, 0) as pool:
                yield pool
            return
        _freeze()  # the loaded region too, until __exit__
        self._file = _ship(region, folder)
        try:
            yield _Shipped(self.pool, str(self._file))
        except BaseException:  # no worker may still write into the build's folder once this returns
            self.pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            self._file.unlink(missing_ok=True)


@contextlib.contextmanager
def inherited(region, processes: int):
    """An executor of ``processes`` worker processes forked now, inheriting ``region`` (0: this process only)."""
    global _REGION
    _REGION = region
    with long_lived():
        if processes < 1 or "fork" not in multiprocessing.get_all_start_methods():
            pool: Executor = _InProcess()
        else:
            context = multiprocessing.get_context("fork")
            pool = ProcessPoolExecutor(
                processes, mp_context=context, initializer=_start_worker, initargs=(os.getpid(), ())
            )
        failed = True
        try:
            yield pool
            failed = False
        finally:
            pool.shutdown(wait=True, cancel_futures=failed)
            _REGION = None


@contextlib.contextmanager
def long_lived():
    """Let the block leave what lives as long as the build out of garbage collection (:func:`gc.freeze`).

    Everything frozen is collectable again when the block ends. Nothing is frozen when the
    caller has frozen objects of its own: their freeze stays as it was.
    """
    global _FREEZING
    if _FREEZING or gc.get_freeze_count():
        yield
        return
    _FREEZING = True
    gc.freeze()
    try:
        yield
    finally:
        _FREEZING = False
        gc.unfreeze()


def _freeze() -> None:
    """Leave every object alive now out of garbage collection, in a worker or within :func:`long_lived`."""
    if _FREEZING:
        gc.freeze()


@contextlib.contextmanager
def _kept():
    """No garbage collection in the block, and what it made (imports, a region) left out of it afterwards: it lives on.

    A collection in the block would scan everything made so far, again and again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _freeze()
        if enabled:
            gc.enable()


def _imports(formats: tuple[str, ...]) -> tuple[str, ...]:
    from districtcontrol.maps._formats import STATIC_FORMATS

    html = (
        "folium",
        "districtcontrol.maps.interactive",
        "districtcontrol.maps._folium",
        "districtcontrol.maps._elements",
    )
    if any(fmt in formats for fmt in STATIC_FORMATS):  # the build's own process writes the HTML maps
        return ("matplotlib.figure", "matplotlib.backends.backend_agg")
    return html if "html" in formats else ()


def _start_worker(parent: int, modules: tuple[str, ...]) -> None:
    global _FREEZING
    _die_with_parent(parent)
    _FREEZING = True  # a worker's heap is its own, and lives until the build ends
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)
    with _kept():  # a worker's libraries, and what it inherited, live as long as it does
        for name in modules:
            importlib.import_module(name)


def _die_with_parent(parent: int) -> None:
    """In a worker: ask Linux to kill this process when the build's process dies (even by kill -9)."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _ship(region, folder: Path | None = None) -> Path:
    """The region pickled into a private hidden file in ``folder``, with the precision grid of every geometry column."""
    region = _what_workers_use(region)
    fd, name = tempfile.mkstemp(prefix=".districtcontrol-region-", suffix=".pickle", dir=folder)
    with os.fdopen(fd, "wb") as fh:
        pickle.dump((region, _grids(region)), fh, protocol=pickle.HIGHEST_PROTOCOL)
    return Path(name)


def _what_workers_use(region):
    """``region`` without the population estimates of every year unless it has a timeline (only its figures use them).

    They are a sixth of the file, and a worker reads them in 0.02-0.04 s it need not spend.
    """
    import dataclasses

    from districtcontrol.geo._time import no_timeline_reason

    population = region.data.population
    if population is None or population.estimates is None or not no_timeline_reason(region.data):
        return region
    data = dataclasses.replace(region.data, population=dataclasses.replace(population, estimates=None))
    return dataclasses.replace(region, data=data)


def _frames(region) -> dict:
    return {"simplified": region.simplified, "provinces": region.provinces, "districts": region.data.districts}


def _grids(region) -> dict:
    import shapely

    return {key: shapely.get_precision(frame.geometry.values) for key, frame in _frames(region).items()}


def _unship(path: str):
    import geopandas as gpd
    import numpy as np
    import shapely

    with open(path, "rb") as fh:
        region, grids = pickle.load(fh)
    for key, frame in _frames(region).items():
        grid = grids[key]
        gridded = grid > 0
        if gridded.any():
            values = np.asarray(frame.geometry.values, dtype=object).copy()
            values[gridded] = shapely.set_precision(values[gridded], grid[gridded], mode="pointwise")
            frame[frame.geometry.name] = gpd.GeoSeries(values, index=frame.index, crs=frame.crs)
    return region


def _run_shipped(path: str, task: Callable, *args):
    global _REGION, _SHIPPED
    if _SHIPPED is None or _SHIPPED[0] != path:
        with _kept():
            _SHIPPED = (path, _unship(path))
    _REGION = _SHIPPED[1]
    return task(*args)


class _Shipped(Executor):
    """Submits each task to workers started earlier, with the file they read the region from."""

    def __init__(self, pool: ProcessPoolExecutor, path: str):
        self.pool, self.path = pool, path

    def submit(self, fn, /, *args, **kwargs) -> Future:
        return self.pool.submit(_run_shipped, self.path, fn, *args, **kwargs)


class _InProcess(Executor):
    """Runs each task at once, in this process (the ``jobs=1`` executor); a failure stops the build there."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future
