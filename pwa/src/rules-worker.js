// The rules worker: MicroPython-wasm running shared_rules, off the main thread.
// Loaded once; writes the shared_rules .py files (fetched from /rules/shared_rules/, the very files
// the server imports) into MicroPython's file system and imports shared_rules.bridge. Every
// preview is ONE call: bridge.call(kind, json_string) -> json_string. Only strings cross the JS /
// Python boundary (numbers >= 2**31 would wrap).

const LIB = "/lib";
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

function mkdirp(FS, dir) {
  let cur = "";
  for (const part of dir.split("/").filter(Boolean)) {
    cur += "/" + part;
    if (!FS.analyzePath(cur).exists) FS.mkdir(cur);
  }
}

async function init(base) {
  const t0 = performance.now();
  const build = await (await fetch(new URL("vendor/build.json", base), { cache: "no-cache" })).json();
  const files = await Promise.all(build.rules.map(async (rel) => {
    const res = await fetch(new URL("rules/shared_rules/" + rel, base));
    if (!res.ok) throw new Error(`rules file ${rel}: HTTP ${res.status}`);
    return [rel, new Uint8Array(await res.arrayBuffer())];
  }));
  const { loadMicroPython } = await import(new URL("vendor/micropython/micropython.mjs", base).href);
  const mp = await loadMicroPython({ stdout: () => {}, stderr: () => {} }); // default heap
  const t1 = performance.now();
  for (const [rel, data] of files) {
    const target = `${LIB}/shared_rules/${rel}`;
    mkdirp(mp.FS, target.slice(0, target.lastIndexOf("/")));
    mp.FS.writeFile(target, data);
  }
  mp.runPython(SHIM);
  const call = mp.globals.get("_call");
  const version = String(mp.globals.get("_rules_version")());
  const t2 = performance.now();
  return { call, version, timing: { load_ms: t1 - t0, import_ms: t2 - t1, ready_ms: t2 - t0, files: files.length } };
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
