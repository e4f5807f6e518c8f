// Check-in scanner: the answer on screen, in sound and for screen readers; counters; the undo
// button's target.

import { $, T, fill, state, time } from "./checkin-state.js";

const RESULT_KINDS = {
  ok: "ok", offline_ok: "offline-ok", already_checked_in: "already", offline_unknown: "unknown",
  invalid: "refused", wrong_event: "refused", revoked: "refused", event_cancelled: "refused",
  undone: "undone", problem: "refused",
};

export function beep(kind) {
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

export function show(answer, extraDetail = "") {
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

export function setCounts(stats) {
  $("count-in").textContent = stats.checked_in;
  $("count-expected").textContent = stats.expected;
  $("count-walkins").textContent = stats.walk_ins;
}

export function bumpCount(walkIn) {
  $("count-in").textContent = Number($("count-in").textContent) + 1;
  if (walkIn) $("count-walkins").textContent = Number($("count-walkins").textContent) + 1;
}

export function setLastCheckIn(last) {
  state.lastCheckIn = last;
  $("undo-name").textContent = last.name || "";
  $("undo-button").hidden = false;
}

export function forgetLastCheckIn() {
  state.lastCheckIn = null;
  $("undo-button").hidden = true;
}
