// Check-in scanner page (templates/checkin/scanner.html): camera + barcode reader + search +
// walk-ins, with an offline queue. Every door action gets a nonce and is written to IndexedDB
// before it is sent; it leaves the queue only when the server has answered it, so a dropped
// Wi-Fi or a closed tab loses nothing, and sending it twice is harmless (the server replays its
// first answer for a nonce).

import { openStore } from "./checkin-store.js";
import { ExpectedList, eventDay, formatTime, newNonce, normaliseCode, sha256Hex } from "./checkin-local.js";
import { Camera } from "./checkin-camera.js";

const config = JSON.parse(document.getElementById("checkin-config").textContent);
const T = config.text;
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
const $ = (id) => document.getElementById(id);

const REQUEST_TIMEOUT_MS = 5000;
const SAME_CODE_ABSENT_MS = 1500; // a QR code held in view is one scan, until it was away this long
const RESULT_KINDS = {
  ok: "ok", offline_ok: "offline-ok", already_checked_in: "already", offline_unknown: "unknown",
  invalid: "refused", wrong_event: "refused", revoked: "refused", event_cancelled: "refused",
  undone: "undone", problem: "refused",
};

const state = {
  store: null,
  list: new ExpectedList(config.timezone),
  gate: "",
  online: navigator.onLine,
  clockOffset: 0, // server time − phone time, for queued scans' times
  inFlight: new Set(),
  answered: new Set(), // nonces the server has answered (a sync pass may still hold them)
  syncing: false,
  lastCheckIn: null,
  lastCode: "",
  lastCodeGoneSince: null,
  chain: Promise.resolve(),
  camera: null,
  audio: null,
  notices: 0,
};

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => (values[key] ?? ""));
}

function time(value) {
  return formatTime(value, config.timezone, config.language);
}

// -- network ------------------------------------------------------------------------------------

class Offline extends Error {}

async function api(method, url, body) {
  if (!navigator.onLine) throw new Offline("offline");
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  let response;
  try {
    response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
    });
  } catch (error) {
    throw new Offline(String(error));
  } finally {
    clearTimeout(timer);
  }
  const serverDate = Date.parse(response.headers.get("Date") || "");
  if (!Number.isNaN(serverDate)) state.clockOffset = serverDate - Date.now();
  if (response.status >= 500 || response.status === 429) throw new Offline(`HTTP ${response.status}`);
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  setOnline(true);
  return { status: response.status, data };
}

function setOnline(online) {
  if (state.online === online) return;
  state.online = online;
  const badge = $("net-status");
  badge.textContent = online ? T.online : T.offline;
  badge.classList.toggle("net-online", online);
  badge.classList.toggle("net-offline", !online);
  if (online) scheduleSync(0);
}

// -- the answer on screen, in sound and for screen readers ----------------------------------------

function beep(kind) {
  try {
    if (!state.audio) state.audio = new (window.AudioContext || window.webkitAudioContext)();
    const ctx = state.audio;
    if (ctx.state === "suspended") ctx.resume();
    const tones = kind === "ok" || kind === "offline-ok" ? [[880, 0, 0.12]]
      : kind === "already" || kind === "unknown" ? [[660, 0, 0.1], [660, 0.16, 0.1]]
      : kind === "undone" ? [[520, 0, 0.08]]
      : [[220, 0, 0.45]];
    for (const [freq, start, length] of tones) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = kind === "refused" ? "square" : "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.25, ctx.currentTime + start);
      gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + start + length);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + start);
      osc.stop(ctx.currentTime + start + length + 0.02);
    }
  } catch {
    // no sound on this device: the colours and the screen reader still tell
  }
  if (navigator.vibrate) navigator.vibrate(kind === "refused" ? [200, 80, 200] : 80);
}

