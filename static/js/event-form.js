// The event form's title and description per language as tabs (WAI-ARIA tabs: arrow keys,
// Home, End). Without this file every language's fields are shown one after the other.
(function () {
  "use strict";
  var box = document.querySelector("[data-language-tabs]");
  if (!box) {
    return;
  }
  var list = box.querySelector('[role="tablist"]');
  var tabs = Array.prototype.slice.call(box.querySelectorAll('[role="tab"]'));
  box.classList.add("tabs-ready");
  list.hidden = false;

  function select(tab, focus) {
    tabs.forEach(function (other) {
      var chosen = other === tab;
      other.setAttribute("aria-selected", chosen ? "true" : "false");
      other.tabIndex = chosen ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !chosen;
    });
    if (focus) {
      tab.focus();
    }
  }

  tabs.forEach(function (tab, index) {
    tab.addEventListener("click", function () {
      select(tab, false);
    });
    tab.addEventListener("keydown", function (event) {
      var rtl = document.documentElement.dir === "rtl";
      var next = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[event.key];
      var target = null;
      if (next) {
        target = tabs[(index + next + tabs.length) % tabs.length];
      } else if (event.key === "Home") {
        target = tabs[0];
      } else if (event.key === "End") {
        target = tabs[tabs.length - 1];
      }
      if (target) {
        event.preventDefault();
        select(target, true);
      }
    });
  });
  // the first tab with an error, else the default language's
  var wrong = box.querySelector("#panel-default .has-error") ? null : box.querySelector("[data-error]");
  select(wrong || tabs[0], false);
})();
