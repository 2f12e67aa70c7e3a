/* The service worker (a module worker: registered with type "module" by src/app.js).
 * - Precaches the shell, the MicroPython runtime and the rules bundle. The list comes from
 *   vendor/build.js (written by `make build`) with a revision per file, a hash of its content: a new
 *   build fetches only the files whose revision changed and keeps the rest (Workbox's precache
 *   manifest does the same). Each file is kept under its URL plus ?__rev=<revision>.
 * - Serves precached files from the cache without a network round trip; anything else from the
 *   network.
 * - /api GETs: network first; each answer is kept in IndexedDB (the household snapshot), and
 *   offline the snapshot answers, marked with the X-Toeslagen-Snapshot header.
 * - POSTs are never cached. Background Sync ("outbox") sends the outbox the app filled.
 * - Web Push: `push` shows the reminder ({title, body, url, tag}; unknown keys are ignored);
 *   `notificationclick` focuses the app (or opens it) at `url`, resolved against the scope.
 * IndexedDB is src/idb.js, the same module the app uses (one schema).
 */
import { BUILD } from "./vendor/build.js";
import { idbDelete, idbGet, idbAll, idbPut } from "./src/idb.js";

const CACHE = "toeslagen-precache";
const SNAPSHOT_PATHS = [/^\/api\/overview$/, /^\/api\/household$/, /^\/api\/messages$/, /^\/api\/history$/, /^\/api\/prompts$/,
  /^\/api\/childcare$/, /^\/api\/years$/];
const SCOPE = new URL("./", self.location.href);
// URL (absolute, no query) -> the cache key of its current revision
const KEYS = new Map(BUILD.precache.map(([url, rev]) => [new URL(url, SCOPE).href, cacheKey(url, rev)]));

function cacheKey(url, rev) {
  const u = new URL(url, SCOPE);
  u.searchParams.set("__rev", rev);
  return u.href;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const have = new Set((await cache.keys()).map((r) => r.url));
    // Only what this build changed (or what is missing). cache: "no-cache" revalidates with the
    // server: a file the page has just loaded costs a 304, not a second download.
    await Promise.all(BUILD.precache.filter(([url, rev]) => !have.has(cacheKey(url, rev))).map(async ([url, rev]) => {
      const res = await fetch(new Request(url, { cache: "no-cache", credentials: "same-origin" }));
      if (!res.ok) throw new Error(`precache ${url}: HTTP ${res.status}`);
      await cache.put(cacheKey(url, rev), res);
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    // earlier service workers kept one cache per build (toeslagen-<version>)
    for (const key of await caches.keys()) {
      if (key.startsWith("toeslagen-") && key !== CACHE) await caches.delete(key);
    }
    const cache = await caches.open(CACHE);
    const current = new Set(KEYS.values());
    for (const req of await cache.keys()) {
      if (!current.has(req.url)) await cache.delete(req);
    }
    await self.clients.claim();
  })());
});

// -- fetch ---------------------------------------------------------------------------------------
self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return; // never cache POST/DELETE
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) {
    event.respondWith(apiGet(req, url));
    return;
  }
  if (url.pathname.startsWith("/schema") || url.pathname.startsWith("/feeds/")) return;
  event.respondWith(fromCache(req));
});

async function apiGet(req, url) {
  const key = url.pathname + url.search;
  const snapshotable = SNAPSHOT_PATHS.some((re) => re.test(url.pathname));
  try {
    const res = await fetch(req);
    if (res.ok && snapshotable) {
      const body = await res.clone().json().catch(() => null);
      if (body) await idbPut("snapshot", { body, saved_at: new Date().toISOString() }, key).catch(() => {});
    }
    return res;
  } catch (e) {
    const snap = snapshotable ? await idbGet("snapshot", key).catch(() => null) : null;
    if (snap) {
      return new Response(JSON.stringify(snap.body), {
        status: 200,
        headers: { "Content-Type": "application/json", "X-Toeslagen-Snapshot": snap.saved_at },
      });
    }
    return new Response(JSON.stringify({ type: "about:blank", title: "Offline", status: 503, detail: "Je bent offline. Dit lukt pas als je weer verbinding hebt." }), {
      status: 503,
      headers: { "Content-Type": "application/problem+json", "X-Toeslagen-Offline": "1" },
    });
  }
}

async function fromCache(req) {
  const url = new URL(req.url);
  url.search = "";
  url.hash = "";
  const key = req.mode === "navigate" ? KEYS.get(new URL("index.html", SCOPE).href) : KEYS.get(url.href);
  if (key) {
    const hit = await caches.match(key, { cacheName: CACHE, ignoreVary: true });
    if (hit) return hit;
  }
  try {
    return await fetch(req);
  } catch (e) {
    return new Response("offline", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}

// -- Background Sync: send the outbox (the app does the same on start and on `online`) ----------
self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") event.waitUntil(withLock(flushOutbox));
});

