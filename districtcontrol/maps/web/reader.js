function dcReader(c) {
  var map = c.map, box = map.getContainer(), doc = document;
  var layers = c.layers.map(function (n) { return window[n]; }).filter(Boolean), base = layers[0];
  var bounds = L.latLngBounds(c.bounds), fitting = false, moved = false, fitZoom = null, toggled = {};
  var parser = new DOMParser();
  function text(html) { return parser.parseFromString("<!doctype html><body>" + (html || ""), "text/html").body.textContent; }
  function el(tag, cls, label) { var e = doc.createElement(tag); if (cls) e.className = cls; if (label) e.textContent = label; return e; }
  function control(node, position) {
    var C = L.Control.extend({onAdd: function () { L.DomEvent.disableClickPropagation(node); L.DomEvent.disableScrollPropagation(node); return node; }});
    new C({position: position}).addTo(map); return node;
  }
  function narrow() { return box.clientWidth < c.narrow || box.clientHeight < c.low; }

  // Collapsible boxes: a button opens and closes each; collapsed at first on narrow frames.
  function collapsible(node, label, key) {
    var button = el("button", "dc-toggle", label);
    button.type = "button"; button.setAttribute("aria-expanded", "true");
    node.insertBefore(button, node.firstChild);
    L.DomEvent.on(button, "click", function (e) { L.DomEvent.stop(e); toggled[key] = true; setOpen(node, node.classList.contains("dc-collapsed")); });
    node.dcKey = key; return node;
  }
  function setOpen(node, open) {
    node.classList.toggle("dc-collapsed", !open);
    node.querySelector(".dc-toggle").setAttribute("aria-expanded", String(open));
  }
  var boxes = [];
  var legend = doc.getElementById("dc-legend"), credit = doc.getElementById("dc-attribution"), title = doc.getElementById("dc-title");
  if (legend) boxes.push(control(collapsible(legend, "Legend", "legend"), "bottomright"));
  if (credit) boxes.push(control(collapsible(credit, "Sources", "sources"), "bottomleft"));
  var layerBox = box.querySelector(".leaflet-control-layers");
  if (layerBox) boxes.push(collapsible(layerBox, "Layers", "layers"));
  var tools = control(el("div", "leaflet-bar dc-tools"), "topright");
  boxes.push(tools);
  function applyCollapse() {
    boxes.forEach(function (b) { if (b.dcKey && !toggled[b.dcKey]) setOpen(b, !narrow()); });
  }

  // The top corners' controls move below the title wherever the title spans them.
  function clearTitle() {
    var t = title ? title.getBoundingClientRect() : null, r = box.getBoundingClientRect();
    box.querySelectorAll(".leaflet-top").forEach(function (corner) {
      corner.style.top = "";
      var k = corner.getBoundingClientRect();
      if (t && k.left < t.right && t.left < k.right && k.top < t.bottom) corner.style.top = (t.bottom - r.top) + "px";
    });
  }

  // Fit: the region as large as the frame allows, clear of the title and of every box.
  function rect(e) {
    var r = e.getBoundingClientRect(), o = box.getBoundingClientRect();
    return {l: r.left - o.left, t: r.top - o.top, r: r.right - o.left, b: r.bottom - o.top};
  }
  function hits(a, b) { return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b; }
  function recordedRects() {
    var out = [];
    base.eachLayer(function (l) {
      if (c.recorded.indexOf(l.feature.id) < 0) return;
      var b = l.getBounds(), p = map.latLngToContainerPoint(b.getNorthWest()), q = map.latLngToContainerPoint(b.getSouthEast());
      out.push({l: p.x, t: p.y, r: q.x, b: q.y});
    });
    return out;
  }
  function blockers() {
    var list = boxes.concat(title ? [title] : []).filter(function (b) { return b.offsetWidth; });
    return list.map(rect);
  }
  function overlaps() {
    var ds = recordedRects(), n = 0;
    blockers().forEach(function (b) { ds.forEach(function (d) { if (hits(b, d)) n++; }); });
    return n;
  }
  function fitWith(pad) {
    map.fitBounds(bounds, {paddingTopLeft: [pad.l, pad.t], paddingBottomRight: [pad.r, pad.b], animate: false});
  }
  function fit() {
    fitting = true;
    var size = map.getSize(), top = title ? rect(title).b + 6 : 8;
    var pad = {l: 8, t: top, r: 8, b: 24};
    fitWith(pad);
    for (var i = 0; i < 6 && overlaps(); i++) {
      var best = null;
      blockers().forEach(function (b) {
        var options = [b.l < size.x / 2 ? ["l", b.r + 6] : ["r", size.x - b.l + 6], b.t < size.y / 2 ? ["t", b.b + 6] : ["b", size.y - b.t + 6]];
        options.forEach(function (o) {
          var trial = L.extend({}, pad); trial[o[0]] = o[1];
          if (pad[o[0]] >= o[1] || size.x - trial.l - trial.r < size.x / 3 || size.y - trial.t - trial.b < size.y / 3) return;
          fitWith(trial);
          var score = [overlaps(), -map.getZoom()];
          if (!best || score[0] < best.score[0] || (score[0] === best.score[0] && score[1] < best.score[1])) best = {pad: trial, score: score};
        });
      });
      if (!best) break;
      pad = best.pad; fitWith(pad);
    }
    if (fills() < 0.8 && boxes.some(function (b) { return b.dcKey && !toggled[b.dcKey] && !b.classList.contains("dc-collapsed"); })) {
      boxes.forEach(function (b) { if (b.dcKey && !toggled[b.dcKey]) setOpen(b, false); });
      return fit();  // the open boxes leave the region too little room: fold them and fit again
    }
    fitZoom = map.getZoom(); fitting = false; layoutLabels();
  }
  function fills() {
    var size = map.getSize(), p = map.latLngToContainerPoint(bounds.getNorthWest()), q = map.latLngToContainerPoint(bounds.getSouthEast());
    return Math.max((q.x - p.x) / size.x, (q.y - p.y) / size.y);
  }

  // Labels: after every zoom, hide any label whose box overlaps one placed before it (districts
  // with a record first, then provinces, countries, the other districts once zoomed in).
  var labels = (window[c.labels] || []).map(function (m) { return {marker: m, priority: m.options.dcPriority}; });
  function layoutLabels() {
    var placed = [], size = map.getSize(), zoom = map.getZoom();
    labels.forEach(function (l) {
      var node = l.marker.getElement() && l.marker.getElement().firstChild;
      if (!node) return;
      var show = !(l.priority >= 3 && fitZoom !== null && zoom < fitZoom + 0.9);
      node.style.visibility = "hidden"; node.style.display = show ? "" : "none";
      if (!show) return;
      var p = map.latLngToContainerPoint(l.marker.getLatLng()), w = node.offsetWidth, h = node.offsetHeight;
      var r = {l: p.x - w / 2 - 2, t: p.y - h / 2 - 1, r: p.x + w / 2 + 2, b: p.y + h / 2 + 1};
      var inside = r.r > 0 && r.l < size.x && r.b > 0 && r.t < size.y;
      var free = inside && !placed.some(function (q) { return hits(q, r); });
      node.style.display = free ? "" : "none"; node.style.visibility = "";
      if (free) placed.push(r);
    });
  }
  map.on("zoomend", function () { if (!fitting) layoutLabels(); });
  map.on("dragstart", function () { moved = true; });
  map.on("zoomstart", function () { if (!fitting) moved = true; });
  map.on("resize", function () { applyCollapse(); clearTitle(); if (!moved) fit(); else layoutLabels(); });

  // Districts: reachable by keyboard (Enter opens the popup), named for screen readers.
  var index = [];
  base.eachLayer(function (l) {
    var p = l.feature.properties, e = l.getElement && l.getElement();
    var entry = {id: l.feature.id, name: text(p.district), dari: text(p.dari), province: text(p.province)};
    index.push(entry);
    if (!e) return;
    var states = c.groups.map(function (g) { return g[1] + ": " + text(p[g[0]]); }).join("; ");
    e.setAttribute("tabindex", "0"); e.setAttribute("role", "button");
    e.setAttribute("aria-label", entry.name + " (" + entry.province + "). " + states);
    e.addEventListener("focus", function () { base._tooltip._source = l; base.openTooltip(l.getCenter()); });
    e.addEventListener("blur", function () { base.closeTooltip(); });
    e.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); openDistrict(entry.id, false); }
    });
  });
  // Touch: the first tap on a district shows its tooltip, a second tap its popup (not both at once).
  if (window.matchMedia && window.matchMedia("(pointer: coarse)").matches) {
    var tapped = null;
    layers.forEach(function (g) {
      if (!g._popup) return;
      g.off("click", g._openPopup, g);
      g.on("click", function (e) {
        if (tapped === e.layer) { g.closeTooltip(); g._popup._source = e.layer; g.openPopup(e.latlng); tapped = null; }
        else tapped = e.layer;
      });
    });
  }
  // A tooltip wider than the room beside the finger moves back onto the screen.
  map.on("tooltipopen", function (e) {
    var node = e.tooltip.getElement(); if (!node) return;
    node.style.marginLeft = "";
    var r = rect(node), w = box.clientWidth, shift = r.l < 4 ? 4 - r.l : (r.r > w - 4 ? w - 4 - r.r : 0);
    if (shift) node.style.marginLeft = (parseFloat(getComputedStyle(node).marginLeft) || 0) + shift + "px";
  });
  function layerOf(id) {
    var found = null;
    layers.forEach(function (g) { if (map.hasLayer(g)) g.eachLayer(function (l) { if (l.feature && l.feature.id === id) found = [g, l]; }); });
    return found;
  }
  function openDistrict(id, zoom) {
    var f = layerOf(id); if (!f) return;
    if (zoom) { moved = true; map.fitBounds(f[1].getBounds(), {maxZoom: Math.max(map.getZoom(), 8), animate: false}); }
    f[0]._popup._source = f[1]; f[0].openPopup(f[1].getCenter());
  }

  // Search: Latin or Dari name; the first match on Enter, any match by click.
  function fold(s) {
    return (s || "").normalize("NFD").replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, "").toLowerCase()
      .replace(/[\u064a\u0649]/g, "\u06cc").replace(/\u0643/g, "\u06a9").replace(/[\u0623\u0625\u0622]/g, "\u0627")
      .replace(/[\s\-'\u2019`]/g, "");
  }
  index.forEach(function (d) { d.key = fold(d.name) + "|" + fold(d.dari); });
  var find = el("div", "dc-search"), input = el("input"), list = el("ul", "dc-results");
  input.type = "search"; input.placeholder = "Find a district"; input.setAttribute("aria-label", "Find a district (Latin or Dari name)");
  list.setAttribute("role", "listbox");
  find.appendChild(input); find.appendChild(list); tools.appendChild(find);
  function matches() {
    var q = fold(input.value);
    return q ? index.filter(function (d) { return d.key.indexOf(q) >= 0; }).slice(0, 8) : [];
  }
  function choose(d) { list.textContent = ""; input.value = d.name; openDistrict(d.id, true); }
  input.addEventListener("input", function () {
    list.textContent = "";
    matches().forEach(function (d) {
      var item = el("li", null, d.name + " \u00b7 " + d.dari + " (" + d.province + ")");
      item.setAttribute("role", "option"); item.tabIndex = -1;
      item.addEventListener("click", function () { choose(d); });
      list.appendChild(item);
    });
  });
  input.addEventListener("keydown", function (e) { if (e.key === "Enter") { var m = matches(); if (m.length) choose(m[0]); } });

  // Fullscreen (where the page may use it) and the map's data as GeoJSON or CSV.
  function button(icon, title, action) {
    var b = el("button", "dc-tool"); b.type = "button"; b.title = title; b.setAttribute("aria-label", title);
    b.innerHTML = '<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="#222" stroke-width="1.8">' + icon + "</svg>";
    L.DomEvent.on(b, "click", function (e) { L.DomEvent.stop(e); action(); }); tools.appendChild(b); return b;
  }
  if (doc.fullscreenEnabled) {
    button('<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5"/>', "Full screen", function () {
      if (doc.fullscreenElement) doc.exitFullscreen(); else doc.documentElement.requestFullscreen();
    });
  }
  function rows() {
    var out = [];
    base.eachLayer(function (l) {
      var p = l.feature.properties, row = {pcode: l.feature.id};
      c.fields.forEach(function (f) { row[f[1]] = text(p[f[0]]); });
      row.records = text(p.popup);
      out.push({row: row, geometry: l.toGeoJSON(5).geometry});
    });
    return out;
  }
  function save(name, type, body) {
    var a = el("a"); a.href = URL.createObjectURL(new Blob([body], {type: type})); a.download = name;
    doc.body.appendChild(a); a.click(); setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }
  function csvCell(v) { v = v == null ? "" : String(v); return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; }
  var menu = el("div", "dc-menu");
  menu.hidden = true;
  var geo = el("button", "dc-tool dc-wide", "GeoJSON"), csv = el("button", "dc-tool dc-wide", "CSV");
  [geo, csv].forEach(function (b) { b.type = "button"; menu.appendChild(b); });
  L.DomEvent.on(geo, "click", function () {
    var fc = {type: "FeatureCollection", features: rows().map(function (r) { return {type: "Feature", id: r.row.pcode, properties: r.row, geometry: r.geometry}; })};
    save(c.file + ".geojson", "application/geo+json", JSON.stringify(fc));
  });
  L.DomEvent.on(csv, "click", function () {
    var all = rows(), head = Object.keys(all[0].row);
    var lines = [head.map(csvCell).join(",")].concat(all.map(function (r) { return head.map(function (k) { return csvCell(r.row[k]); }).join(","); }));
    save(c.file + ".csv", "text/csv", "\ufeff" + lines.join("\r\n") + "\r\n");
  });
  button('<path d="M8 1v10M3.5 6.5 8 11l4.5-4.5M2 15h12"/>', "Download the data", function () { menu.hidden = !menu.hidden; });
  tools.appendChild(menu);

  applyCollapse(); clearTitle(); fit();
  window.dcReaderState = {fit: fit, layoutLabels: layoutLabels, fitZoom: function () { return fitZoom; }};
}
