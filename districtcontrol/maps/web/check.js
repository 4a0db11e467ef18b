document.addEventListener("DOMContentLoaded", function () {
  if (typeof L === "undefined" || typeof topojson === "undefined" || typeof polyline === "undefined") {
    var note = document.getElementById("dc-offline");
    if (note) note.hidden = false;
    document.body.classList.add("dc-no-scripts");
  }
});
