var NAME = (function (data) {
    // Every arc's points in one polyline, cut by each arc's size; the texts rebuilt from their columns.
    function numbers(text) {  // a ring's arc references: the polyline algorithm's numbers, each a step
        var out = [], value = 0, bits = 0, shift = 0;
        for (var k = 0; k < text.length; k++) {
            var b = text.charCodeAt(k) - 63;
            bits |= (b & 31) << shift;
            shift += 5;
            if (b < 32) {
                value += bits & 1 ? ~(bits >> 1) : bits >> 1;
                out.push(value);
                bits = 0;
                shift = 0;
            }
        }
        return out;
    }
    function refs(shape) { return typeof shape === "string" ? numbers(shape) : shape.map(refs); }
    var points = polyline.toGeoJSON(data.arcs, PRECISION).coordinates, end = 0;
    var arcs = data.sizes.map(function (size) { end += size; return points.slice(end - size, end); });
    var columns = {};
    Object.keys(data.properties).forEach(function (key) {
        var c = data.properties[key];
        columns[key] = Array.isArray(c) ? c : c.i.map(function (i) {
            return typeof i === "number" ? c.v[i] : i.map(function (j) { return c.v[j]; }).join("");
        });
    });
    var ids = typeof data.ids === "string" ? columns[data.ids] : data.ids;
    var geometries = ids.map(function (id, d) {
        var shape = data.shapes[d], properties = {};
        Object.keys(columns).forEach(function (key) { properties[key] = columns[key][d]; });
        var multi = shape.length > 0 && Array.isArray(shape[0]);
        return {type: multi ? "MultiPolygon" : "Polygon", arcs: refs(shape), id: id, properties: properties};
    });
    var topology = {type: "Topology", arcs: arcs, objects: {districts: {type: "GeometryCollection", geometries: geometries}}};
    var object = topology.objects.districts, shapes = {};
    topojson.feature(topology, object).features.forEach(function (f) { shapes[f.id] = f; });
    return {
        add: function (layer, only) {
            layer.addData((only || ids).map(function (id) { return shapes[id]; }));
        },
        lines: function (indices) { return indices.map(function (i) { return topology.arcs[i]; }); },
        mesh: function (layer) {
            layer.addData({type: "Feature", properties: {}, geometry: topojson.mesh(topology, object, function (a, b) {
                return a === b || a.properties.p !== b.properties.p;
            })});
        }
    };
})(DISTRICTS);
