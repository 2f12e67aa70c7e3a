// What the app knows: the overview and household data of this year (from the API, or from the
// IndexedDB snapshot when offline), messages, and whether we are logged in.

import { apiGet, ApiError, OfflineError } from "./api.js";
import { idbClear } from "./idb.js";

export const state = {
  loggedIn: null,        // null: not known yet
  overview: null,
  household: null,
  messages: null,
  snapshotAt: null,      // set when what we show comes from the snapshot (offline)
  online: navigator.onLine,
  loadedAt: 0,
};

export const stateEvents = new EventTarget();
const changed = () => stateEvents.dispatchEvent(new Event("change"));

/** Loads overview + household. Returns true when we have data (fresh or snapshot). */
export async function loadCore({ force = false } = {}) {
  if (!force && state.overview && state.household && Date.now() - state.loadedAt < 60_000) return true;
  try {
    const [ov, hh] = await Promise.all([apiGet("/api/overview"), apiGet("/api/household")]);
    state.overview = ov.data;
    state.household = hh.data;
    state.snapshotAt = ov.snapshot || hh.snapshot || null;
    state.loggedIn = true;
    state.loadedAt = ov.snapshot ? 0 : Date.now();
    changed();
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      state.loggedIn = false;
      changed();
      return false;
    }
    if (e instanceof OfflineError) {
      changed();
      return Boolean(state.overview && state.household);
    }
    throw e;
  }
}

export async function loadMessages() {
  const r = await apiGet("/api/messages");
  state.messages = r.data;
  return r;
}

/** After a change was sent: the next screen loads fresh data. */
export function invalidate() {
  state.loadedAt = 0;
}

export async function forget() {
  state.loggedIn = false;
  state.overview = null;
  state.household = null;
  state.messages = null;
  state.snapshotAt = null;
  await Promise.all([idbClear("snapshot"), idbClear("kv")]).catch(() => {});
  changed();
}

export function toeslagItem(t) {
  return state.overview && state.overview.toeslagen.find((x) => x.toeslag === t);
}
