// Check-in scanner: undo, search with manual check-in, and walk-ins.

import { newNonce } from "./checkin-local.js";
import { $, T, config, fill, state, time } from "./checkin-state.js";
import { forgetLastCheckIn, setLastCheckIn, show } from "./checkin-feedback.js";
import { Offline, act, api, errorText, refreshStats, updateQueueBadge } from "./checkin-queue.js";

async function undo(last) {
  forgetLastCheckIn();
  if (last.nonce && !last.checkin_id) {
    // Still on this phone: take it out of the queue before it is ever sent.
    if (state.inFlight.has(last.nonce) || state.answered.has(last.nonce)) {
      show({ result: "problem", full_name: last.name, message: fill(T.undo_failed, { reason: T.busy }) });
      setLastCheckIn(last);
      return;
    }
    await state.store.remove(last.nonce);
    if (last.invitation_id) state.list.unmark(last.invitation_id);
    $("count-in").textContent = Math.max(0, Number($("count-in").textContent) - 1);
    show({ result: "undone", full_name: last.name });
    updateQueueBadge();
    return;
  }
  try {
    const { status, data } = await api("DELETE", `${config.urls.checkins}/${last.checkin_id}`);
    if (status === 200) {
      if (last.invitation_id) state.list.unmark(last.invitation_id);
      show({ result: "undone", full_name: data.full_name });
      refreshStats();
    } else {
      show({ result: "problem", full_name: last.name, message: fill(T.undo_failed, { reason: errorText(data) }) });
    }
  } catch (error) {
    show({ result: "problem", full_name: last.name, message: fill(T.undo_failed, { reason: T.offline }) });
    setLastCheckIn(last);
  }
}

export function setupUndo() {
  $("undo-button").addEventListener("click", () => {
    if (state.lastCheckIn) undo(state.lastCheckIn);
  });
}

/** Text someone typed (a name, an organisation), isolated so that it keeps its own direction. */
function isolated(text) {
  const bdi = document.createElement("bdi");
  bdi.textContent = text;
  return bdi;
}

/** After an action from the results list the list is redrawn: the keyboard focus goes back to the
 *  search field (the answer itself is announced by the result box). */
function backToSearch() {
  const input = $("search-input");
  input.focus();
  input.select();
}

function renderResults(items, offline) {
  const list = $("search-results");
  list.replaceChildren();
  items.forEach((item, index) => {
    const li = document.createElement("li");
    const who = document.createElement("div");
    who.className = "who";
    const name = document.createElement("strong");
    name.id = `search-result-${index}`;
    name.append(isolated(item.full_name));
    who.append(name);
    const facts = [item.organisation, item.email_hint, item.invitation_id ? T.statuses[item.status] || item.status : T.not_invited].filter(Boolean);
    const sub = document.createElement("span");
    facts.forEach((fact, i) => sub.append(...(i ? [" · "] : []), isolated(fact)));
    who.append(sub);
    li.append(who);
    if (item.checked_in_at) {
      const done = document.createElement("span");
      done.className = "done";
      done.textContent = fill(T.checked_in_at, { time: time(item.checked_in_at), gate: item.gate || "–" });
      li.append(done);
      if (item.checkin_id) {
        li.append(button(T.undo, "danger", () => undo({ checkin_id: item.checkin_id, name: item.full_name, invitation_id: item.invitation_id }).then(runSearch).then(backToSearch), name.id));
      }
    } else if (item.invitation_id && item.status !== "revoked") {
      li.append(button(T.check_in, "primary", () => manualCheckIn(item).then(runSearch).then(backToSearch), name.id));
    } else if (!item.invitation_id && !offline) {
      li.append(button(T.register_walk_in, "", () => walkIn({ contact_id: item.contact_id }, item).then(runSearch).then(backToSearch), name.id));
    }
    list.append(li);
  });
}

/** A button; `describedBy` names whom it acts on, for screen readers ("Check in" — "Ayşe Kaya"). */
function button(label, cls, onClick, describedBy) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  if (cls) b.className = cls;
  if (describedBy) b.setAttribute("aria-describedby", describedBy);
  b.addEventListener("click", onClick);
  return b;
}

function manualCheckIn(item) {
  const body = { invitation_id: item.invitation_id, gate: state.gate, nonce: newNonce() };
  return act("manual", body, async (when, sent) => state.list.verdict(state.list.byId.get(item.invitation_id), when, state.gate, Boolean(sent.override)));
}

async function runSearch() {
  const q = $("search-input").value.trim();
  const status = $("search-status");
  if (!q) {
    $("search-results").replaceChildren();
    status.textContent = "";
    return;
  }
  status.textContent = T.searching;
  let items;
  let offline = false;
  try {
    const { status: code, data } = await api("GET", `${config.urls.search}?q=${encodeURIComponent(q)}`);
    if (code !== 200) throw new Offline(String(code));
    items = data.items;
  } catch {
    offline = true;
    items = state.list.search(q);
  }
  if ($("search-input").value.trim() !== q) return; // the user typed on meanwhile
  renderResults(items, offline);
  status.textContent = (offline ? `${T.offline_search} ` : "") + (items.length ? fill(T.results, { n: items.length }) : T.no_results);
}

export function setupSearch() {
  let timer = null;
  $("search-input").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(runSearch, 250);
  });
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    runSearch();
  });
}

function walkIn(fields, person) {
  const body = { ...fields, gate: state.gate, nonce: newNonce() };
  return act("walk_in", body, async (when) => state.list.wrongDay(when) || ({
    result: "offline_ok", full_name: person.full_name, organisation: person.organisation || "",
    status: "pending", is_walk_in: true, message: T.walk_in_offline,
  }));
}

function fieldError(name, message) {
  const p = $(`walkin-${name}-error`);
  const input = $(`walkin-${name}`);
  if (!p) return;
  p.textContent = message || "";
  p.hidden = !message;
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

export function setupWalkIn() {
  const form = $("walkin-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    for (const key of Object.keys(data)) data[key] = data[key].trim() || null;
    ["name", "email", "organisation", "kind", "province"].forEach((n) => fieldError(n, ""));
    $("walkin-error").hidden = true;
    if (!data.full_name) {
      fieldError("name", T.walk_in_needs_name);
      $("walkin-name").focus();
      return;
    }
    const answer = await walkIn(data, { full_name: data.full_name, organisation: data.organisation });
    // A refusal (already checked in, wrong day…) is shown in the result box; only a rejected
    // form (no `result`) is shown at the fields.
    if (answer && answer.error && !answer.result) {
      const fields = (answer.error.error && answer.error.error.fields) || {};
      const map = {
        full_name: "name", email: "email", organisation: "organisation",
        organisation_kind: "kind", organisation_province: "province",
      };
      let shown = false;
      for (const [key, message] of Object.entries(fields)) {
        if (map[key]) { fieldError(map[key], message); shown = true; }
      }
      if (!shown) {
        $("walkin-error").textContent = errorText(answer.error);
        $("walkin-error").hidden = false;
      }
      return;
    }
    form.reset();
  });
}
