"""Maps: shared-edge simplification on the real file, lean reproducible HTML, escaping, static images, build."""

from __future__ import annotations

import gc
import os
import re
import sys

import pytest
import shapely

from districtcontrol.geo.export import EQUAL_AREA_CRS
from districtcontrol.maps import build, interactive_map, map_html, planned_outputs
from tests.page_decode import districts

pytestmark = pytest.mark.integration

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_simplified_districts_share_edges_without_gaps_or_overlaps(control_data, region):
    original = control_data.districts.to_crs(EQUAL_AREA_CRS).geometry.values
    simplified = region.simplified.to_crs(EQUAL_AREA_CRS).geometry.values
    assert shapely.is_valid(simplified).all()
    tree = shapely.STRtree(simplified)
    left, right = tree.query(simplified, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(simplified[left[pairs]], simplified[right[pairs]]))
    assert overlap.max() < 1.0  # m²: neighbours touch, never overlap
    union_before = shapely.union_all(original).area
    union_after = shapely.union_all(simplified).area
    assert abs(union_after - union_before) / union_before < 0.005
    assert abs(sum(shapely.area(simplified)) - union_after) / union_after < 0.001  # no gaps counted twice


def test_simplified_outlines_stay_within_500_m_of_the_original(control_data, region):
    original = control_data.districts.to_crs(EQUAL_AREA_CRS).geometry.values
    simplified = region.simplified.to_crs(EQUAL_AREA_CRS).geometry.values
    assert shapely.hausdorff_distance(original, simplified, densify=0.25).max() <= 500


@pytest.mark.parametrize("name", ["combined", "taliban", "is", "imu"])
def test_map_in_cdn_mode_is_under_200_kb(control_data, name):
    html = map_html(interactive_map(control_data, name))
    assert len(html.encode()) <= 200_000
    assert "jquery" not in html.lower() and "bootstrap" not in html.lower()


def test_district_shapes_are_written_once_however_many_layers_show_them(control_data):
    html = map_html(interactive_map(control_data, "combined"))
    assert len(re.findall(r"var shared_districts_\d+ = ", html)) == 1  # one topology for every layer
    assert len(districts(html)["geometries"]) == len(control_data.districts)
    # every district, the strongest status, one layer per group with a record, the hatching
    assert html.count(".add(district_layer_") == 1 + 1 + 3 + 1


def test_html_is_reproducible(control_data):
    assert map_html(interactive_map(control_data, "combined")) == map_html(interactive_map(control_data, "combined"))


def test_self_contained_html_loads_nothing_from_the_network(control_data):
    html = map_html(interactive_map(control_data, "imu"), self_contained=True)
    assert not re.search(r"""<(script|link|img)\b[^>]*\b(src|href)=["']?https?://""", html)
    assert "L.map(" in html and "leaflet-container" in html


def test_hostile_text_never_becomes_markup(tmp_path, real_boundaries):
    from districtcontrol.geo import load_control

    table = tmp_path / "hostile.csv"
    note = HOSTILE.replace('"', '""')
    table.write_text(
        f'group,province,district,status,date,source,note\ntaliban,Kunduz,Khanabad,captured,,"{note}","{note}"\n',
        encoding="utf-8",
    )
    data = load_control(table, real_boundaries)
    html = map_html(interactive_map(data, "taliban"))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "</script><img" not in html


def test_template_syntax_in_a_note_is_not_evaluated(tmp_path, real_boundaries):
    from districtcontrol.geo import load_control

    table = tmp_path / "tpl.csv"
    table.write_text(
        'group,province,district,status,date,source,note\ntaliban,Faryab,Almar,captured,,"{{ 7*7 }}","A {{ 7*7 }} {% if 1 %}B{% endif %}"\n',
        encoding="utf-8",
    )
    html = map_html(interactive_map(load_control(table, real_boundaries), "combined"))
    assert "A 49" not in html and "endnote 49" not in html
    assert "&#123;&#123; 7*7 &#125;&#125;" in html.replace("\\u0026", "&")


