/* RESLOG Events — programme pages: confirm before deleting, copy feed addresses, apply the
   calendar's filters when one changes. Plain JS, no inline handlers (strict CSP). */
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });

  if (navigator.clipboard) {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var label = button.textContent;
        navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
          button.textContent = "✓";
          window.setTimeout(function () { button.textContent = label; }, 1500);
        });
      });
    });
  }

  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.querySelectorAll("select, input[type=checkbox]").forEach(function (control) {
      control.addEventListener("change", function () { form.requestSubmit(); });
    });
  });
})();
