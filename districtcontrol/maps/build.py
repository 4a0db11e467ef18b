"""``build``: every map, the index page, GeoJSON and summary for a region, in one run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from districtcontrol.geo.export import format_summary, summarise, write_geojson
from districtcontrol.geo.files import write_text
from districtcontrol.maps import style

FORMATS = ("html", "png", "svg", "geojson")
EMBED_SNIPPET = (
    '<iframe src="{src}" title="{title}" width="100%" height="620" style="border:0" loading="lazy"></iframe>\n'
)


def planned_outputs(formats: tuple[str, ...] = FORMATS, embed: bool = False) -> list[str]:
    """File names ``build`` writes for the given formats, in the order it writes them."""
    names = []
    for name in style.MAP_NAMES:
        if "html" in formats:
            names.append(f"{name}.html")
            if embed:
                names.append(f"{name}.embed.html")
        names += [f"{name}.{fmt}" for fmt in ("png", "svg", "pdf") if fmt in formats]
    if "geojson" in formats:
        names.append("districts.geojson")
    names.append("summary.csv")
    if "html" in formats:
        names.append("index.html")
    return names


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
) -> list[Path]:
    """Write the maps (HTML and static images), GeoJSON, summary and index page into ``out``.

    Each file is written to a temporary name and renamed into place, so a failure never
    leaves a half-written file and never touches files of an earlier run it did not rewrite.
    ``progress`` is called with each path once it is written. Returns the written paths.
    """
    from districtcontrol.maps.interactive import interactive_map, map_html

    out = Path(out)
    written: list[Path] = []

    def done(path: Path) -> None:
        written.append(path)
        if progress:
            progress(path)

    for name in style.MAP_NAMES:
        if "html" in formats:
            done(
                write_text(
                    out / f"{name}.html",
                    map_html(interactive_map(data, name, tiles=tiles, source=source), self_contained=self_contained),
                )
            )
            if embed:
                title = style.esc(style.map_text(name, data.table, source).title)
                done(write_text(out / f"{name}.embed.html", EMBED_SNIPPET.format(src=f"{name}.html", title=title)))
        _write_static(data, name, out, formats, source, done)
    if "geojson" in formats:
        done(write_geojson(data.districts, out / "districts.geojson"))
    summary = summarise(data.districts)
    done(write_text(out / "summary.csv", format_summary(summary, "csv")))
    if "html" in formats:
        from districtcontrol.maps.page import index_page

        done(write_text(out / "index.html", index_page(data, summary, source)))
    return written


def _write_static(data, name: str, out: Path, formats, source, done) -> None:
    static = [fmt for fmt in ("png", "svg", "pdf") if fmt in formats]
    if not static:
        return
    import matplotlib.pyplot as plt

    from districtcontrol.maps.static import save_figure, static_map

    fig = static_map(data, name, source=source)
    try:
        for fmt in static:
            done(save_figure(fig, out / f"{name}.{fmt}"))
    finally:
        plt.close(fig)
