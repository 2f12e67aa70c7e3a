// The API client. JSON both ways; errors are RFC 9457 problem+json with a Dutch `detail`.
// Every changing request carries the CSRF header (X-Requested-With) and, where the server honours
// it, an Idempotency-Key. GETs of the household are kept as a snapshot in IndexedDB (the service
// worker does this too); offline, the snapshot answers and the result says so.

import { idbGet, idbPut } from "./idb.js";

export const CSRF_HEADER = "X-Requested-With";
const CSRF_VALUE = "toeslagen-pwa";
const SNAPSHOT_HEADER = "X-Toeslagen-Snapshot";

/** Whether the last request failed for lack of a network (navigator.onLine alone is not reliable:
 *  it says true on a wifi without internet, and after a reload in some browsers). */
export const net = { down: false };
export const netEvents = new EventTarget();
function setDown(down) {
  if (net.down !== down) {
    net.down = down;
    netEvents.dispatchEvent(new Event("change"));
  }
}
export const isOffline = () => !navigator.onLine || net.down;

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.detail) || `Er ging iets mis (${status}).`);
    this.status = status;
    this.problem = problem || {};
    this.field = this.problem.field || null;
  }
}

export class OfflineError extends Error {
  constructor() {
    super("Je bent offline. Dit lukt pas als je weer verbinding hebt.");
  }
}

export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

async function problemOf(res) {
  try {
    return await res.json();
  } catch {
    return null;
  }
}

/** GET /api/...: {data, snapshot: null | saved_at}. Falls back to the IndexedDB snapshot offline. */
export async function apiGet(path, { snapshot = true } = {}) {
  let res;
  try {
    res = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  } catch {
    setDown(true);
    if (snapshot) {
      const snap = await idbGet("snapshot", path).catch(() => null);
      if (snap) return { data: snap.body, snapshot: snap.saved_at };
    }
    throw new OfflineError();
  }
  if (!res.ok) {
    const problem = await problemOf(res);
    if (res.status === 503 && res.headers.get("X-Toeslagen-Offline")) {
      // offline behind the service worker, which keeps snapshots of some paths only: this page's own
      // snapshot (e.g. /api/years?year=2027, saved when it was last seen online) still answers
      setDown(true);
      const snap = snapshot ? await idbGet("snapshot", path).catch(() => null) : null;
      if (snap) return { data: snap.body, snapshot: snap.saved_at };
      throw new OfflineError();
    }
    setDown(false);
    throw new ApiError(res.status, problem);
  }
  const data = await res.json();
  const savedAt = res.headers.get(SNAPSHOT_HEADER);
  setDown(Boolean(savedAt));
  if (savedAt) return { data, snapshot: savedAt };
  if (snapshot) idbPut("snapshot", { body: data, saved_at: new Date().toISOString() }, path).catch(() => {});
  return { data, snapshot: null };
}

/** POST/DELETE with the CSRF header; `key` becomes the Idempotency-Key. */
export async function apiSend(method, path, body, { key } = {}) {
  const headers = { Accept: "application/json", [CSRF_HEADER]: CSRF_VALUE };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (key) headers["Idempotency-Key"] = key;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    setDown(true);
    throw new OfflineError();
  }
  if (res.status === 503 && res.headers.get("X-Toeslagen-Offline")) { setDown(true); throw new OfflineError(); }
  setDown(false);
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  if (res.status === 204) return null;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

export const apiPost = (path, body, opts) => apiSend("POST", path, body, opts);
export const apiDelete = (path, opts) => apiSend("DELETE", path, undefined, opts);

/** Is the API reachable? (A GET that the service worker passes through and never snapshots.) */
export async function probe() {
  try {
    const res = await fetch("/api/ping", { cache: "no-store" });
    setDown(!res.ok && res.status === 503 && !!res.headers.get("X-Toeslagen-Offline"));
  } catch {
    setDown(true);
  }
  return !net.down;
}