function show(answer, extraDetail = "") {
  const kind = RESULT_KINDS[answer.result] || "refused";
  const box = $("result");
  box.className = `result result-${kind}`;
  void box.offsetWidth; // restart the flash animation
  box.classList.add("is-fresh");
  box.dataset.result = answer.result;
  $("result-title").textContent = T[answer.result] || answer.result;
  $("result-name").textContent = answer.full_name || "";
  $("result-org").textContent = answer.organisation || "";
  const details = [];
  if (answer.result === "already_checked_in" && (answer.other_checked_in_at || answer.first_checked_in_at)) {
    details.push(fill(T.already_at, {
      time: time(answer.other_checked_in_at || answer.first_checked_in_at),
      gate: answer.other_gate || answer.first_gate || "–",
    }));
  } else if (answer.result === "wrong_event" && answer.event_title) {
    details.push(fill(T.wrong_event_detail, { title: answer.event_title }));
  } else if (answer.result === "offline_ok") {
    details.push(T.offline_saved);
  } else if (answer.result === "offline_unknown") {
    details.push(T.offline_unknown_detail);
  } else if (answer.result === "revoked") {
    details.push(answer.reason === "retired_code" ? T.detail_retired : T.detail_revoked);
  } else if (answer.result === "invalid") {
    details.push(T.detail_invalid);
  } else if (answer.result === "event_cancelled") {
    details.push(T.detail_cancelled);
  } else if (answer.result === "problem" && answer.message) {
    details.push(answer.message);
  }
  if ((answer.result === "ok" || answer.result === "offline_ok") && answer.status && answer.status !== "accepted") {
    details.push(answer.is_walk_in ? T.walk_in : fill(T.status_note, { status: T.statuses[answer.status] || answer.status }));
  }
  if (extraDetail) details.push(extraDetail);
  $("result-detail").textContent = details.join(" ");
  beep(kind);
}

// -- counters --------------------------------------------------------------------------------------

function setCounts(stats) {
  $("count-in").textContent = stats.checked_in;
  $("count-expected").textContent = stats.expected;
  $("count-walkins").textContent = stats.walk_ins;
}

function bumpCount(walkIn) {
  $("count-in").textContent = Number($("count-in").textContent) + 1;
  if (walkIn) $("count-walkins").textContent = Number($("count-walkins").textContent) + 1;
}

async function refreshStats() {
  try {
    const { status, data } = await api("GET", config.urls.stats);
    if (status === 200) setCounts(data);
  } catch {
    /* offline: the local counts stay */
  }
}

async function refreshList() {
  try {
    const { status, data } = await api("GET", config.urls.expected);
    if (status !== 200) return;
    await state.store.saveList({ ...data, event_id: config.event_id });
    const pending = await state.store.pending(config.event_id);
    state.list.load(data);
    // Check-ins this phone made that the server has not heard of yet stay marked.
    for (const entry of pending) {
      if (entry.local && entry.local.invitation_id) state.list.mark(entry.local.invitation_id, entry.body.scanned_at, entry.body.gate);
    }
    document.body.dataset.listSize = String(data.total);
  } catch {
    /* offline: keep the list we have */
  }
}

// -- the queue ------------------------------------------------------------------------------------

async function updateQueueBadge() {
  const n = (await state.store.pending(config.event_id)).length;
  const badge = $("queue-status");
  badge.hidden = n === 0;
  badge.textContent = fill(T.waiting, { n });
  badge.dataset.count = String(n);
}

function urlFor(entry) {
  return config.urls[entry.kind];
}

function addNotice(text, tone) {
  const item = document.createElement("li");
  item.textContent = text;
  if (tone) item.className = `notice-${tone}`;
  $("sync-notices").prepend(item);
  state.notices += 1;
  $("sync-count").textContent = state.notices;
  $("sync-panel").hidden = false;
}

