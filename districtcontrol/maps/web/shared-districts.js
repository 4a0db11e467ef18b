var NAME = (function (topology) {
    topology.arcs = topology.arcs.map(function (arc) { return polyline.toGeoJSON(arc, PRECISION).coordinates; });
    var object = topology.objects.districts, shapes = {};
    topojson.feature(topology, object).features.forEach(function (f) { shapes[f.id] = f; });
    return {
        add: function (layer, ids) {
            layer.addData(ids.map(function (id) { return shapes[id]; }));
        },
        lines: function (ids) { return ids.map(function (i) { return topology.arcs[i]; }); },
        mesh: function (layer) {
            layer.addData({type: "Feature", properties: {}, geometry: topojson.mesh(topology, object, function (a, b) {
                return a === b || a.properties.p !== b.properties.p;
            })});
        }
    };
})(TOPOLOGY);
