"""``build``: every map, the index page, GeoJSON and summary for a region, in one run.

Maps are independent once the region is loaded, so ``jobs > 1`` renders them in worker
processes forked from this one (Linux, :mod:`districtcontrol.maps._workers`): forked here they
inherit the loaded, simplified region; started before loading (:class:`RenderWorkers`) they
import their libraries meanwhile and read the region once from a file. Static maps share one
label layout, placed first; they start the moment it is placed. When a build has print maps,
this process writes the HTML maps while the workers draw.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import as_completed
from dataclasses import dataclass
from pathlib import Path

from districtcontrol._files import write_text
from districtcontrol._style import DISTRICTS, INDEX, SUMMARY, TIMELINE, TIMELINE_SUMMARY
from districtcontrol.geo.export import write_geojson, write_qml
from districtcontrol.geo.over_time import format_over_time, summarise_over_time
from districtcontrol.geo.summary import format_summary, summarise
from districtcontrol.maps import _view
from districtcontrol.maps._formats import DEFAULT_BUILD_FORMATS, STATIC_FORMATS, TIME_FIGURES, map_format
from districtcontrol.maps._prepared import PreparedRegion, prepare_region
from districtcontrol.maps._workers import RenderWorkers, current_region, inherited, worker_count

log = logging.getLogger(__name__)


def planned_outputs(data, formats: tuple[str, ...] = DEFAULT_BUILD_FORMATS, embed: bool = False) -> list[str]:
    """File names ``build`` writes for a region (what ``load_control`` returns), in the order it returns them.

    One set of map files for the combined map and for each group with a record in the region;
    ``timeline.csv``, ``timeline_summary.csv``, ``timeline.<fmt>`` and ``changes.<fmt>`` when the region has a timeline
    (:func:`districtcontrol.geo._time.no_timeline_reason` says why not).
    """
    from districtcontrol.geo._time import no_timeline_reason

    timeline = not no_timeline_reason(getattr(data, "data", data))
    return _output_names(_view.map_names(data), formats, embed, timeline)


def _output_names(maps: tuple[str, ...], formats: tuple[str, ...], embed: bool, timeline: bool = False) -> list[str]:
    names = []
    for name in maps:
        if "html" in formats:
            names.append(f"{name}.html")
            if embed:
                names.append(f"{name}.embed.html")
        names += [f"{name}.{fmt}" for fmt in STATIC_FORMATS if fmt in formats]
    if "geojson" in formats:
        names += [f"{DISTRICTS}.geojson", f"{DISTRICTS}.qml"]
    names.append(f"{SUMMARY}.csv")
    if timeline:
        names += [f"{TIMELINE}.csv", f"{TIMELINE_SUMMARY}.csv"]
        names += [f"{stem}.{fmt}" for stem in TIME_FIGURES for fmt in STATIC_FORMATS if fmt in formats]
    if "html" in formats:
        names.append(f"{INDEX}.html")
    return names


def save_map(
    data,
    name: str,
    path: str | Path,
    *,
    self_contained: bool = False,
    tiles: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    credit: str | None = None,
) -> Path:
    """Write map ``name`` of a region to ``path``: HTML, PNG, SVG or PDF by its suffix, atomically.

    ``data`` is what :func:`districtcontrol.geo.load_control` returns or a prepared region.
    ``self_contained`` and ``tiles`` apply to HTML only; ``title``, ``subtitle`` and
    ``credit`` replace the defaults.
    """
    fmt = map_format(path)
    texts = {"title": title, "subtitle": subtitle, "credit": credit}
    if fmt == "html":
        from districtcontrol.maps.interactive import interactive_map, map_html

        html = map_html(interactive_map(data, name, tiles=tiles, **texts), self_contained=self_contained)
        return write_text(path, html)
    from districtcontrol.maps.static import save_figure, static_map

    return save_figure(static_map(data, name, **texts), path)


@dataclass(frozen=True)
class BuildOptions:
    """What ``build`` writes and how (see :func:`build`)."""

    out: Path
    formats: tuple[str, ...]
    self_contained: bool = False
    tiles: str | None = None
    embed: bool = False
    captions: _view.Captions = _view.Captions()
    timeline_map: str = _view.COMBINED  # the map the small multiples show
    dates: int | tuple[str, ...] | None = None  # how many dates they show, or which
    base_url: str | None = None


def build(
    data,
    out: str | Path,
    formats: tuple[str, ...] = DEFAULT_BUILD_FORMATS,
    *,
    self_contained: bool = False,
    tiles: str | None = None,
    embed: bool = False,
    title: str | None = None,
    subtitle: str | None = None,
    credit: str | None = None,
    progress: Callable[[Path], None] | None = None,
    jobs: int = 1,
    workers: RenderWorkers | None = None,
    timeline_map: str = _view.COMBINED,
    dates: int | Sequence[str] | None = None,
    base_url: str | None = None,
) -> list[Path]:
    """Write the maps (HTML and static images), GeoJSON, summary and index page into ``out``.

    All or nothing: every option is checked first, the files are rendered into a staging
    folder inside ``out`` and moved into place together at the end, under a lock (a second
    build into the same folder is refused). A failure or a kill leaves the previous build
    as it was. Files the previous build wrote and this one does not (a group no longer in the
    legend) are removed unless changed since; files no build wrote are never touched.
    There is a map for the combined view and for each group with a record in the region
    (:func:`planned_outputs`); ``title``, ``subtitle`` and ``credit`` go on every map and the
    index page. ``progress`` is called with each file's final path once it is rendered.
    ``jobs`` is the number of processes rendering maps (1: this process only; 0:
    :func:`default_jobs`); ``workers`` (a :class:`RenderWorkers` started before loading, so
    their imports overlap it) replaces ``jobs``. When the region has a timeline, ``timeline.csv`` lists every change,
    ``timeline_summary.csv`` is the summary on every date (:func:`~districtcontrol.summarise_over_time`)
    and ``timeline.<fmt>`` shows map ``timeline_map`` at ``dates`` (a number of dates spaced
    evenly in time, default 6, or the dates themselves); ``changes.<fmt>`` charts districts and
    people per status over time. ``base_url`` (with ``embed``) is where the maps will be published: the snippets
    then point there. Returns the written paths in the order of :func:`planned_outputs`.
    """
    from districtcontrol._files import StagedBuild
    from districtcontrol.maps._embed import check_base_url
    from districtcontrol.maps._formats import BUILD_FORMATS, parse_formats

    check_base_url(base_url)
    region = prepare_region(data)
    formats = parse_formats(",".join(formats))  # unknown formats are an error before anything is written
    if tiles:
        from districtcontrol.maps.interactive import tile_provider

        tile_provider(tiles)  # an unknown name is an error before anything is rendered
    for group in _view.groups_without_records(region):
        log.warning("no map for %s: it has no record in this region", region.legend.group_label(group))
    timeline_dates = _check_timeline(region, formats, timeline_map, dates)
    owned = _output_names(_view.all_map_names(region.legend), BUILD_FORMATS, embed=True, timeline=True)
    captions = _view.Captions(title, subtitle, credit)
    with StagedBuild(out, planned_outputs(region, formats, embed), owned) as stage:
        options = BuildOptions(
            stage.staging,
            tuple(formats),
            self_contained,
            tiles,
            embed,
            captions,
            timeline_map,
            timeline_dates,
            base_url,
        )

        def done(paths: list[Path]) -> None:
            for path in paths:
                if progress:
                    progress(stage.out / path.name)

        _render(region, options, jobs, workers, done)
        return stage.commit()


def _check_timeline(region: PreparedRegion, formats, timeline_map: str, dates):
    """The small multiples' dates, checked before anything is written (None: the default); log why there is no timeline."""
    from districtcontrol import DistrictControlError
    from districtcontrol.geo._time import no_timeline_reason
    from districtcontrol.maps._time_figures import panel_dates

    why = no_timeline_reason(region.data)
    if why:
        log.info("no timeline, timeline.csv or change chart: %s", why)
        return None
    if timeline_map not in _view.map_names(region):
        raise DistrictControlError(
            f"no map '{timeline_map}' to show over time: choose one of {', '.join(_view.map_names(region))}", "--group"
        )
    if dates is not None and any(fmt in formats for fmt in STATIC_FORMATS):
        panel_dates(region, dates)
    return dates if dates is None or isinstance(dates, int) else tuple(dates)