function reportSynced(entry, answer) {
  const last = state.lastCheckIn;
  if (last && last.nonce === entry.nonce) {
    // The last check-in was made offline and has now reached the server: undo goes there.
    if (answer.result === "ok" && answer.checkin_id) setLastCheckIn({ ...last, checkin_id: answer.checkin_id });
    else forgetLastCheckIn();
  }
  const name = answer.full_name || (entry.local && entry.local.full_name) || entry.body.full_name || entry.body.code || "";
  if (answer.result === "ok") {
    if (answer.invitation_id) state.list.mark(answer.invitation_id, answer.checked_in_at, answer.gate);
    if (!(entry.local && entry.local.result === "offline_ok")) bumpCount(answer.is_walk_in);
    return;
  }
  if (answer.result === "already_checked_in") {
    if (entry.local && entry.local.result === "offline_ok") {
      addNotice(fill(T.duplicate, {
        name, gate: answer.other_gate || "–", time: time(answer.other_checked_in_at),
      }), "warn");
    }
    return;
  }
  addNotice(fill(T.refused_later, { name, reason: T[answer.result] || answer.message || answer.result }), "bad");
}

let syncTimer = null;

function scheduleSync(delay) {
  clearTimeout(syncTimer);
  syncTimer = setTimeout(sync, delay);
}

async function sync() {
  if (state.syncing) return;
  state.syncing = true;
  let again = false;
  try {
    const entries = await state.store.pending(config.event_id);
    for (const entry of entries) {
      if (state.inFlight.has(entry.nonce) || state.answered.has(entry.nonce)) continue;
      let reply;
      state.inFlight.add(entry.nonce);
      try {
        reply = await api("POST", urlFor(entry), entry.body);
      } catch {
        setOnline(false);
        again = true;
        break;
      } finally {
        state.inFlight.delete(entry.nonce);
      }
      if (reply.status === 401 || reply.status === 403) {
        show({ result: "problem", message: T.session_expired });
        again = true;
        break;
      }
      state.answered.add(entry.nonce);
      await state.store.remove(entry.nonce);
      if (reply.data && reply.data.result) reportSynced(entry, reply.data);
      else addNotice(fill(T.refused_later, { name: entry.body.full_name || entry.body.code || "", reason: errorText(reply.data) }), "bad");
    }
  } finally {
    state.syncing = false;
    await updateQueueBadge();
  }
  const left = (await state.store.pending(config.event_id)).length;
  if (left) scheduleSync(again ? 5000 : 1000);
  else if (!again) refreshStats();
}

function errorText(data) {
  if (data && data.error) {
    const fields = Object.values(data.error.fields || {});
    return fields.length ? fields.join(" ") : data.error.message;
  }
  return "?";
}

/**
 * One door action: queue it, send it, show the answer (the server's, or the phone's own
 * verdict when offline). `local` decides offline; it runs only if the server cannot be reached.
 */
async function act(kind, body, local) {
  // Queued with the time it happened (in server time), in case it has to wait; sent now without
  // it, so that the server's clock decides.
  const scannedAt = new Date(Date.now() + state.clockOffset);
  const entry = {
    nonce: body.nonce, event_id: config.event_id, kind, created: Date.now(), local: null,
    body: { ...body, scanned_at: scannedAt.toISOString() },
  };
  await state.store.put(entry);
  state.inFlight.add(entry.nonce);
  try {
    const { status, data } = await api("POST", config.urls[kind], body);
    if (status === 401 || status === 403) {
      show({ result: "problem", message: T.session_expired });
      return null;
    }
    state.answered.add(entry.nonce);
    await state.store.remove(entry.nonce);
    if (data && data.result) {
      show(data);
      if (data.result === "ok") {
        bumpCount(data.is_walk_in);
        if (data.invitation_id) state.list.mark(data.invitation_id, data.checked_in_at, data.gate);
        setLastCheckIn({ checkin_id: data.checkin_id, name: data.full_name, invitation_id: data.invitation_id });
      }
      return data;
    }
    if (kind !== "walk_in") show({ result: "problem", message: errorText(data) });
    return { error: data };
  } catch (error) {
    if (!(error instanceof Offline)) throw error;
    setOnline(false);
    // Offline: the phone answers from the expected list; the scan waits in the queue.
    const verdict = await local(scannedAt);
    entry.local = verdict;
    await state.store.put(entry);
    show(verdict);
    if (verdict.result === "offline_ok") {
      bumpCount(verdict.is_walk_in);
      setLastCheckIn({ nonce: entry.nonce, name: verdict.full_name, invitation_id: verdict.invitation_id });
    }
    scheduleSync(5000);
    return verdict;
  } finally {
    state.inFlight.delete(entry.nonce);
    updateQueueBadge();
  }
}

