(function (data, shared, map, style) {
  var below = map.createPane("dc-context"), above = map.createPane("dc-border");
  below.style.zIndex = 350; above.style.zIndex = 450; above.style.pointerEvents = "none";
  var under = L.svg({pane: "dc-context"}), over = L.svg({pane: "dc-border"});
  var decode = function (s) { return polyline.toGeoJSON(s, data.decimals).coordinates; };
  var shapes = function (list) {
    return list.map(function (c) { return {type: "Feature", properties: {}, geometry: {type: "MultiPolygon",
      coordinates: c.map(function (p) { return p.map(decode); })}}; });
  };
  var plain = {renderer: under, interactive: false};
  L.geoJSON(shapes(data.countries), L.extend({style: style.countries}, plain)).addTo(map);
  L.geoJSON({type: "MultiLineString", coordinates: data.countryBorders.map(decode)}, L.extend({style: style.countryBorders}, plain)).addTo(map);
  L.geoJSON(shapes(data.rest), L.extend({style: style.rest}, plain)).addTo(map);
  var border = shared.lines(data.borderArcs).concat(data.borderLines.map(decode));
  L.geoJSON({type: "MultiLineString", coordinates: border},
    {renderer: over, interactive: false, style: style.border, className: "dc-border"}).addTo(map);
})(DATA, SHARED, MAP, STYLE);
