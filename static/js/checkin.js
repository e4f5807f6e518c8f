// Check-in scanner page (templates/checkin/scanner.html): camera + barcode reader + search +
// walk-ins, with an offline queue. Every door action gets a nonce and is written to IndexedDB
// before it is sent; it leaves the queue only when the server has answered it, so a dropped
// Wi-Fi or a closed tab loses nothing, and sending it twice is harmless (the server replays its
// first answer for a nonce).

import { openStore } from "./checkin-store.js";
import { eventDay, newNonce, normaliseCode, sha256Hex } from "./checkin-local.js";
import { Camera } from "./checkin-camera.js";
import { $, T, config, fill, state } from "./checkin-state.js";
import { beep, eventDates, show } from "./checkin-feedback.js";
import { act, refreshList, refreshStats, scheduleSync, setOnline, updateQueueBadge } from "./checkin-queue.js";
import { setupSearch, setupUndo, setupWalkIn } from "./checkin-panels.js";

const SAME_CODE_ABSENT_MS = 1500; // a QR code held in view is one scan, until it was away this long

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
    act("scan", { code, gate: state.gate, nonce: newNonce() }, async (when, sent) => {
      let hash;
      try {
        hash = await sha256Hex(code);
      } catch {
        return { result: "offline_unknown" }; // no WebCrypto (page not served over https)
      }
      return state.list.verdictForHash(hash, when, state.gate, Boolean(sent.override));
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

/** No picture to show (no camera, access refused, no https): the video area folds away to a
 *  notice, and the code field below takes the scans. */
function cameraUnavailable(message, canRetry) {
  const toggle = $("camera-toggle");
  document.querySelector(".camera").classList.add("is-unavailable");
  $("camera-status").textContent = message;
  toggle.textContent = T.camera_start;
  toggle.hidden = !canRetry;
}

/** A device without a camera (a phone whose camera is broken, a desktop): nothing to retry. */
function noCamera(error) {
  return Boolean(error) && ["NotFoundError", "OverconstrainedError", "DevicesNotFoundError"].includes(error.name);
}

async function startCamera() {
  const status = $("camera-status");
  const toggle = $("camera-toggle");
  if (!Camera.available()) {
    cameraUnavailable(window.isSecureContext ? T.camera_missing : T.camera_insecure, false);
    return;
  }
  if (!state.camera) state.camera = new Camera($("camera-video"), config.urls.decoder, cameraFrame);
  state.lastCode = "";
  try {
    await state.camera.start();
    status.textContent = T.camera_on;
    toggle.textContent = T.camera_stop;
    toggle.hidden = false;
    document.querySelector(".camera").classList.remove("is-off", "is-unavailable");
  } catch (error) {
    if (state.camera.running) state.camera.stop();
    if (noCamera(error)) cameraUnavailable(T.camera_missing, false);
    else cameraUnavailable(T.camera_denied, true);
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
  const input = $("gate-input");
  $("gate-form").addEventListener("submit", (event) => {
    const gate = input.value.trim().slice(0, 40);
    if (!gate) {
      // the page's own words (the form is novalidate: no browser bubble in another language)
      event.preventDefault();
      $("gate-error").hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    $("gate-error").hidden = true;
    input.removeAttribute("aria-invalid");
    setGate(gate);
    beep("undone"); // unlocks audio on this user gesture
    onChosen();
  });
  $("gate-dialog").addEventListener("cancel", (event) => {
    if (!state.gate) event.preventDefault();
  });
  $("gate-button").addEventListener("click", askGate);
  document.addEventListener("checkin:gate-needed", askGate);
  if (stored) {
    setGate(stored);
    onChosen();
  } else {
    askGate();
  }
}

/** Before any scan: say so when today is none of the event's days (the page may come from the
 *  phone's cache on another day than it was loaded). */
function showDayNotice() {
  const today = eventDay(new Date(Date.now() + state.clockOffset), config.timezone);
  const off = Boolean(config.first_day) && (today < config.first_day || today > config.last_day);
  const notice = $("day-notice");
  notice.hidden = !off;
  if (off) notice.textContent = fill(T.not_today, { dates: eventDates(config.first_day, config.last_day) });
}

function setupAdmitAnyway() {
  $("admit-anyway").addEventListener("click", () => {
    const send = state.admitAnyway;
    if (!send) return;
    state.admitAnyway = null;
    $("admit-anyway").hidden = true;
    state.chain = state.chain.then(send).catch((error) => show({ result: "problem", message: fill(T.error, { reason: String(error) }) }));
  });
}

/** The page opens without a network once it was opened for this event (see checkin-sw.js). */
function registerWorker() {
  if (!("serviceWorker" in navigator) || !config.urls.worker) return;
  navigator.serviceWorker.register(config.urls.worker, { scope: config.urls.page }).catch((error) => {
    console.warn("check-in: no offline page", error);
  });
}

async function main() {
  state.store = await openStore();
  await state.store.forgetEnded(Date.now());
  const cached = await state.store.loadList(config.event_id);
  if (cached) state.list.load(cached);
  setupCodeInput();
  setupAdmitAnyway();
  showDayNotice();
  setInterval(showDayNotice, 60000);
  registerWorker();
  setupCamera();
  setupUndo();
  setupSearch();
  setupWalkIn();
  if (!navigator.onLine) {
    state.online = true; // the page says "Online" as served (or as kept by the worker)
    setOnline(false);
  }
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