function withLock(fn) {
  if (self.navigator.locks && self.navigator.locks.request) return self.navigator.locks.request("toeslagen-outbox", fn);
  return fn();
}

async function flushOutbox() {
  const items = (await idbAll("outbox")) || [];
  items.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.key < b.key ? -1 : 1));
  let sent = 0;
  for (const listed of items) {
    if (listed.status === "rejected") continue;
    const item = await idbGet("outbox", listed.key);
    if (!item) continue;
    let res;
    try {
      res = await fetch(item.path, {
        method: item.method || "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-Requested-With": "toeslagen-pwa", "Idempotency-Key": item.key },
        body: JSON.stringify(item.body),
      });
    } catch (e) {
      throw e; // offline: the browser retries the sync later
    }
    if (res.ok || (item.done || []).includes(res.status)) {
      const result = res.ok ? await res.json().catch(() => null) : null;
      await idbPut("kv", { key: item.key, summary: item.summary, kind: item.kind, body: item.body, result, sent_at: new Date().toISOString() }, "result:" + item.key);
      await idbDelete("outbox", item.key);
      sent += 1;
    } else if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 408 && res.status !== 429) {
      const problem = await res.json().catch(() => ({}));
      item.status = "rejected";
      item.error = problem.detail || "De wijziging is niet verwerkt.";
      await idbPut("outbox", item);
    } else {
      break; // not logged in or server trouble: the app tries again on start
    }
  }
  if (sent) {
    for (const c of await self.clients.matchAll()) c.postMessage({ type: "outbox-sent", sent });
  }
}

// -- Web Push (api/push/PUSH.md) ------------------------------------------------------------------
const DEFAULT_TITLE = "Toeslagen";

/** The notification for a push payload: {title, body, url, tag}; anything else is ignored. A
 *  payload that is not JSON still shows (its text as the body), so a reminder is never lost. */
function notificationOf(data) {
  let p = {};
  if (data) {
    try { p = data.json(); } catch (e) { p = { body: data.text() }; }
  }
  if (!p || typeof p !== "object") p = {};
  const str = (v, max) => (typeof v === "string" ? v.slice(0, max) : "");
  return {
    title: str(p.title, 200) || DEFAULT_TITLE,
    options: {
      body: str(p.body, 1000),
      tag: str(p.tag, 200) || undefined,
      data: { url: str(p.url, 2000) || "./#/overzicht" },
      icon: "icons/icon-192.png",
      badge: "icons/icon-192.png",
      lang: "nl",
    },
  };
}

self.addEventListener("push", (event) => {
  const n = notificationOf(event.data);
  event.waitUntil(self.registration.showNotification(n.title, n.options));
});

/** Where a notification leads: its url resolved against the scope, same origin only (else the
 *  Overzicht). */
function targetOf(url) {
  const scope = self.registration.scope;
  let target;
  try { target = new URL(url || "./#/overzicht", scope); } catch (e) { target = null; }
  if (!target || target.origin !== self.location.origin) target = new URL("./#/overzicht", scope);
  return target;
}

/** What a tap on a notification does (the notificationclick handler and nothing else calls this;
 *  the test hook below hands it a shown notification). Focuses an open window of the app and asks
 *  it to show the screen; opens a new window when there is none. */
async function openFromNotification(notification) {
  notification.close();
  const target = targetOf(notification.data && notification.data.url);
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const scope = self.registration.scope;
  const open = windows.find((c) => c.url.startsWith(scope)) || null;
  if (open) {
    const focused = await open.focus().catch(() => open);
    (focused || open).postMessage({ type: "open", hash: target.hash || "#/overzicht" });
    return { focused: true, url: target.href };
  }
  await self.clients.openWindow(target.href);
  return { focused: false, url: target.href };
}

self.addEventListener("notificationclick", (event) => {
  event.waitUntil(openFromNotification(event.notification));
});

// A tap on a notification cannot be simulated in a headless browser; the e2e test asks for one
// through this message and the same function runs. It can only "tap" a notification this app
// showed, and only from a window of the app itself.
self.addEventListener("message", (event) => {
  const msg = event.data;
  if (!msg || msg.type !== "test:notificationclick" || typeof msg.tag !== "string") return;
  event.waitUntil((async () => {
    const list = await self.registration.getNotifications({ tag: msg.tag });
    const reply = list.length ? await openFromNotification(list[0]) : { error: "no notification" };
    if (event.source) event.source.postMessage({ type: "test:notificationclick", ...reply });
  })());
});
