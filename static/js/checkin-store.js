// Check-in scanner: what the phone keeps in IndexedDB.
//  - "queue": every door action (scan, manual check-in, walk-in) until the server has answered
//    it, keyed by its nonce, so that nothing is lost when the Wi-Fi drops or the tab closes;
//  - "lists": the event's expected list (names, organisations, SHA-256 of the codes) for
//    answering scans without the network.
// Without IndexedDB (private mode in some browsers) it falls back to memory for this tab.

import { forgetEnded } from "./checkin-forget.js";

const DB_NAME = "reslog-checkin";
const DB_VERSION = 1;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("queue")) {
        const queue = db.createObjectStore("queue", { keyPath: "nonce" });
        queue.createIndex("event", "event_id");
      }
      if (!db.objectStoreNames.contains("lists")) {
        db.createObjectStore("lists", { keyPath: "event_id" });
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("IndexedDB blocked"));
  });
}

class MemoryStore {
  constructor() {
    this.queue = new Map();
    this.lists = new Map();
    this.persistent = false;
  }
  async put(entry) { this.queue.set(entry.nonce, structuredClone(entry)); }
  async remove(nonce) { this.queue.delete(nonce); }
  async pending(eventId) {
    return [...this.queue.values()].filter((e) => e.event_id === eventId).sort(byCreated);
  }
  async saveList(list) { this.lists.set(list.event_id, list); }
  async loadList(eventId) { return this.lists.get(eventId) || null; }
  async forgetEnded() { return []; }
}

class IndexedStore {
  constructor(db) {
    this.db = db;
    this.persistent = true;
  }
  tx(store, mode) {
    return this.db.transaction(store, mode).objectStore(store);
  }
  async put(entry) {
    const store = this.tx("queue", "readwrite");
    await promised(store.put(entry));
  }
  async remove(nonce) {
    await promised(this.tx("queue", "readwrite").delete(nonce));
  }
  async pending(eventId) {
    const index = this.tx("queue", "readonly").index("event");
    const entries = await promised(index.getAll(IDBKeyRange.only(eventId)));
    return entries.sort(byCreated);
  }
  async saveList(list) {
    await promised(this.tx("lists", "readwrite").put(list));
  }
  async loadList(eventId) {
    return (await promised(this.tx("lists", "readonly").get(eventId))) || null;
  }
  /** Lists of events that ended more than a day ago are personal data no longer needed. */
  async forgetEnded(now) {
    return forgetEnded(this.db, now);
  }
}

function byCreated(a, b) {
  return a.created - b.created;
}

export async function openStore() {
  try {
    if (!("indexedDB" in window)) throw new Error("no IndexedDB");
    return new IndexedStore(await openDatabase());
  } catch (error) {
    console.warn("check-in: keeping the queue in memory only", error);
    return new MemoryStore();
  }
}
