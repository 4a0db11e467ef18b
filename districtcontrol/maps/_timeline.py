"""The time control of an HTML map: a slider through the region's dates that recolours the districts.

:func:`add_timeline` is called by :func:`districtcontrol.maps.interactive.interactive_map`
for every map; it adds nothing when the region has no timeline (fewer than two distinct
dates, or undated rows: :func:`districtcontrol.geo._time.no_timeline_reason`), so such maps
are unchanged to the byte.

Each district layer made by ``interactive._district_layer`` carries the two functions that
decide it (``fill_of(row)``, ``keep(row)``). Here they are run on each district's row as of
every step, which gives every district's *look* at each step: its fill (or hidden) in each
layer and its hover text per group. Distinct looks are written once; the page carries, per
step, only the districts whose look changes, and the legend's figures; each district's popup
ends with its changes over time. In the browser each
layer's ``options.style`` is replaced by one that reads the current step, so Leaflet's own
``resetStyle`` (also used on mouseout) draws the step; hover texts are the features'
properties, updated in place. Legend rows and the subtitle's date are found by their text.
"""

from __future__ import annotations

from branca.element import MacroElement

from districtcontrol.maps import _view, _web
from districtcontrol.maps._hatch import swatch_css

HIDDEN = -1
PLAY_INTERVAL_MS = 700
UNIT_NOTES = {
    "date": "{n} dates",
    "week": "{n} weeks (the last date of each)",
    "month": "{n} months (the last date of each)",
    "year": "{n} years (the last date of each)",
}


class Timeline(MacroElement):
    """The time control of a map: ``payload`` (see :func:`timeline_payload`) and the layers it restyles."""

    def __init__(self, payload: dict, layers: list):
        super().__init__()
        self._name = "Timeline"
        self.payload, self.layers = payload, layers

    def render(self, **kwargs):
        """Write the script as it is (never through a template) after the layers it restyles."""
        from districtcontrol.maps._elements import Raw, script_json

        values = {
            "DATA": script_json(self.payload),
            "LAYERS": "[" + ",".join(layer.get_name() for layer in self.layers) + "]",
            "MAP": self._parent.get_name(),
        }
        script = "\n" + _web.fill(_web.text("timeline.js"), values)
        root = self.get_root()
        root.header.add_child(Raw(_web.style("timeline.css")), name="dc_timeline_css")
        root.script.add_child(Raw(script), name=self.get_name())


def add_timeline(m, region, name: str, captions: _view.Captions | None = None) -> None:
    """Give map ``m`` (map ``name`` of a prepared region) a time control, when the region has a timeline."""
    from districtcontrol.geo._time import time_steps

    steps = time_steps(region.data)
    if steps is None:
        return
    layers = [layer for layer in _district_layers(m) if hasattr(layer, "fill_of")]
    payload = timeline_payload(region, name, steps, layers)
    _popups_with_changes(m, region, name)
    Timeline(payload, layers).add_to(m)


def _district_layers(element, kind=None):
    from districtcontrol.maps._folium import DistrictLayer

    for child in element._children.values():
        if isinstance(child, kind or DistrictLayer):
            yield child
        yield from _district_layers(child, kind)


def _popups_with_changes(m, region, name: str) -> None:
    """Each district's popup ends with its changes of status over time, at every date (escaped)."""
    from districtcontrol.geo._time import changes, period, time_steps
    from districtcontrol.maps._elements import SharedDistricts
    from districtcontrol.maps._popups import esc

    legend, groups = region.legend, _view.map_groups(name, region.legend)
    lines: dict[str, dict[str, list[str]]] = {}
    for change in changes(time_steps(region.data, max_steps=None)):
        if change.group in groups:
            text = f"{esc(legend.status_label(change.status))} from {esc(period(change.date).words)}"
            lines.setdefault(change.pcode, {}).setdefault(change.group, []).append(text)
    for shared in _district_layers(m, SharedDistricts):
        for district in shared.topology["objects"]["districts"]["geometries"]:
            mine = lines.get(district["id"])
            if mine:
                told = "<br>".join(f"{esc(legend.group_label(g))}: {'; '.join(t)}" for g, t in mine.items())
                district["properties"]["popup"] += f'<p class="dc-changes"><b>Over time</b><br>{told}</p>'


def rows_at(region, steps, step: int, population=None) -> list[dict]:
    """The region's district rows with each group's status as of step ``step`` of ``steps``, and with
    ``population`` (people per P-code, e.g. that step's estimate year) when given."""
    groups = region.legend.group_keys
    people = {} if population is None else {"population": None}
    return [
        {**row, **{g: steps.status(step, row["pcode"], g) for g in groups}, **_people(people, population, row["pcode"])}
        for row in region.rows
    ]


