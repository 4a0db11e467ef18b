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

from districtcontrol.maps import _view

HIDDEN = -1
PLAY_INTERVAL_MS = 700
UNIT_NOTES = {
    "date": "{n} dates",
    "week": "{n} weeks (the last date of each)",
    "month": "{n} months (the last date of each)",
    "year": "{n} years (the last date of each)",
}
TIMELINE_CSS = """
<style>
.dc-time { background: rgba(255,255,255,0.94); padding: 6px 10px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3);
  width: min(340px, calc(56vw - 30px)); margin-bottom: 44px !important; font-size: 12px; }
.dc-time-row { display: flex; align-items: center; gap: 8px; }
.dc-time-play { min-width: 40px; height: 34px; font-size: 15px; cursor: pointer; border: 1px solid #777; border-radius: 4px;
  background: #fff; color: #111; }
.dc-time-slider { flex: 1; min-width: 0; height: 30px; margin: 0; accent-color: #333; cursor: pointer; }
.dc-time-date { font-weight: 600; font-size: 14px; margin-right: 8px; }
.dc-time-note { color: #444; }
.dc-time button:focus-visible, .dc-time input:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
</style>
"""
TIMELINE_JS = """
(function (data, layers, map) {
    var ids = data.ids, n = ids.length, nl = layers.length, states = data.states, last = data.steps.length - 1;
    var index = {}, features = {}, paths = layers.map(function () { return {}; });
    ids.forEach(function (id, i) { index[id] = i; });
    var table = [], now = ids.map(function () { return 0; });
    data.steps.forEach(function (step) {
        for (var k = 0; k < step.c.length; k += 2) { now[step.c[k]] = step.c[k + 1]; }
        table.push(now.slice());
    });
    var at = last, shown = table[last];
    layers.forEach(function (layer, li) {
        var original = layer.options.style;
        layer.eachLayer(function (p) { paths[li][p.feature.id] = p; features[p.feature.id] = p.feature; });
        layer.options.style = function (f) {
            var s = Object.assign({}, original(f)), i = index[f.id];
            var c = states[i === undefined ? 0 : shown[i]][li];
            if (c < 0) { s.fill = false; s.stroke = false; } else { s.fill = true; s.stroke = true; s.fillColor = data.colours[c]; }
            return s;
        };
    });
    function setText(el, text) {
        var nodes = Array.prototype.filter.call(el.childNodes, function (x) { return x.nodeType === 3; });
        if (nodes.length) { nodes[nodes.length - 1].nodeValue = text; } else { el.appendChild(document.createTextNode(text)); }
    }
    var legend = document.querySelector(".dc-legend"), rows = [];
    function entryText(e, figures) { return data.entries[e][0] + " \\u2014 " + figures; }
    if (legend) {
        var final = data.steps[last].l, found = {}, divs = legend.querySelectorAll("div"), lastRow = null;
        for (var k = 0; k < final.length; k += 2) {
            var want = entryText(final[k], final[k + 1]);
            Array.prototype.forEach.call(divs, function (d) { if (d.textContent.trim() === want) { found[final[k]] = d; lastRow = d; } });
        }
        if (lastRow) {
            var template = lastRow, anchor = lastRow.nextSibling, parent = lastRow.parentNode;
            data.entries.forEach(function (entry, e) {
                var row = found[e];
                if (!row) {
                    row = template.cloneNode(true);
                    var swatch = row.querySelector("i");
                    if (swatch) { swatch.style.cssText = entry[1]; }
                }
                parent.insertBefore(row, anchor);
                rows.push(row);
            });
        }
    }
    var subtitle = null, before = "", after = "", capital = false;
    Array.prototype.forEach.call(document.querySelectorAll(".dc-title p"), function (p) {
        var text = p.textContent, words = data.when, i = text.indexOf(words);
        if (i < 0) { words = words.charAt(0).toUpperCase() + words.slice(1); i = text.indexOf(words); capital = i === 0; }
        if (i >= 0 && !subtitle) { subtitle = p; before = text.slice(0, i); after = text.slice(i + words.length); }
    });
    var Control = L.Control.extend({options: {position: "bottomright"}, onAdd: function () { return box; }});
    var box = L.DomUtil.create("div", "dc-time");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Timeline: districts by status on each date");
    var row1 = L.DomUtil.create("div", "dc-time-row", box), row2 = L.DomUtil.create("div", "dc-time-row", box);
    var play = L.DomUtil.create("button", "dc-time-play", row1);
    play.type = "button";
    var slider = L.DomUtil.create("input", "dc-time-slider", row1);
    slider.type = "range"; slider.min = 0; slider.max = last; slider.step = 1;
    slider.setAttribute("aria-label", "Date shown");
    var label = L.DomUtil.create("output", "dc-time-date", row2);
    label.setAttribute("aria-live", "polite");
    L.DomUtil.create("span", "dc-time-note", row2).textContent = data.note;
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    L.DomEvent.on(box, "keydown", L.DomEvent.stopPropagation);
    function go(k) {
        k = Math.max(0, Math.min(last, k | 0));
        var next = table[k], changed = [];
        for (var i = 0; i < n; i++) { if (next[i] !== shown[i]) { changed.push(i); } }
        at = k; shown = next;
        changed.forEach(function (i) {
            layers.forEach(function (layer, li) { var p = paths[li][ids[i]]; if (p) { layer.resetStyle(p); } });
            var f = features[ids[i]], state = states[shown[i]];
            if (f) { data.groups.forEach(function (g, gi) { f.properties[g] = data.labels[state[nl + gi]]; }); }
        });
        var l = data.steps[k].l, figures = {};
        for (var j = 0; j < l.length; j += 2) { figures[l[j]] = l[j + 1]; }
        rows.forEach(function (row, e) {
            if (e in figures) { setText(row, entryText(e, figures[e])); row.style.display = ""; } else { row.style.display = "none"; }
        });
        var words = data.steps[k].w, when = "as of " + words;
        if (subtitle) { subtitle.textContent = before + (capital ? "A" + when.slice(1) : when) + after; }
        slider.value = k;
        slider.setAttribute("aria-valuetext", words);
        label.textContent = words;
    }
    var timer = null;
    function playing(on) {
        if (timer) { clearInterval(timer); timer = null; }
        if (on) {
            if (at >= last) { go(0); }
            timer = setInterval(function () { if (at >= last) { playing(false); } else { go(at + 1); } }, data.interval);
        }
        play.textContent = on ? "\\u275a\\u275a" : "\\u25b6";
        play.setAttribute("aria-label", on ? "Pause" : "Play through the dates");
        play.setAttribute("aria-pressed", on ? "true" : "false");
    }
    play.addEventListener("click", function () { playing(!timer); });
    slider.addEventListener("input", function () { playing(false); go(+slider.value); });
    slider.addEventListener("keydown", function (e) {
        if (e.key === " " || e.key === "Spacebar") { e.preventDefault(); playing(!timer); }
    });
    playing(false);
    slider.value = last;
    slider.setAttribute("aria-valuetext", data.steps[last].w);
    label.textContent = data.steps[last].w;
    new Control().addTo(map);
})(DATA, LAYERS, MAP);
"""


