// The live progress view of a fan-out (templates/invitations/progress.html): polls the JSON
// progress endpoint every two seconds until nothing is queued or being sent any more.
(function () {
  "use strict";
  var box = document.getElementById("inv-progress");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-url");
  var bar = box.querySelector("progress");
  var heading = document.getElementById("inv-progress-heading");
  var textsNode = document.getElementById("inv-progress-texts");
  var texts = textsNode ? JSON.parse(textsNode.textContent) : { headings: {}, statuses: {} };
  var delay = 2000;

  function show(key, value) {
    var el = box.querySelector('[data-key="' + key + '"]');
    if (el) {
      el.textContent = String(value);
    }
  }

  function update(state) {
    var counts = state.counts || {};
    var pending = (counts.queued || 0) + (counts.sending || 0);
    Object.keys(counts).forEach(function (key) {
      show(key, counts[key]);
    });
    show("total", state.total);
    show("handled", state.total - pending);
    if (bar) {
      bar.max = Math.max(1, state.total);
      bar.value = state.total - pending;
    }
    // the heading and the status line name the state: sending, sent, partly sent, not sent
    if (state.state && state.state !== box.getAttribute("data-state")) {
      box.setAttribute("data-state", state.state);
      if (texts.statuses[state.state]) {
        show("status", texts.statuses[state.state]);
      }
      if (heading && texts.headings[state.state]) {
        heading.textContent = texts.headings[state.state];
      }
    }
    if (state.done) {
      box.setAttribute("data-done", "true");
    }
    return state.done;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (state) {
        if (!update(state)) {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 30000); // back off while the server is unreachable
        window.setTimeout(poll, delay);
      });
  }

  if (box.getAttribute("data-done") !== "true") {
    window.setTimeout(poll, delay);
  }
})();
