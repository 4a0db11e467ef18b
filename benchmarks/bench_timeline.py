"""Benchmark: what a timeline adds to an HTML map, in bytes and time, and what the time figures cost.

Run from the repository root, with the boundary file available:

    DISTRICTCONTROL_BOUNDARIES=../shared/boundaries/afg_admbnda_adm2_agcho_20180522.zip \
        python benchmarks/bench_timeline.py

The table is the tests' synthetic series of the 2021 kind (tests/takeover.py: ~300 districts
of the boundary file, 40 dates, no third-party data), for the whole country. It is written two
ways: every observation (a row per district and date, so 40 distinct dates and 40 steps) and
only the changes. For each, the combined map and the group map are rendered with and without
the timeline (the same map, the time control switched off), and the script prints their sizes
(CDN mode), the ratio (target: at most 1.3) and the render times; then the time of the
small multiples (6 panels) and of the chart of change.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main() -> None:
    from _common import boundaries as boundary_file
    from takeover import US_DATES, control_table, takeover_series

    from districtcontrol.geo import load_control
    from districtcontrol.geo._time import time_steps
    from districtcontrol.maps import interactive_map, map_html, prepare_region
    from districtcontrol.maps._time_figures import changes_figure, timeline_figure

    boundaries = Path(boundary_file())
    legend_text = '[groups.taliban]\nlabel = "Taliban"\n[statuses.captured]\nlabel = "Held by the Taliban"\nrank = 3\n'
    with tempfile.TemporaryDirectory() as tmp:
        legend = Path(tmp) / "legend.toml"
        legend.write_text(legend_text, encoding="utf-8")
        series = takeover_series(boundaries)
        for every_date in (True, False):
            table = control_table(series, Path(tmp) / "series.csv", every_date=every_date)
            data = load_control(table, boundaries, "all", legend=legend, date_format=US_DATES, population=False)
            region = prepare_region(data)
            steps = time_steps(data)
            kind = "every observation" if every_date else "changes only"
            print(f"table of {kind}: {sum(1 for _ in open(table)) - 1} rows, {len(steps.periods)} steps")
            for name in ("combined", "taliban"):
                html, with_time = _timed(lambda n=name, r=region: map_html(interactive_map(r, n)))
                with mock.patch("districtcontrol.maps._timeline.add_timeline", lambda *a, **k: None):
                    plain, without_time = _timed(lambda n=name, r=region: map_html(interactive_map(r, n)))
                a, b = len(html.encode()), len(plain.encode())
                print(
                    f"  {name:9} {a / 1024:7.1f} KB with timeline, {b / 1024:7.1f} KB without: {a / b:.3f}x"
                    f"   render {with_time:.2f} s vs {without_time:.2f} s"
                )
        _, panels = _timed(lambda: timeline_figure(region))
        _, chart = _timed(lambda: changes_figure(region))
        print(f"small multiples (6 panels, whole country): {panels:.2f} s; chart of change: {chart:.2f} s")


if __name__ == "__main__":
    main()
