// Check-in scanner: answering without the network, from the event's expected list.
// The list holds SHA-256 hashes of the QR codes, never the codes: a scanned text is hashed
// with WebCrypto and looked up.

const FOLD = { "ı": "i", "ş": "s", "ç": "c", "ğ": "g", "ö": "o", "ü": "u", "â": "a", "î": "i", "û": "u" };

/** Accent-free lower case, Turkish rules (I → ı, İ → i): "ŞİŞLİ" and "sisli" match. */
export function fold(text) {
  const lowered = String(text || "").normalize("NFC").replace(/I/g, "ı").replace(/İ/g, "i").toLowerCase();
  const plain = lowered.replace(/[ışçğöüâîû]/g, (c) => FOLD[c]);
  return plain.normalize("NFKD").replace(/\p{M}/gu, "").split(/\s+/).filter(Boolean).join(" ");
}

/** What a scanner typed or decoded, as the server stores it: trimmed, upper case. */
export function normaliseCode(text) {
  return String(text || "").trim().toUpperCase();
}

export async function sha256Hex(text) {
  const bytes = new TextEncoder().encode(text);
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function newNonce() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The event-local date (YYYY-MM-DD) of a moment: a person is admitted once a day. */
export function eventDay(moment, timeZone) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit",
  }).formatToParts(moment);
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

export function formatTime(value, timeZone, language) {
  if (!value) return "";
  const moment = value instanceof Date ? value : new Date(value);
  try {
    return new Intl.DateTimeFormat(language, { timeZone, hour: "2-digit", minute: "2-digit" }).format(moment);
  } catch {
    return moment.toISOString().slice(11, 16);
  }
}

/** Invitation statuses the door turns away unless staff admit the person anyway. */
export const NOT_ATTENDING = new Set(["declined", "waitlisted", "substituted"]);

/** The expected list, indexed for the door: by code hash and by invitation id. */
export class ExpectedList {
  constructor(timeZone, firstDay = null, lastDay = null) {
    this.timeZone = timeZone;
    this.firstDay = firstDay;
    this.lastDay = lastDay;
    this.byHash = new Map();
    this.byId = new Map();
    this.retired = new Set();
    this.loaded = false;
  }

  /** The refusal of a scan on none of the event's days (or null: the day is right). */
  wrongDay(now) {
    if (!this.firstDay || !this.lastDay) return null;
    const day = eventDay(now, this.timeZone);
    if (day >= this.firstDay && day <= this.lastDay) return null;
    return { result: "wrong_day", day, first_day: this.firstDay, last_day: this.lastDay, reason: day < this.firstDay ? "early" : "late" };
  }

  load(data) {
    this.byHash.clear();
    this.byId.clear();
    if (data.first_day) this.firstDay = data.first_day;
    if (data.last_day) this.lastDay = data.last_day;
    const day = data.day;
    for (const item of data.items) {
      const entry = { ...item, day: item.checked_in_at ? day : null, folded: fold(`${item.full_name} ${item.organisation || ""}`) };
      this.byHash.set(item.code_hash, entry);
      this.byId.set(item.invitation_id, entry);
    }
    this.retired = new Set(data.retired_code_hashes || []);
    this.loaded = true;
  }

  /** Mark a check-in known to this phone (a server answer, or an offline verdict). */
  mark(invitationId, at, gate) {
    const entry = this.byId.get(invitationId);
    if (!entry) return;
    entry.checked_in_at = at;
    entry.gate = gate;
    entry.day = eventDay(new Date(at), this.timeZone);
  }

  unmark(invitationId) {
    const entry = this.byId.get(invitationId);
    if (entry) Object.assign(entry, { checked_in_at: null, gate: null, day: null });
  }

  /** What the server would answer, decided on this phone by the same rules (see
   *  reslog_events/checkin/admission.py: revoked, wrong_day, not_attending, already, ok). */
  verdict(entry, now, gate, override = false) {
    if (!entry) return { result: "offline_unknown" };
    const person = { invitation_id: entry.invitation_id, full_name: entry.full_name, organisation: entry.organisation, status: entry.status, is_walk_in: entry.is_walk_in };
    if (entry.status === "revoked") return { result: "revoked", ...person };
    const wrong = this.wrongDay(now);
    if (wrong) return { ...person, ...wrong };
    const notAttending = NOT_ATTENDING.has(entry.status);
    if (notAttending && !override) {
      return { result: "not_attending", ...person, responded_at: entry.responded_at || null, waitlist_position: entry.waitlist_position || null };
    }
    const today = eventDay(now, this.timeZone);
    if (entry.day === today) {
      return { result: "already_checked_in", ...person, first_checked_in_at: entry.checked_in_at, first_gate: entry.gate };
    }
    this.mark(entry.invitation_id, now.toISOString(), gate);
    return { result: "offline_ok", ...person, override: notAttending };
  }

  verdictForHash(hash, now, gate, override = false) {
    if (this.retired.has(hash)) return { result: "revoked" };
    return this.verdict(this.byHash.get(hash), now, gate, override);
  }

  search(query, limit = 20) {
    const words = fold(query).split(" ").filter(Boolean);
    if (!words.length) return [];
    const found = [];
    for (const entry of this.byId.values()) {
      if (words.every((w) => entry.folded.includes(w))) {
        found.push({
          invitation_id: entry.invitation_id, contact_id: null, full_name: entry.full_name,
          organisation: entry.organisation, email_hint: null, status: entry.status,
          is_walk_in: entry.is_walk_in, checkin_id: null,
          checked_in_at: entry.day === eventDay(new Date(), this.timeZone) ? entry.checked_in_at : null,
          gate: entry.gate,
        });
        if (found.length >= limit) break;
      }
    }
    return found;
  }
}