def _render(
    region: PreparedRegion, options: BuildOptions, jobs: int, workers, done: Callable[[list[Path]], None]
) -> None:
    """Every file of the build into ``options.out``, maps in ``workers`` or ``jobs`` processes."""
    from districtcontrol.geo._time import no_timeline_reason

    formats = options.formats
    names = _view.map_names(region)
    static = [fmt for fmt in STATIC_FORMATS if fmt in formats]
    timeline = not no_timeline_reason(region.data)
    executor = (
        workers.executor(region, options.out) if workers is not None else inherited(region, worker_count(jobs, formats))
    )
    with executor as pool:
        static_maps = _StaticMaps(pool, names, options) if static else None
        # One task writes every HTML map: each process that writes a first one pays for importing
        # folium, and the maps after it take 0.05 s each. With print maps, this process writes
        # them while the workers draw, so no worker imports folium.
        html_here = "html" in formats and bool(static)
        futures = [pool.submit(_run, "html", names, options)] if "html" in formats and not html_here else []
        if timeline and static:
            futures.append(pool.submit(_run, "time", options))
        if static:
            futures.append(pool.submit(_run, "warm"))  # a worker free while the labels are placed
        summary = summarise(region.data)
        over_time = summarise_over_time(region.data) if timeline else None
        done(_tables(region, options, summary, over_time))
        if static_maps is not None:
            futures += static_maps.submitted()
        if html_here:
            done([path for name in names for path in _html_files(region, name, options)])
        page = _index(region, options, summary, over_time, timeline) if "html" in formats else None
        for future in as_completed(futures):
            done(future.result())
    if page is not None:
        done([write_text(options.out / f"{INDEX}.html", page)])


