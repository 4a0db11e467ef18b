L.Marker.prototype.options.icon = L.divIcon({className: "dc-label-icon", iconSize: [0, 0]});
