// What the app knows: the overview and household data of this year (from the API, or from the
// IndexedDB snapshot when offline), messages, and whether we are logged in.

import { apiGet, ApiError, OfflineError } from "./api.js";
import { idbClear } from "./idb.js";

export const state = {
  loggedIn: null,        // null: not known yet
  overview: null,
  household: null,
  messages: null,
  prompts: null,         // the open prompts (GET /api/prompts); null when not known
  snapshotAt: null,      // set when what we show comes from the snapshot (offline)
  online: navigator.onLine,
  loadedAt: 0,
};

export const stateEvents = new EventTarget();
const changed = () => stateEvents.dispatchEvent(new Event("change"));

let householdLoad = null; // GET /api/household of the last load (in flight or done)

/** Loads the overview, the prompts and the household. Returns true when we have data (fresh or
 *  snapshot). The Overzicht does not need the household (the rules input of the change screens):
 *  with `household: false` it is still fetched, but not waited for. */
export async function loadCore({ force = false, household = true } = {}) {
  const fresh = !force && state.overview && Date.now() - state.loadedAt < 60_000;
  try {
    if (fresh && (!household || state.household)) return true;
    if (fresh && householdLoad) {
      await householdLoad.catch(() => null);
      if (state.household) return true;
    }
    // All three in parallel (index.html preloads the overview and the prompts, the first screen's
    // data); the prompts are not worth an error of their own.
    householdLoad = apiGet("/api/household").then((hh) => {
      state.household = hh.data;
      if (hh.snapshot && !state.snapshotAt) state.snapshotAt = hh.snapshot;
      return hh;
    });
    householdLoad.catch(() => null);
    const prompts = apiGet("/api/prompts").catch(() => null);
    const ov = await apiGet("/api/overview");
    const pr = await prompts;
    state.overview = ov.data;
    if (pr) state.prompts = pr.data.prompts || [];
    state.snapshotAt = ov.snapshot || null;
    if (household) await householdLoad;
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
      return Boolean(state.overview && (state.household || !household));
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
  state.prompts = null;
  state.snapshotAt = null;
  await Promise.all([idbClear("snapshot"), idbClear("kv")]).catch(() => {});
  changed();
}

export function toeslagItem(t) {
  return state.overview && state.overview.toeslagen.find((x) => x.toeslag === t);
}
