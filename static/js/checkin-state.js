// Check-in scanner: the page's configuration, its words and its shared state.

import { ExpectedList, formatTime } from "./checkin-local.js";

export const config = JSON.parse(document.getElementById("checkin-config").textContent);
export const T = config.text;
export const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
export const $ = (id) => document.getElementById(id);

export const state = {
  store: null,
  list: new ExpectedList(config.timezone, config.first_day, config.last_day),
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
  admitAnyway: null, // what the "Admit anyway" button re-sends (after not_attending)
};

export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => (values[key] ?? ""));
}

export function time(value) {
  return formatTime(value, config.timezone, config.language);
}
