// The event form's host: the list shows the unions and partners (or a union's members); any
// other organisation of the directory is found here by name or code, page by page, through
// GET /api/v1/events/hosts. A chosen one is added to the list and selected, so the form sends
// host_organisation_id as without this file.
(function () {
  "use strict";
  var box = document.getElementById("host-search");
  var select = document.getElementById("f-host_organisation_id");
  if (!box || !select || !window.fetch) {
    return;
  }
  var input = document.getElementById("host-q");
  var list = document.getElementById("host-results");
  var more = document.getElementById("host-more");
  var status = document.getElementById("host-status");
  var query = "";
  var page = 1;
  var shown = 0;
  var active = -1;
  var timer = null;
  box.hidden = false;

  function options() {
    return Array.prototype.slice.call(list.querySelectorAll('[role="option"]'));
  }

  function close() {
    list.hidden = true;
    more.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function choose(item) {
    var value = String(item.id);
    var option = Array.prototype.slice.call(select.options).filter(function (o) {
      return o.value === value;
    })[0];
    if (!option) {
      option = new Option(item.label, value);
      select.add(option);
    }
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    input.value = "";
    status.textContent = "";
    close();
    select.focus();
  }

  function highlight(index) {
    var all = options();
    if (!all.length) {
      return;
    }
    active = (index + all.length) % all.length;
    all.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  }

  function render(items, total, append) {
    if (!append) {
      list.textContent = "";
      shown = 0;
    }
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.id = "host-option-" + item.id;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.id = String(item.id);
      var name = document.createElement("bdi");
      name.textContent = item.label;
      li.appendChild(name);
      li.appendChild(document.createTextNode(" "));
      var where = document.createElement("span");
      where.className = "muted";
      where.textContent = item.country;
      li.appendChild(where);
      li.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus in the field until chosen
      });
      li.addEventListener("click", function () {
        choose(item);
      });
      li._item = item;
      list.appendChild(li);
    });
    shown += items.length;
    list.hidden = shown === 0;
    input.setAttribute("aria-expanded", shown ? "true" : "false");
    more.hidden = shown >= total;
    status.textContent = total
      ? box.getAttribute("data-text-found").replace("{n}", String(total))
      : box.getAttribute("data-text-none");
  }

  function search(append) {
    var wanted = query;
    var url = box.getAttribute("data-url") + "?per_page=20&page=" + page + "&q=" + encodeURIComponent(wanted);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        if (wanted === query) {
          render(data.items, data.total, append);
        }
      })
      .catch(function () {
        status.textContent = "";
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    query = input.value.trim();
    page = 1;
    active = -1;
    if (!query) {
      close();
      list.textContent = "";
      status.textContent = "";
      return;
    }
    timer = window.setTimeout(function () {
      search(false);
    }, 200);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter") {
      event.preventDefault(); // choosing, never submitting the form from here
      var all = options();
      if (active >= 0 && all[active]) {
        choose(all[active]._item);
      } else if (all.length === 1) {
        choose(all[0]._item);
      }
    } else if (event.key === "Escape") {
      close();
    }
  });

  more.addEventListener("click", function () {
    page += 1;
    search(true);
  });
})();
