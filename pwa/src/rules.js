// The phone's rules: shared_rules in MicroPython-wasm (in a worker, see rules-worker.js).
// loadRules() starts it once; preview(input) and previewChange(household, change) are one call into
// Python each, with a JSON string, and give
// the parsed answer {ok, result} or {ok: false, error}. Inputs that come in while a preview runs are
// coalesced: only the newest one is computed next (typing stays fast on a slow phone).

let worker = null;
let initPromise = null;
let seq = 0;
const pending = new Map();
export const rulesState = { version: null, timing: null, error: null };

function send(msg) {
  const id = ++seq;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    worker.postMessage({ ...msg, id });
  });
}

export function loadRules() {
  if (!initPromise) {
    initPromise = (async () => {
      worker = new Worker(new URL("./rules-worker.js", import.meta.url), { type: "module" });
      worker.onmessage = (ev) => {
        const resolve = pending.get(ev.data.id);
        pending.delete(ev.data.id);
        if (resolve) resolve(ev.data);
      };
      worker.onerror = (ev) => {
        rulesState.error = ev.message || "worker error";
        for (const resolve of pending.values()) resolve({ ok: false, error: rulesState.error });
        pending.clear();
      };
      const base = new URL("../", import.meta.url).href;
      const r = await send({ type: "init", base });
      if (!r.ok) {
        rulesState.error = r.error;
        initPromise = null;
        worker.terminate();
        throw new Error(r.error);
      }
      rulesState.version = r.version;
      rulesState.timing = r.timing;
      performance.mark("app:rules-ready");
      return r.version;
    })();
  }
  return initPromise;
}

async function callRaw(kind, payloadJson) {
  await loadRules();
  const r = await send({ type: "call", kind, payload: payloadJson });
  if (!r.ok) return { ok: false, error: r.error };
  return JSON.parse(r.result);
}

// Latest-wins queue for previews.
let running = null;
let queued = null;

function latest(kind, input) {
  const json = JSON.stringify(input);
  return new Promise((resolve) => {
    if (queued) queued.resolve({ ok: false, stale: true });
    queued = { kind, json, resolve };
    pump();
  });
}

/** One preview through shared_rules.bridge.call("preview", JSON). Resolves to {ok, result|error};
 *  a call that was overtaken by a newer one resolves to {ok: false, stale: true}. */
export function preview(input) {
  return latest("preview", input);
}

/** The preview of a change the parent describes (the body of POST /api/changes, or null for none):
 *  ONE call into shared_rules.changes.preview_change with the household's facts from
 *  GET /api/household, the very function the server previews and decides with. A change the facts
 *  do not allow resolves to {ok: false, refused: "<plain Dutch>", field}. */
export function previewChange(hh, change, yearInput = null, later = null) {
  // `yearInput`: the `rules_input` of another open year (GET /api/years: next year's, or a past
  // year's with its final incomes); that year's preview, with that year's parameters, offline too.
  // `later` (laterInputs): the answer's `carried_forward` previews the later years the change holds in
  const ri = yearInput || hh.rules_input;
  const input = { today: ri.today, household: hh.facts, paid: ri.paid };
  if (ri.cautious) input.cautious = ri.cautious;
  if (yearInput) {
    input.year = yearInput.year;
    if (yearInput.finals) input.finals = yearInput.finals;
  }
  if (change) input.change = change;
  if (change && later && later.length) {
    input.later = later.map(({ year, paid, cautious }) => (cautious ? { year, paid, cautious } : { year, paid }));
  }
  return latest("change", input);
}

function pump() {
  if (running || !queued) return;
  const job = queued;
  queued = null;
  running = callRaw(job.kind, job.json)
    .catch((e) => ({ ok: false, error: String(e.message || e) }))
    .then((r) => {
      running = null;
      job.resolve(r);
      pump();
    });
}

export function calculate(situation) {
  return callRaw("calculate", JSON.stringify(situation));
}
