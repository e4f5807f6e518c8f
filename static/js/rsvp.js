// The invitee's RSVP page: take keyboard and screen-reader users to the errors, and hide the
// needs while "No" is chosen (they are not kept for a decline), and the colleague's fields
// unless "send a colleague" is. Works without this file too.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  var needs = document.getElementById("rsvp-needs");
  var radios = document.querySelectorAll('input[name="response"]');
  if (!needs || !radios.length) {
    return;
  }
  var colleague = document.getElementById("rsvp-colleague");
  function update() {
    var chosen = document.querySelector('input[name="response"]:checked');
    var value = chosen ? chosen.value : "";
    needs.hidden = value === "decline" || value === "substitute";
    if (colleague) {
      colleague.hidden = value !== "substitute";
    }
  }
  for (var i = 0; i < radios.length; i++) {
    radios[i].addEventListener("change", update);
  }
  update();
})();
