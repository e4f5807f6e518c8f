// Check-in scanner: talking to the server, and the queue of door actions kept in IndexedDB.
// Every action gets a nonce and is written to the queue before it is sent; it leaves the queue
// only when the server has answered it, so a dropped Wi-Fi or a closed tab loses nothing, and
// sending it twice is harmless (the server replays its first answer for a nonce).

import { newNonce } from "./checkin-local.js";
import { $, T, config, csrfToken, fill, state, time } from "./checkin-state.js";
import { bumpCount, forgetLastCheckIn, offerAdmitAnyway, setCounts, setLastCheckIn, show } from "./checkin-feedback.js";

const REQUEST_TIMEOUT_MS = 5000;

export class Offline extends Error {}

export async function api(method, url, body) {
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

export function setOnline(online) {
  if (state.online === online) return;
  state.online = online;
  const badge = $("net-status");
  badge.textContent = online ? T.online : T.offline;
  badge.classList.toggle("net-online", online);
  badge.classList.toggle("net-offline", !online);
  if (online) scheduleSync(0);
}

export async function refreshStats() {
  try {
    const { status, data } = await api("GET", config.urls.stats);
    if (status === 200) setCounts(data);
  } catch {
    /* offline: the local counts stay */
  }
}

export async function refreshList() {
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

export async function updateQueueBadge() {
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

export function scheduleSync(delay) {
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

export function errorText(data) {
  if (data && data.error) {
    const fields = Object.values(data.error.fields || {});
    return fields.length ? fields.join(" ") : data.error.message;
  }
  return "?";
}

/** After not_attending: the "Admit anyway" button sends the same action again as an override. */
function offerOverride(kind, body, local, answer) {
  if (!answer || answer.result !== "not_attending") return;
  offerAdmitAnyway(() => act(kind, { ...body, nonce: newNonce(), override: true }, local));
}

/**
 * One door action: queue it, send it, show the answer (the server's, or the phone's own
 * verdict when offline). `local(when, body)` decides offline; it runs only if the server
 * cannot be reached.
 */
export async function act(kind, body, local) {
  if (!body.gate) {
    // Every check-in is logged with its gate (the server refuses one without): ask for it first.
    show({ result: "problem", message: T.gate_needed });
    document.dispatchEvent(new CustomEvent("checkin:gate-needed"));
    return null;
  }
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
      offerOverride(kind, body, local, data);
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
    const verdict = await local(scannedAt, body);
    entry.local = verdict;
    await state.store.put(entry);
    show(verdict);
    offerOverride(kind, body, local, verdict);
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
