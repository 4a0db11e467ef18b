"""``build``: every map, the index page, GeoJSON and summary for a region, in one run.

Maps are independent once the region is loaded, so ``jobs > 1`` renders them in worker
processes forked from this one (Linux): the workers inherit the loaded, simplified region
instead of loading it again. Static maps share one label layout, placed first.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from districtcontrol.geo.export import format_summary, summarise, write_geojson
from districtcontrol.geo.files import write_text
from districtcontrol.maps import style

FORMATS = ("html", "png", "svg", "geojson")
STATIC = ("png", "svg", "pdf")
MAX_AUTO_JOBS = 4
EMBED_SNIPPET = (
    '<iframe src="{src}" title="{title}" width="100%" height="620" style="border:0" loading="lazy"></iframe>\n'
)


def planned_outputs(formats: tuple[str, ...] = FORMATS, embed: bool = False) -> list[str]:
    """File names ``build`` writes for the given formats, in the order ``build`` returns them."""
    names = []
    for name in style.MAP_NAMES:
        if "html" in formats:
            names.append(f"{name}.html")
            if embed:
                names.append(f"{name}.embed.html")
        names += [f"{name}.{fmt}" for fmt in STATIC if fmt in formats]
    if "geojson" in formats:
        names.append("districts.geojson")
    names.append("summary.csv")
    if "html" in formats:
        names.append("index.html")
    return names


def default_jobs() -> int:
    """Worker processes for ``jobs=0``: one per CPU core, at most 4; 1 where fork is unavailable."""
    if not sys.platform.startswith("linux"):
        return 1
    return max(1, min(MAX_AUTO_JOBS, os.cpu_count() or 1))


@dataclass(frozen=True)
class BuildOptions:
    """What ``build`` writes and how (see :func:`build`)."""

    out: Path
    formats: tuple[str, ...]
    self_contained: bool = False
    tiles: str | None = None
    embed: bool = False
    source: str | None = None


def build(
    data,
    out: str | Path,
    formats: tuple[str, ...] = FORMATS,
    *,
    self_contained: bool = False,
    tiles: str | None = None,
    embed: bool = False,
    source: str | None = None,
    progress: Callable[[Path], None] | None = None,
    jobs: int = 1,
) -> list[Path]:
    """Write the maps (HTML and static images), GeoJSON, summary and index page into ``out``.

    Each file is written to a temporary name and renamed into place, so a failure never
    leaves a half-written file and never touches files of an earlier run it did not rewrite.
    ``progress`` is called with each path once it is written. ``jobs`` is the number of
    processes rendering maps (1: this process only; 0: :func:`default_jobs`). Returns the
    written paths in the order of :func:`planned_outputs`.
    """
    options = BuildOptions(Path(out), tuple(formats), self_contained, tiles, embed, source)
    written: list[Path] = []

    def done(paths: list[Path]) -> None:
        for path in paths:
            written.append(path)
            if progress:
                progress(path)

    static = [fmt for fmt in STATIC if fmt in formats]
    with _executor(data, jobs or default_jobs()) as pool:
        layout = pool.submit(_run, "layout") if static else None
        futures = [pool.submit(_run, "html", name, options) for name in style.MAP_NAMES if "html" in formats]
        if static:
            futures.append(pool.submit(_run, "warm"))  # a worker free while the labels are placed
        summary = summarise(data.districts)
        done(_tables(data, options, summary))
        if layout is not None:
            labels = layout.result()
            futures += [pool.submit(_run, "static", name, options, labels) for name in style.MAP_NAMES]
        for future in as_completed(futures):
            done(future.result())
    if "html" in formats:
        from districtcontrol.maps.page import index_page

        done([write_text(options.out / "index.html", index_page(data, summary, source))])
    order = {name: i for i, name in enumerate(planned_outputs(options.formats, embed))}
    return sorted(written, key=lambda p: order.get(p.name, len(order)))


def _tables(data, options: BuildOptions, summary) -> list[Path]:
    paths = []
    if "geojson" in options.formats:
        paths.append(write_geojson(data.districts, options.out / "districts.geojson"))
    paths.append(write_text(options.out / "summary.csv", format_summary(summary, "csv")))
    return paths


# -- the work of one map, in this process or a worker -------------------------------------

_WORKER_DATA = None  # the region, inherited by forked workers


def _run(task: str, *args):
    data = _WORKER_DATA
    if task == "layout":
        from districtcontrol.maps.static import label_layout

        return label_layout(data)
    if task == "warm":
        import matplotlib.pyplot  # noqa: F401  (imported once per worker, ahead of its first static map)
        import PIL.Image  # noqa: F401

        return []
    if task == "html":
        return _html_files(data, *args)
    return _static_files(data, *args)


def _html_files(data, name: str, options: BuildOptions) -> list[Path]:
    from districtcontrol.maps.interactive import interactive_map, map_html

    m = interactive_map(data, name, tiles=options.tiles, source=options.source)
    paths = [write_text(options.out / f"{name}.html", map_html(m, self_contained=options.self_contained))]
    if options.embed:
        title = style.esc(style.map_text(name, data.table, options.source).title)
        snippet = EMBED_SNIPPET.format(src=f"{name}.html", title=title)
        paths.append(write_text(options.out / f"{name}.embed.html", snippet))
    return paths


def _static_files(data, name: str, options: BuildOptions, labels) -> list[Path]:
    import matplotlib.pyplot as plt

    from districtcontrol.maps.static import save_figure, static_map

    data.cache["static_labels"] = labels
    fig = static_map(data, name, source=options.source)
    try:
        return [save_figure(fig, options.out / f"{name}.{fmt}") for fmt in STATIC if fmt in options.formats]
    finally:
        plt.close(fig)


class _InProcess(Executor):
    """Runs each task at once, in this process (the ``jobs=1`` executor); a failure stops the build there."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


class _executor:
    """The region made visible to the tasks, and an executor of ``jobs`` forked processes (or this one)."""

    def __init__(self, data, jobs: int):
        self.data, self.jobs = data, jobs

    def __enter__(self) -> Executor:
        global _WORKER_DATA
        _WORKER_DATA = self.data
        if self.jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            self.pool: Executor = _InProcess()
        else:
            _ = self.data.simplified, self.data.topology, self.data.provinces, self.data.rows  # once, before forking
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"))
        return self.pool

    def __exit__(self, exc_type, exc, tb) -> None:
        global _WORKER_DATA
        self.pool.shutdown(wait=True, cancel_futures=exc is not None)
        _WORKER_DATA = None