class Timeline(MacroElement):
    """The time control of a map: ``payload`` (see :func:`timeline_payload`) and the layers it restyles."""

    def __init__(self, payload: dict, layers: list):
        super().__init__()
        self._name = "Timeline"
        self.payload, self.layers = payload, layers

    def render(self, **kwargs):
        """Write the script as it is (never through a template) after the layers it restyles."""
        from districtcontrol.maps._elements import Raw, script_json

        script = (
            TIMELINE_JS.replace("DATA", script_json(self.payload))
            .replace("LAYERS", "[" + ",".join(layer.get_name() for layer in self.layers) + "]")
            .replace("MAP", self._parent.get_name())
        )
        root = self.get_root()
        root.header.add_child(Raw(TIMELINE_CSS), name="dc_timeline_css")
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


def rows_at(region, steps, step: int) -> list[dict]:
    """The region's district rows with each group's status as of step ``step`` of ``steps``."""
    groups = region.legend.group_keys
    return [{**row, **{g: steps.status(step, row["pcode"], g) for g in groups}} for row in region.rows]


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
    per_step = []
    for k in range(len(steps.periods)):
        rows = rows_at(region, steps, k)
        per_step.append(([look(row) for row in rows], rows))
    _extend_layers(region, layers, [step_looks for step_looks, _ in per_step], states.items)
    pcodes = [row["pcode"] for row in region.rows]
    moving = [i for i in range(len(pcodes)) if any(step_looks[i] != 0 for step_looks, _ in per_step)]
    out_steps, before = [], [0] * len(pcodes)
    for period, (step_looks, rows) in zip(steps.periods, per_step):
        changed = [x for j, i in enumerate(moving) if step_looks[i] != before[i] for x in (j, step_looks[i])]
        shown = _view.legend_entries(rows, name, legend)
        figures = [x for colour, label, text in shown for x in (entries.add((label, _swatch(colour))), text)]
        out_steps.append({"w": period.words, "c": changed, "l": figures})
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


def _swatch(colour: str) -> str:
    """The CSS of a legend row's colour square (as interactive._legend_rows draws it)."""
    from districtcontrol import _style
    from districtcontrol.maps.interactive import HATCH_ID

    if colour == "hatch":
        return (
            f"background: url(#{HATCH_ID}); background: repeating-linear-gradient(45deg, #fff 0 3px, "
            f"{_style.MULTI_GROUP_HATCH} 3px 5px);"
        )
    return f"background:{colour};"


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
