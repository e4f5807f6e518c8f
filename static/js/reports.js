// Attendance reports: sortable tables, the print button, and report runs with progress.
// Plain JavaScript, no build step; the pages work without it (server-rendered, form posts).
(function () {
  "use strict";

  function cellValue(row, index, kind) {
    var cell = row.children[index];
    if (!cell) return "";
    if (kind === "number") return parseFloat(cell.getAttribute("data-value") || cell.textContent.replace(/[^0-9.-]/g, "")) || 0;
    return cell.textContent.trim();
  }

  function makeSortable(table) {
    var headers = table.querySelectorAll("thead th[data-sort]");
    var collator = new Intl.Collator(document.documentElement.lang || undefined, { sensitivity: "base", numeric: true });
    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var kind = th.getAttribute("data-sort");
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        if (kind === "number" && !th.hasAttribute("aria-sort")) ascending = false; // biggest first
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index, kind), y = cellValue(b, index, kind);
          var order = kind === "number" ? x - y : collator.compare(x, y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function watchRun(box, url) {
    var bar = box.querySelector("progress");
    var status = box.querySelector(".js-run-status");
    var link = box.querySelector(".js-run-link");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (run) {
          bar.value = run.progress;
          link.href = run.page_url;
          if (run.status === "done") {
            status.textContent = box.getAttribute("data-done") || "✓";
            link.hidden = false;
          } else if (run.status === "failed") {
            status.textContent = box.getAttribute("data-failed") || "✗";
            link.hidden = false;
          } else {
            window.setTimeout(poll, 1500);
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    poll();
  }

  function enhanceRunForm(form) {
    var box = document.querySelector(".run-progress");
    if (!box || !window.fetch) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = {};
      new FormData(form).forEach(function (value, key) {
        if (key !== "csrf_token" && value !== "") body[key] = key === "event_id" ? parseInt(value, 10) : value;
      });
      box.hidden = false;
      fetch(form.getAttribute("data-api"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
        body: JSON.stringify(body)
      })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (run) { watchRun(box, form.getAttribute("data-api") + "/" + run.id); })
        .catch(function () { form.submit(); });
    });
  }

  document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
  document.querySelectorAll(".js-run-form").forEach(enhanceRunForm);
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
