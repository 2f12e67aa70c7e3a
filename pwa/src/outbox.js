// The outbox: every change goes through it, online or not. A change is stored in IndexedDB with its
// Idempotency-Key first, then sent; it stays until the server has answered. It is flushed right
// away, on `online`, on app start and through Background Sync where the browser has it (sw.js
// flushes the same store). The server de-duplicates on the key, so a change sent twice (a lost
// answer, page and service worker at once) still arrives exactly once.

import { idbAll, idbDelete, idbGet, idbPut } from "./idb.js";
import { apiSend, ApiError, OfflineError, newKey } from "./api.js";

export const outboxEvents = new EventTarget();
const LOCK = "toeslagen-outbox";

function emit(type, detail) {
  outboxEvents.dispatchEvent(new CustomEvent(type, { detail }));
}

export async function pendingItems() {
  const all = await idbAll("outbox").catch(() => []);
  return all.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.key < b.key ? -1 : 1));
}

/** Stores a change; returns the stored item (with its key). `method` is POST unless said otherwise
 *  (PUT, DELETE); `done` lists answers that count as done too (a DELETE of what is gone: 404);
 *  `meta` is for the screens (e.g. which prompt a dismissal is about). */
export async function enqueue({ path, body, summary, kind, preview, method = "POST", done = [], meta = null }) {
  const item = {
    key: newKey(), path, body, summary, kind, preview: preview || null, method, done, meta,
    created_at: new Date().toISOString(), status: "pending", attempts: 0, error: null,
  };
  await idbPut("outbox", item);
  emit("change", {});
  requestBackgroundSync();
  return item;
}

export async function remove(key) {
  await idbDelete("outbox", key);
  emit("change", {});
}

function requestBackgroundSync() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.ready
    .then((reg) => (reg.sync ? reg.sync.register("outbox") : null))
    .catch(() => {});
}

function withLock(fn) {
  if (navigator.locks && navigator.locks.request) return navigator.locks.request(LOCK, fn);
  return fn();
}

let flushing = null;

/** Sends what is pending, oldest first. Resolves to {sent: [...], left: n, stopped: reason|null}. */
export function flush() {
  if (!flushing) {
    flushing = withLock(flushLocked).finally(() => { flushing = null; });
  }
  return flushing;
}

async function flushLocked() {
  const sent = [];
  let stopped = null;
  for (const listed of await pendingItems()) {
    if (listed.status === "rejected") continue;
    const item = await idbGet("outbox", listed.key); // the service worker may have sent it meanwhile
    if (!item) continue;
    try {
      let result;
      try {
        result = await apiSend(item.method || "POST", item.path, item.body, { key: item.key });
      } catch (e) {
        if (!(e instanceof ApiError && (item.done || []).includes(e.status))) throw e;
        result = null;
      }
      await idbPut("kv", { key: item.key, summary: item.summary, kind: item.kind, body: item.body, result, sent_at: new Date().toISOString() }, "result:" + item.key);
      await idbDelete("outbox", item.key);
      sent.push({ item, result });
      emit("sent", { item, result });
    } catch (e) {
      if (e instanceof OfflineError) { stopped = "offline"; break; }
      if (e instanceof ApiError && e.status === 401) { stopped = "login"; break; }
      if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429) {
        item.status = "rejected";
        item.error = e.message;
        await idbPut("outbox", item);
        emit("rejected", { item });
        continue;
      }
      item.attempts += 1;
      item.error = e.message;
      await idbPut("outbox", item);
      stopped = "server";
      break;
    }
  }
  emit("change", {});
  const left = (await pendingItems()).length;
  return { sent, left, stopped };
}

export async function lastResult(key) {
  return idbGet("kv", "result:" + key).catch(() => null);
}
