var NAME = (function (d) {
    var at = polyline.decode(d.points, 4);
    return d.texts.map(function (text, k) {
        var kind = d.kinds[d.kind[k]];
        return L.marker(at[k], {interactive: false, keyboard: false, dcPriority: kind[1], icon: L.divIcon({
            className: "dc-label-icon", iconSize: [0, 0], iconAnchor: [0, 0],
            html: '<div class="dc-label ' + kind[0] + '">' + text + "</div>"
        })}).addTo(MAP);
    });
})(DATA);