// -- scanning -------------------------------------------------------------------------------------

/** Each camera frame's decoded text (or null): a code held in view is scanned once. */
function cameraFrame(text) {
  const code = text ? normaliseCode(text) : "";
  const now = Date.now();
  if (code && code === state.lastCode) {
    const gone = state.lastCodeGoneSince;
    state.lastCodeGoneSince = null;
    if (gone === null || now - gone < SAME_CODE_ABSENT_MS) return;
  } else if (!code) {
    if (state.lastCode && state.lastCodeGoneSince === null) state.lastCodeGoneSince = now;
    return;
  }
  state.lastCode = code;
  state.lastCodeGoneSince = null;
  scanCode(code);
}

function scanCode(text) {
  const code = normaliseCode(text);
  if (!code) return;
  // One scan at a time, in order: the next one starts as soon as this one is answered.
  state.chain = state.chain.then(() =>
    act("scan", { code, gate: state.gate, nonce: newNonce() }, async (when) => {
      let hash;
      try {
        hash = await sha256Hex(code);
      } catch {
        return { result: "offline_unknown" }; // no WebCrypto (page not served over https)
      }
      return state.list.verdictForHash(hash, when, state.gate);
    }),
  ).catch((error) => show({ result: "problem", message: fill(T.error, { reason: String(error) }) }));
  return state.chain;
}

function setupCodeInput() {
  const form = $("code-form");
  const input = $("code-input");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = "";
    scanCode(text); // typed on purpose: never swallowed as a repeat
  });
  // A USB/Bluetooth barcode reader is a fast keyboard ending with Enter. When no field has the
  // focus, collect its keystrokes so that scanning works without tapping the input first.
  let buffer = "";
  let last = 0;
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable)) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const now = Date.now();
    if (now - last > 100) buffer = "";
    last = now;
    if (event.key === "Enter") {
      if (buffer.length >= 6) {
        event.preventDefault();
        scanCode(buffer);
      }
      buffer = "";
    } else if (event.key.length === 1) {
      buffer += event.key;
    }
  });
  if (window.matchMedia("(pointer: fine)").matches) input.focus();
}

async function startCamera() {
  const status = $("camera-status");
  const toggle = $("camera-toggle");
  if (!Camera.available()) {
    status.textContent = window.isSecureContext ? T.camera_denied : T.camera_insecure;
    return;
  }
  if (!state.camera) state.camera = new Camera($("camera-video"), config.urls.decoder, cameraFrame);
  state.lastCode = "";
  try {
    await state.camera.start();
    status.textContent = T.camera_on;
    toggle.textContent = T.camera_stop;
    toggle.hidden = false;
    document.querySelector(".camera").classList.remove("is-off");
  } catch (error) {
    status.textContent = T.camera_denied;
    toggle.textContent = T.camera_start;
    toggle.hidden = false;
  }
}

function setupCamera() {
  $("camera-toggle").addEventListener("click", () => {
    if (state.camera && state.camera.running) {
      state.camera.stop();
      $("camera-status").textContent = T.camera_off;
      $("camera-toggle").textContent = T.camera_start;
      document.querySelector(".camera").classList.add("is-off");
    } else {
      startCamera();
    }
  });
}

// -- undo -----------------------------------------------------------------------------------------

function setLastCheckIn(last) {
  state.lastCheckIn = last;
  $("undo-name").textContent = last.name || "";
  $("undo-button").hidden = false;
}