def _people(empty: dict, population, pcode: str) -> dict:
    if not empty:
        return empty
    import pandas as pd

    value = population.get(pcode)
    return {"population": None if pd.isna(value) else int(value)}


def timeline_payload(region, name: str, steps, layers: list) -> dict:
    """What the page needs to redraw map ``name`` at every step, changes only; extends ``layers`` to
    every district they show at some step."""
    from districtcontrol.maps._popups import tooltip_properties

    legend = region.legend
    groups = list(_view.map_groups(name, legend))
    colours, labels, entries, states = _Index(), _Index(), _Index(), _Index()
    looks: dict[tuple, int] = {}

    def look(row) -> int:
        """The number of a district's look; it depends on the group statuses only, so it is computed once per set of them."""
        key = tuple(row[g] for g in legend.group_keys)
        if key not in looks:
            fills = tuple(
                colours.add(layer.fill_of(row)) if layer.keep is None or layer.keep(row) else HIDDEN for layer in layers
            )
            texts = tooltip_properties(row, name, legend)
            looks[key] = states.add(fills + tuple(labels.add(texts[g]) for g in groups))
        return looks[key]

    look({**region.rows[0], **dict.fromkeys(legend.group_keys)})  # look 0: no status at all
    people = _step_population(region.data, steps)
    per_step = []
    for k in range(len(steps.periods)):
        rows = rows_at(region, steps, k, people[k][0])
        per_step.append(([look(row) for row in rows], rows))
    _extend_layers(region, layers, [step_looks for step_looks, _ in per_step], states.items)
    pcodes = [row["pcode"] for row in region.rows]
    moving = [i for i in range(len(pcodes)) if any(step_looks[i] != 0 for step_looks, _ in per_step)]
    out_steps, before = [], [0] * len(pcodes)
    for period, (step_looks, rows), (_, use) in zip(steps.periods, per_step, people):
        changed = [x for j, i in enumerate(moving) if step_looks[i] != before[i] for x in (j, step_looks[i])]
        shown = _view.legend_entries(rows, name, legend)
        figures = [x for colour, label, text in shown for x in (entries.add((label, swatch_css(colour))), text)]
        out_steps.append({"w": period.words, "c": changed, "l": figures, **_year(use)})
        before = step_looks
    return {
        "ids": [pcodes[i] for i in moving],
        "states": [list(s) for s in states.items],
        "colours": colours.items,
        "labels": labels.items,
        "groups": groups,
        "entries": [list(e) for e in entries.items],
        "steps": out_steps,
        "when": region.data.when,
        "note": UNIT_NOTES[steps.unit].format(n=len(steps.periods)),
        "interval": PLAY_INTERVAL_MS,
    }


def _step_population(data, steps) -> list:
    """Per step: (people per P-code or None, the PopulationUse or None), each step's estimate year
    (:func:`districtcontrol.geo.over_time.population_on`); the last step shows what the map shows."""
    from districtcontrol.geo.over_time import population_on

    per_step = population_on(data, steps.days)
    if data.population is None:
        return per_step
    return [*per_step[:-1], (None, data.population)]


def _year(use) -> dict:
    """The people's estimate year of a step, as the time box says it."""
    return {"y": f"People: the estimates of solar year {use.year}"} if use is not None else {}


def _extend_layers(region, layers: list, looks_per_step: list[list[int]], states: list[tuple]) -> None:
    """Add to each layer the districts it shows at some step but not at the last, hidden at first."""
    pcodes = [row["pcode"] for row in region.rows]
    for li, layer in enumerate(layers):
        present = {f["id"] for f in layer.data["features"]}
        extra = [
            pc
            for i, pc in enumerate(pcodes)
            if pc not in present and any(states[looks[i]][li] != HIDDEN for looks in looks_per_step)
        ]
        if not extra or not present:
            continue
        shown_style = layer.style_function(layer.data["features"][0])
        hidden = {**shown_style, "fill": False, "stroke": False}
        kept_style = layer.style_function
        layer.add_districts(extra, lambda f, s=kept_style, ids=set(extra), h=hidden: h if f["id"] in ids else s(f))


class _Index:
    """Distinct values in order of first use, each with its number."""

    def __init__(self):
        self.items: list = []
        self._numbers: dict = {}

    def add(self, value) -> int:
        if value not in self._numbers:
            self._numbers[value] = len(self.items)
            self.items.append(value)
        return self._numbers[value]