class _StaticMaps:
    """The label layout, and the static maps submitted the moment it is placed, whatever this process is doing.

    With worker processes the layout's callback runs in the executor's result thread; it submits
    one task per map (a handful), which that thread then sends on as it would any other.
    """

    def __init__(self, pool, names: tuple[str, ...], options: BuildOptions):
        self.pool, self.names, self.options = pool, names, options
        self.futures: list = []
        self.failure: BaseException | None = None
        self.started = threading.Event()
        self.layout = pool.submit(_run, "layout")
        self.layout.add_done_callback(self._start)

    def _start(self, layout) -> None:
        try:
            if layout.exception() is None:
                labels = layout.result()
                self.futures = [self.pool.submit(_run, "static", name, self.options, labels) for name in self.names]
        except BaseException as exc:  # a callback's error would be lost: submitted() raises it
            self.failure = exc
        finally:
            self.started.set()

    def submitted(self) -> list:
        """The static maps' futures, once submitted; the layout's error or the submission's is raised here."""
        self.started.wait()
        self.layout.result()
        if self.failure is not None:
            raise self.failure
        return self.futures


def _index(region: PreparedRegion, options: BuildOptions, summary, over_time, timeline: bool) -> str:
    """The text of ``index.html`` (written in this process while the maps are rendered)."""
    from districtcontrol.maps._page import index_page

    chart = next((f"changes.{fmt}" for fmt in ("svg", "png") if timeline and fmt in options.formats), None)
    return index_page(region, summary, options.captions, changes=chart, over_time=over_time)


def _tables(region: PreparedRegion, options: BuildOptions, summary, over_time) -> list[Path]:
    paths = []
    data = region.data
    if "geojson" in options.formats:
        path = options.out / f"{DISTRICTS}.geojson"
        paths.append(write_geojson(data.districts, path, region.legend, as_of=data.as_of, when=data.when))
        paths.append(write_qml(options.out / f"{DISTRICTS}.qml", region.legend))
    paths.append(write_text(options.out / f"{SUMMARY}.csv", format_summary(summary, "csv")))
    if over_time is not None:
        from districtcontrol.maps._time_figures import timeline_csv

        paths.append(write_text(options.out / f"{TIMELINE}.csv", timeline_csv(region)))
        paths.append(write_text(options.out / f"{TIMELINE_SUMMARY}.csv", format_over_time(over_time)))
    return paths


# -- the work of one map, in this process or a worker -------------------------------------


def _run(task: str, *args):
    region = current_region()
    if task == "layout":
        from districtcontrol.maps.static import label_layout

        return label_layout(region)
    if task == "warm":
        import matplotlib.figure  # noqa: F401  (imported once per worker, ahead of its first static map)

        return []
    if task == "html":
        names, options = args
        return [path for name in names for path in _html_files(region, name, options)]
    if task == "time":
        from districtcontrol.maps._time_figures import write_time_outputs

        options = args[0]
        formats = [fmt for fmt in STATIC_FORMATS if fmt in options.formats]
        return write_time_outputs(region, options.out, formats, options.timeline_map, options.dates, options.captions)
    return _static_files(region, *args)


def _html_files(region: PreparedRegion, name: str, options: BuildOptions) -> list[Path]:
    from districtcontrol.maps._embed import embed_snippet

    path = options.out / f"{name}.html"
    texts = _texts(options.captions)
    paths = [save_map(region, name, path, self_contained=options.self_contained, tiles=options.tiles, **texts)]
    if options.embed:
        title = region.text(name, options.captions).title
        snippet = embed_snippet(region, name, title, options.base_url)
        paths.append(write_text(options.out / f"{name}.embed.html", snippet))
    return paths


def _texts(captions: _view.Captions) -> dict:
    return {"title": captions.title, "subtitle": captions.subtitle, "credit": captions.credit}


def _static_files(region: PreparedRegion, name: str, options: BuildOptions, labels) -> list[Path]:
    from districtcontrol.maps.static import save_figure, static_map

    fig = static_map(region.with_labels(labels), name, **_texts(options.captions))
    return [save_figure(fig, options.out / f"{name}.{fmt}") for fmt in STATIC_FORMATS if fmt in options.formats]
