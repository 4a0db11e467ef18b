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
    function entryText(e, figures) { return data.entries[e][0] + " \u2014 " + figures; }
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
        play.textContent = on ? "\u275a\u275a" : "\u25b6";
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
