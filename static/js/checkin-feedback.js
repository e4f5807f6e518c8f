// Check-in scanner: the answer on screen, in sound and for screen readers; counters; the undo
// button's target.

import { $, T, config, fill, state, time } from "./checkin-state.js";

const RESULT_KINDS = {
  ok: "ok", offline_ok: "offline-ok", already_checked_in: "already", offline_unknown: "unknown",
  invalid: "refused", wrong_event: "refused", revoked: "refused", event_cancelled: "refused",
  undone: "undone", problem: "refused", not_attending: "attention", wrong_day: "refused",
};

/** A date (YYYY-MM-DD, or a moment) as people read it: "12 Dec" in the page's language. */
export function shortDate(value, withYear = false) {
  if (!value) return "";
  const moment = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  const options = { day: "numeric", month: "short", timeZone: /^\d{4}-\d{2}-\d{2}$/.test(value) ? "UTC" : config.timezone };
  if (withYear) options.year = "numeric";
  try {
    return new Intl.DateTimeFormat(config.language, options).format(moment);
  } catch {
    return String(value).slice(0, 10);
  }
}

/** The event's dates: "22 Dec 2026", or "22 Dec 2026 – 23 Dec 2026"; the event's own days as
 *  the server wrote them on the page (the site's one date style, Arabic's included). */
export function eventDates(first, last) {
  if (!first) return "";
  if (config.event_dates && first === config.first_day && (last || first) === config.last_day) {
    return config.event_dates;
  }
  return first === last || !last ? shortDate(first, true) : `${shortDate(first, true)} – ${shortDate(last, true)}`;
}

/** Why a not_attending person is turned away: "Declined on 12 Dec", "On the waitlist, place 3". */
function notAttendingDetail(answer) {
  if (answer.status === "declined") {
    return answer.responded_at ? fill(T.declined_on, { date: shortDate(answer.responded_at) }) : T.statuses.declined;
  }
  if (answer.status === "waitlisted") {
    return answer.waitlist_position ? fill(T.waitlist_position, { n: answer.waitlist_position }) : T.statuses.waitlisted;
  }
  if (answer.status === "substituted") return T.substituted_detail;
  return T.statuses[answer.status] || answer.status || "";
}

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

/** Show the "Admit anyway" button under a not_attending answer; `send` re-sends as override. */
export function offerAdmitAnyway(send) {
  state.admitAnyway = send;
  $("admit-anyway").hidden = false;
}

export function show(answer, extraDetail = "") {
  const kind = RESULT_KINDS[answer.result] || "refused";
  state.admitAnyway = null;
  $("admit-anyway").hidden = true;
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
  } else if (answer.result === "not_attending") {
    details.push(notAttendingDetail(answer));
  } else if (answer.result === "wrong_day") {
    const dates = eventDates(answer.first_day, answer.last_day);
    details.push(answer.reason === "future" ? T.wrong_day_future : fill(T.wrong_day_detail, { dates }));
  }
  const admitted = answer.result === "ok" || answer.result === "offline_ok";
  if (admitted && answer.override) {
    details.push(fill(T.admitted_anyway, { why: notAttendingDetail(answer) }));
  } else if (admitted && answer.status && answer.status !== "accepted") {
    details.push(answer.is_walk_in ? T.walk_in : fill(T.status_note, { status: T.statuses[answer.status] || answer.status }));
  }
  if (extraDetail) details.push(extraDetail);
  $("result-detail").textContent = details.join(" ");
  // Past the capacity every admission says so (the door does not refuse: the organiser decides).
  const over = answer.result === "ok" ? Boolean(answer.over_capacity) : admitted && isOverCapacity(1);
  $("result-warning").hidden = !over;
  $("result-warning").textContent = over ? fill(T.over_capacity, { capacity: config.capacity }) : "";
  beep(kind);
}

/** Whether today's count (plus `extra` about to be counted) exceeds the event's capacity. */
function isOverCapacity(extra = 0) {
  if (!config.capacity) return false;
  return Number($("count-in").textContent) + extra > config.capacity;
}

function showCapacity() {
  $("capacity-over").hidden = !isOverCapacity();
}

export function setCounts(stats) {
  $("count-in").textContent = stats.checked_in;
  $("count-expected").textContent = stats.expected;
  $("count-walkins").textContent = stats.walk_ins;
  showCapacity();
}

export function bumpCount(walkIn) {
  $("count-in").textContent = Number($("count-in").textContent) + 1;
  if (walkIn) $("count-walkins").textContent = Number($("count-walkins").textContent) + 1;
  showCapacity();
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