def test_build_writes_every_output(tmp_path, control_data):
    formats = ("html", "png", "geojson")
    written = build(control_data, tmp_path, formats, embed=True)
    assert sorted(p.name for p in written) == sorted(planned_outputs(control_data, formats, embed=True))
    png = (tmp_path / "combined.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"pHYs" in png  # resolution recorded (300 dpi)
    index = (tmp_path / "index.html").read_text()
    for name in ("combined", "taliban", "is", "imu"):
        assert f'src="{name}.html"' in index
    assert "AGCHO / UN OCHA COD-AB" in index
    assert '<iframe src="imu.html"' in (tmp_path / "imu.embed.html").read_text()


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_static_outputs_are_reproducible(tmp_path, control_data, fmt):
    from districtcontrol.maps import save_figure, static_map

    first = save_figure(static_map(control_data, "is"), tmp_path / f"a.{fmt}").read_bytes()
    second = save_figure(static_map(control_data, "is"), tmp_path / f"b.{fmt}").read_bytes()
    assert first == second


def test_a_png_holds_the_drawn_pixels_at_300_dpi_and_nothing_else(tmp_path, control_data):
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    from districtcontrol.maps import save_figure, static_map

    path = save_figure(static_map(control_data, "taliban"), tmp_path / "taliban.png")
    fig = static_map(control_data, "taliban")  # a new figure: a figure drawn twice may differ in a few pixels
    fig.set_dpi(300)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    drawn = np.asarray(canvas.buffer_rgba())
    with Image.open(path) as png:
        png.load()  # checks every chunk's CRC and the compressed stream
        assert (png.format, png.mode, png.size) == ("PNG", "RGB", (drawn.shape[1], drawn.shape[0]))
        assert png.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        assert set(png.info) == {"dpi"}  # no time, software or other text in the file
        assert np.array_equal(np.asarray(png), drawn[..., :3])
    assert (drawn[..., 3] == 255).all()  # the figure is opaque: dropping alpha loses nothing


def test_failed_build_leaves_earlier_outputs_and_other_files_alone(tmp_path, control_data, monkeypatch):
    import districtcontrol.maps.static as static

    build(control_data, tmp_path, ("html",))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    (tmp_path / "notes.txt").write_text("mine")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(static, "save_figure", broken)
    with pytest.raises(RuntimeError):
        build(control_data, tmp_path, ("html", "png"))
    after = {p.name for p in tmp_path.iterdir()}
    assert after == set(before) | {"notes.txt"}  # no half-written or temporary file
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert all((tmp_path / name).read_bytes() == data for name, data in before.items())


def test_parallel_build_writes_the_same_bytes_as_a_single_process(tmp_path, control_data):
    formats = ("html", "png", "svg", "geojson")
    one = build(control_data, tmp_path / "one", formats, jobs=1)
    two = build(control_data, tmp_path / "two", formats, jobs=2)
    assert [p.name for p in one] == [p.name for p in two] == planned_outputs(control_data, formats)
    for a, b in zip(one, two):
        assert a.read_bytes() == b.read_bytes(), a.name


@pytest.mark.parametrize(
    "formats, expected",
    [("html,png,svg,geojson", {"combined.html", "combined.png", "combined.svg"}), ("html", {"combined.html"})],
)
def test_workers_started_before_loading_write_the_same_bytes_as_a_single_process(
    tmp_path, real_boundaries, formats, expected
):
    """The build command starts its workers first; they receive the region by file, precision grids and all."""
    from click.testing import CliRunner

    from districtcontrol.cli import main

    written = {}
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        args = ["build", "--out", str(out), "--boundaries", str(real_boundaries), "--region", "Kunduz,Baghlan"]
        result = CliRunner().invoke(main, [*args, "--format", formats, "--jobs", jobs])
        assert result.exit_code == 0, result.output
        written[jobs] = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
    assert written["1"].keys() == written["2"].keys() >= expected | {"index.html", "summary.csv"}
    assert [name for name in written["1"] if written["1"][name] != written["2"][name]] == []


def test_an_html_build_forks_one_worker_and_a_print_build_one_per_job():
    """HTML maps are one task (each process writing a first map pays for importing folium)."""
    from districtcontrol.maps._workers import default_jobs, worker_count

    assert [worker_count(jobs, ("html",)) for jobs in (1, 2, 4)] == [0, 1, 1]
    assert [worker_count(jobs, ("html", "png")) for jobs in (1, 2, 4)] == [0, 2, 4]
    assert worker_count(0, ("svg",)) == (default_jobs() if default_jobs() > 1 else 0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_yield_the_cores_to_the_process_that_loads_the_region():
    """Until the region is loaded nothing can be drawn: the workers' imports must not slow the loading."""
    from districtcontrol.maps._workers import RenderWorkers

    if os.nice(0) >= 19:
        pytest.skip("this process already runs at the lowest priority")
    with RenderWorkers(2, ("png",)) as workers:
        niceness = {workers.pool.submit(os.nice, 0).result() for _ in range(4)}
    assert min(niceness) > os.nice(0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_leave_their_libraries_and_the_region_out_of_garbage_collection(region, tmp_path):
    """Else each collection scans them again (0.2-0.3 s a worker) and touches every page a worker shares."""
    from districtcontrol.maps._workers import RenderWorkers

    with RenderWorkers(2, ("png",)) as workers:
        started = workers.pool.submit(gc.get_freeze_count).result()
        with workers.executor(region, tmp_path) as pool:
            holding_the_region = [pool.submit(gc.get_freeze_count).result() for _ in range(4)]
    assert started > 10_000  # matplotlib's objects and those forked from this process
    assert min(holding_the_region) > started + 1_000


@pytest.mark.parametrize("workers", [False, True], ids=["in-process", "render-workers"])
def test_a_build_leaves_the_callers_objects_collectable_and_its_own_freeze_alone(control_data, tmp_path, workers):
    """In a notebook, build after build: nothing may stay out of garbage collection once a build returns."""
    from districtcontrol.maps._workers import RenderWorkers

    if gc.get_freeze_count():
        pytest.skip("something in this process froze objects already")
    with RenderWorkers(2 if workers else 1, ("html",)) as pool:
        build(control_data, tmp_path / "first", ("html",), workers=pool)
    assert gc.get_freeze_count() == 0
    gc.freeze()  # the caller's own
    try:
        frozen = gc.get_freeze_count()
        build(control_data, tmp_path / "second", ("html",), jobs=2 if workers else 1)
        assert 0.9 * frozen < gc.get_freeze_count() <= frozen  # some of the caller's may have been freed
    finally:
        gc.unfreeze()


def test_failure_in_a_worker_reaches_the_caller_and_writes_no_half_file(tmp_path, control_data, monkeypatch):
    import districtcontrol.maps.static as static
    from districtcontrol import DistrictControlError

    def broken(*args, **kwargs):
        raise DistrictControlError("cannot draw", "some.csv", 7)

    monkeypatch.setattr(static, "static_map", broken)  # the forked workers inherit the patch
    with pytest.raises(DistrictControlError) as caught:
        build(control_data, tmp_path, ("html", "png"), jobs=2)
    assert (caught.value.path, caught.value.line, str(caught.value)) == ("some.csv", 7, "some.csv:7: cannot draw")
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".png" or p.name.startswith(".")]


def test_static_labels_never_overlap_and_every_map_shows_its_districts(region):
    from districtcontrol.maps import static
    from districtcontrol.maps._view import labelled, map_names

    layout = static.label_layout(region)
    fig = static.static_map(region.with_labels(layout), "combined")
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    names = {lb.text for lb in layout}
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text() in names]
    assert len(boxes) == len(layout)  # the combined map draws every placed label
    assert not [(i, j) for i in range(len(boxes)) for j in range(i) if boxes[i].overlaps(boxes[j])]
    placed = {lb.pcode for lb in layout}
    for name in map_names(region):
        assert {row["pcode"] for row in region.rows if labelled(row, name, region.legend)} <= placed


def test_hostile_boundary_names_stay_text_in_html_and_images(tmp_path):
    """Names from a boundary file reach labels, tooltips and images as text, never markup or mathtext."""
    import geopandas as gpd
    from shapely.geometry import box

    from districtcontrol.geo import load_control

    evil = "<svg onload=alert(1)>$x^{2$ \\ `${x}`"
    frame = gpd.GeoDataFrame(
        {"NAME": [evil, "Plain"], "PROV": ["Kunduz", "Kunduz"], "CODE": ["E1", "E2"]},
        geometry=[box(68, 36, 69, 37), box(69, 36, 70, 37)],
        crs=4326,
    )
    frame.to_file(tmp_path / "evil.geojson")
    table = tmp_path / "t.csv"
    table.write_text(
        f'group,province,district,status,date,source,note\ntaliban,Kunduz,"{evil}",captured,,,\n', encoding="utf-8"
    )
    data = load_control(
        table, tmp_path / "evil.geojson", "all", name_field="NAME", province_field="PROV", pcode_field="CODE"
    )
    written = build(data, tmp_path / "out", ("html", "png"))
    html = (tmp_path / "out" / "combined.html").read_text()
    assert "<svg onload" not in html
    assert "&lt;svg onload=alert(1)&gt;" in html or "\\u0026lt;svg onload" in html
    assert (tmp_path / "out" / "combined.png").stat().st_size > 10_000
    assert len(written) == len(planned_outputs(data, ("html", "png")))


@pytest.mark.parametrize(
    "text",
    [
        "0123456789abcdef0123456789abcdef",  # 32 hex digits, the shape of folium's random ids
        "f47ac10b-58cc-4372-a567-0e02b2c3d479",
        "geo_json_0123456789abcdef0123456789abcdef",
        "map_0002 district_layer_0004 r0001",
    ],
)
def test_user_text_that_looks_like_an_element_id_is_kept_exactly(tmp_path, real_boundaries, text):
    from districtcontrol.geo import load_control

    table = tmp_path / "ids.csv"
    table.write_text(f"group,province,district,status,date,source,note\nis,Kunduz,Khanabad,present,,{text},{text}\n")
    data = load_control(table, real_boundaries, "Kunduz")
    html = map_html(interactive_map(data, "is", subtitle=f"Source {text}"))
    assert html.count(text) >= 3  # the popup's note and source, and the source line under the title


def test_maps_credit_the_boundary_file_in_use(tmp_path):
    """Another boundary file is never credited to AGCHO; its name is given, with 'unknown source'."""
    import geopandas as gpd
    from shapely.geometry import box

    from districtcontrol.geo import load_control

    frame = gpd.GeoDataFrame(
        {"NAME": ["Alpha", "Beta"], "PROV": ["Kunduz", "Kunduz"], "CODE": ["E1", "E2"]},
        geometry=[box(68, 36, 69, 37), box(69, 36, 70, 37)],
        crs=4326,
    )
    frame.to_file(tmp_path / "mine.geojson")
    table = tmp_path / "t.csv"
    table.write_text("group,province,district,status\ntaliban,Kunduz,Alpha,captured\n", encoding="utf-8")
    data = load_control(
        table, tmp_path / "mine.geojson", "all", name_field="NAME", province_field="PROV", pcode_field="CODE"
    )
    html = map_html(interactive_map(data, "combined"))
    assert "AGCHO" not in html and "Boundaries: mine.geojson (unknown source)" in html


def test_a_map_rendered_again_compiles_no_template_and_leaves_jinja_as_it_was(region, monkeypatch):
    """Templates are compiled once per process (most are the same on every map); other Jinja users see no cache."""
    import jinja2
    from branca.element import Element

    first = map_html(interactive_map(region, "combined"))
    compiled = []
    real = jinja2.Environment.from_string
    monkeypatch.setattr(
        jinja2.Environment, "from_string", lambda env, *a, **k: compiled.append(1) or real(env, *a, **k)
    )
    again = map_html(interactive_map(region, "combined"))
    assert again == first
    assert compiled == []
    assert "from_string" not in vars(Element._template.environment)
    jinja2.Template("{{ 1 }}")
    assert compiled == [1]
