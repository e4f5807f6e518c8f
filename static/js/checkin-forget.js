// What the scanner keeps on a phone (the offline list of names in IndexedDB, the page in the
// service worker's cache) is personal data: it is removed at logout, and a day after the event
// ends. Loaded on every page, so that a phone forgets also when the scanner is not opened again.

const DB_NAME = "reslog-checkin";
const CACHE_PREFIX = "reslog-checkin-";
const KEEP_AFTER_END_MS = 24 * 60 * 60 * 1000;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** The scanner's database if this phone has one (never created here). */
async function existingDatabase() {
  if (!("indexedDB" in window)) return null;
  if (indexedDB.databases) {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes(DB_NAME)) return null;
  }
  return new Promise((resolve) => {
    const request = indexedDB.open(DB_NAME);
    request.onupgradeneeded = () => { request.transaction.abort(); };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
  });
}

async function dropCaches(eventIds) {
  if (!("caches" in window)) return;
  for (const name of await caches.keys()) {
    if (!name.startsWith(CACHE_PREFIX)) continue;
    const id = Number(name.slice(CACHE_PREFIX.length).split("-")[0]);
    if (eventIds === null || eventIds.includes(id)) await caches.delete(name);
  }
}

/** Remove the lists (and unsent actions) of events that ended more than a day before `now`. */
export async function forgetEnded(db, now = Date.now()) {
  if (!db || !db.objectStoreNames.contains("lists")) return [];
  const lists = await promised(db.transaction("lists", "readonly").objectStore("lists").getAll());
  const ended = lists
    .filter((list) => list.ends_at && Date.parse(list.ends_at) + KEEP_AFTER_END_MS < now)
    .map((list) => list.event_id);
  for (const eventId of ended) {
    const tx = db.transaction(["lists", "queue"], "readwrite");
    tx.objectStore("lists").delete(eventId);
    const queue = tx.objectStore("queue");
    const keys = await promised(queue.index("event").getAllKeys(IDBKeyRange.only(eventId)));
    keys.forEach((key) => queue.delete(key));
    await new Promise((resolve) => { tx.oncomplete = resolve; tx.onerror = resolve; });
  }
  await dropCaches(ended);
  return ended;
}

/** At logout: every offline list and the cached scanner pages go; the service workers too.
 *  Door actions not yet sent stay queued: they are attendance, sent at the next login. */
export async function forgetAll() {
  const db = await existingDatabase();
  if (db && db.objectStoreNames.contains("lists")) {
    await promised(db.transaction("lists", "readwrite").objectStore("lists").clear());
  }
  if (db) db.close();
  await dropCaches(null);
  if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
    for (const registration of await navigator.serviceWorker.getRegistrations()) {
      if (registration.active && registration.active.scriptURL.includes("/checkin-sw.js")) {
        await registration.unregister();
      }
    }
  }
}

function setup() {
  for (const form of document.querySelectorAll("form[data-logout]")) {
    form.addEventListener("submit", (event) => {
      if (form.dataset.forgotten) return;
      event.preventDefault();
      const done = () => { form.dataset.forgotten = "true"; form.submit(); };
      Promise.race([forgetAll(), new Promise((resolve) => setTimeout(resolve, 1500))]).then(done, done);
    });
  }
  existingDatabase().then(async (db) => {
    if (!db) return;
    try {
      await forgetEnded(db);
    } finally {
      db.close();
    }
  }).catch(() => {});
}

if (typeof document !== "undefined" && document.querySelector) setup();