function forgetLastCheckIn() {
  state.lastCheckIn = null;
  $("undo-button").hidden = true;
}

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

function setupUndo() {
  $("undo-button").addEventListener("click", () => {
    if (state.lastCheckIn) undo(state.lastCheckIn);
  });
}

// -- search and manual check-in -------------------------------------------------------------------

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
  return act("manual", body, async (when) => state.list.verdict(state.list.byId.get(item.invitation_id), when, state.gate));
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

function setupSearch() {
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

// -- walk-ins -------------------------------------------------------------------------------------

function walkIn(fields, person) {
  const body = { ...fields, gate: state.gate, nonce: newNonce() };
  return act("walk_in", body, async () => ({
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

function setupWalkIn() {
  const form = $("walkin-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    for (const key of Object.keys(data)) data[key] = data[key].trim() || null;
    ["name", "email", "organisation"].forEach((n) => fieldError(n, ""));
    $("walkin-error").hidden = true;
    if (!data.full_name) {
      fieldError("name", T.walk_in_needs_name);
      $("walkin-name").focus();
      return;
    }
    const answer = await walkIn(data, { full_name: data.full_name, organisation: data.organisation });
    if (answer && answer.error) {
      const fields = (answer.error.error && answer.error.error.fields) || {};
      const map = { full_name: "name", email: "email", organisation: "organisation" };
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

// -- the gate -------------------------------------------------------------------------------------

const GATE_KEY = `reslog.checkin.gate.${config.event_id}`;

function setGate(gate) {
  state.gate = gate;
  $("gate-name").textContent = gate;
  try {
    localStorage.setItem(GATE_KEY, gate);
    localStorage.setItem("reslog.checkin.gate", gate);
  } catch {
    /* private mode: remembered for this visit only */
  }
}

function askGate() {
  const dialog = $("gate-dialog");
  const input = $("gate-input");
  input.value = state.gate;
  dialog.showModal();
  input.focus();
}

function setupGate(onChosen) {
  let stored = null;
  try {
    stored = localStorage.getItem(GATE_KEY) || localStorage.getItem("reslog.checkin.gate");
  } catch {
    stored = null;
  }
  $("gate-form").addEventListener("submit", (event) => {
    const gate = $("gate-input").value.trim().slice(0, 40);
    if (!gate) {
      event.preventDefault();
      $("gate-error").hidden = false;
      return;
    }
    $("gate-error").hidden = true;
    setGate(gate);
    beep("undone"); // unlocks audio on this user gesture
    onChosen();
  });
  $("gate-dialog").addEventListener("cancel", (event) => {
    if (!state.gate) event.preventDefault();
  });
  $("gate-button").addEventListener("click", askGate);
  if (stored) {
    setGate(stored);
    onChosen();
  } else {
    askGate();
  }
}

// -- start ----------------------------------------------------------------------------------------

async function main() {
  state.store = await openStore();
  const cached = await state.store.loadList(config.event_id);
  if (cached) state.list.load(cached);
  setupCodeInput();
  setupCamera();
  setupUndo();
  setupSearch();
  setupWalkIn();
  if (!navigator.onLine) setOnline(false);
  window.addEventListener("online", () => setOnline(true));
  window.addEventListener("offline", () => setOnline(false));
  let started = false;
  setupGate(() => {
    if (started) return;
    started = true;
    startCamera();
  });
  await updateQueueBadge();
  refreshList();
  scheduleSync(500);
  setInterval(() => { if (navigator.onLine) refreshStats(); }, 15000);
  setInterval(() => { if (navigator.onLine) refreshList(); }, 60000);
  setInterval(() => { if (navigator.onLine && !state.syncing) scheduleSync(0); }, 10000);
  // Audio may only start after a gesture: the first tap anywhere unlocks it.
  document.addEventListener("pointerdown", () => { if (state.audio && state.audio.state === "suspended") state.audio.resume(); }, { once: true });
  document.body.dataset.checkinReady = "true";
}

main();
