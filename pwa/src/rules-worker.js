// The rules worker: MicroPython-wasm running shared_rules, off the main thread.
// Loaded once (rules.js starts it when the shell is idle after the first render). It fetches at once,
// in parallel: the rules bundle (every shared_rules module as MicroPython bytecode in one file,
// vendor/rules.mpypack, made by `make build` from the very .py files the server imports; see
// rules-bundle.mjs) and the runtime (micropython.mjs and micropython.wasm). The bundle is unpacked into MicroPython's file system without a copy per module, and
// shared_rules.bridge is imported from bytecode: nothing is compiled on the phone. Every preview is
// ONE call: bridge.call(kind, json_string) -> json_string. Only strings cross the JS / Python
// boundary (numbers >= 2**31 would wrap).

const BUNDLE = "vendor/rules.mpypack";
const RUNTIME = "vendor/micropython/micropython.mjs";
const WASM = "vendor/micropython/micropython.wasm";
const SHIM = `
import sys
if "/lib" not in sys.path:
    sys.path.insert(0, "/lib")
import shared_rules.bridge as _bridge
from shared_rules.version import rules_version as _rules_version

def _call(kind, payload_json):
    try:
        return _bridge.call(kind, payload_json)
    except Exception as e:
        import json
        return json.dumps({"ok": False, "error": "intern: " + type(e).__name__ + ": " + str(e)})
`;

let ready = null;

async function init(base) {
  const t0 = performance.now();
  const bundle = fetch(new URL(BUNDLE, base)).then((res) => {
    if (!res.ok) throw new Error(`rules bundle: HTTP ${res.status}`);
    return res.arrayBuffer();
  });
  // micropython.mjs fetches the wasm (the biggest file) only once it has been downloaded and run:
  // one round trip and a download later on a slow network. So the wasm is requested now, with the
  // rest, and handed to the runtime's own fetch of that URL (loadMicroPython takes a wasm URL, no
  // bytes). Any other request, or a runtime that fetches differently, goes to the network as usual.
  const wasmUrl = new URL(WASM, base).href;
  let wasm = fetch(wasmUrl, { credentials: "same-origin" });
  wasm.catch(() => {}); // offline: the runtime's fetch reports it
  const netFetch = self.fetch;
  self.fetch = (input, init) => {
    if (wasm && String(input) === wasmUrl) {
      const early = wasm;
      wasm = null;
      return early;
    }
    return netFetch.call(self, input, init);
  };
  let mp, header;
  try {
    const [{ loadMicroPython }, { installBundle }, bytes] = await Promise.all([
      import(new URL(RUNTIME, base).href),
      import("./rules-bundle.mjs"),
      bundle,
    ]);
    mp = await loadMicroPython({ url: wasmUrl, stdout: () => {}, stderr: () => {} }); // default heap
    header = installBundle(mp.FS, bytes);
  } finally {
    self.fetch = netFetch;
    wasm = null;
  }
  const t1 = performance.now();
  mp.runPython(SHIM);
  const call = mp.globals.get("_call");
  const version = String(mp.globals.get("_rules_version")());
  const t2 = performance.now();
  return { call, version, timing: { load_ms: t1 - t0, import_ms: t2 - t1, ready_ms: t2 - t0, files: header.files.length } };
}

self.onmessage = async (ev) => {
  const { id, type, kind, payload, base } = ev.data;
  try {
    if (type === "init") {
      if (!ready) ready = init(base);
      const r = await ready;
      self.postMessage({ id, ok: true, version: r.version, timing: r.timing });
      return;
    }
    const r = await ready;
    const t = performance.now();
    const out = r.call(kind, payload); // payload is a JSON string; so is the answer
    self.postMessage({ id, ok: true, result: String(out), ms: performance.now() - t });
  } catch (e) {
    if (type === "init") ready = null;
    self.postMessage({ id, ok: false, error: String((e && e.message) || e) });
  }
};
