// The organisers' answers page: keep the counts live by asking the answers API every 20 seconds
// (the session's cookie authenticates the GET). Without this file the page shows the counts
// of when it was loaded.
(function () {
  "use strict";
  var section = document.getElementById("answer-counts");
  if (!section || !window.fetch) {
    return;
  }
  var url = section.getAttribute("data-url");
  var note = document.getElementById("counts-updated");
  var shown = {};
  var cells = section.querySelectorAll("[data-count]");
  for (var i = 0; i < cells.length; i++) {
    shown[cells[i].getAttribute("data-count")] = cells[i];
  }
  function refresh() {
    if (document.hidden) {
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          return;
        }
        var changed = false;
        Object.keys(shown).forEach(function (key) {
          var value = data.counts[key];
          var text = value === null || value === undefined ? "∞" : String(value);
          if (shown[key].textContent !== text) {
            shown[key].textContent = text;
            changed = true;
          }
        });
        if (changed && note) {
          note.textContent = note.getAttribute("data-updated") || "";
        }
      })
      .catch(function () {});
  }
  window.setInterval(refresh, 20000);
})();
