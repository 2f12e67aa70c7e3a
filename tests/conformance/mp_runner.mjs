#!/usr/bin/env node
// Run shared_rules in MicroPython-wasm (the runtime the phone uses) from Node.
//
// Usage:
//   node tests/conformance/mp_runner.mjs [--bundle FILE | --rules-dir DIR] [--bench N] < inputs.jsonl
//
// Every input line is {"kind": "calculate"|"preview", "payload": {...}}. For each line one line is
// written to stdout:
//   - normal mode: the string returned by shared_rules.bridge.call(kind, json.dumps(payload));
//   - --bench N:   {"kind": ..., "n": N, "median_us": ..., "min_us": ...}, the time per call.
// In bench mode the first stdout line is {"load_ms": ..., "import_ms": ..., "ready_ms": ...}; in
// both modes the load time is also written to stderr.
//
// The line is handed to MicroPython as a string and parsed there, and the payload crosses into
// bridge.call as a JSON string: numbers never cross the JS/Python boundary (numbers >= 2**31 wrap).
// If bridge.call raises (it should not), the output line is {"uncaught": "<type>", "message": ...}.
//
// What is loaded:
//   --bundle FILE   the bytecode bundle the phone runs (pwa/vendor/rules.mpypack, `make build`),
//                   unpacked with the phone's own loader (pwa/src/rules-bundle.mjs); the
//                   conformance suite uses this;
//   --rules-dir DIR the .py sources (default <repo>/shared_rules, or $SHARED_RULES_DIR), copied
//                   (recursively, __pycache__ skipped) into MicroPython's virtual file system as
//                   /lib/shared_rules/..., whatever the directory is called on disk, and compiled there.

import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript/micropython.mjs";
import { installBundle } from "../../pwa/src/rules-bundle.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "..", "..");
const MP_LIB = "/lib";
const PACKAGE = "shared_rules";

function parseArgs(argv) {
  const opts = { rulesDir: process.env.SHARED_RULES_DIR || path.join(REPO, PACKAGE), bundle: null, bench: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--rules-dir") opts.rulesDir = argv[++i];
    else if (a.startsWith("--rules-dir=")) opts.rulesDir = a.slice("--rules-dir=".length);
    else if (a === "--bundle") opts.bundle = argv[++i];
    else if (a.startsWith("--bundle=")) opts.bundle = a.slice("--bundle=".length);
    else if (a === "--bench") opts.bench = Number.parseInt(argv[++i], 10);
    else if (a.startsWith("--bench=")) opts.bench = Number.parseInt(a.slice("--bench=".length), 10);
    else if (a === "-h" || a === "--help") {
      process.stdout.write("usage: mp_runner.mjs [--bundle FILE | --rules-dir DIR] [--bench N] < inputs.jsonl\n");
      process.exit(0);
    } else {
      process.stderr.write(`mp_runner: unknown argument ${a}\n`);
      process.exit(2);
    }
  }
  if (opts.bench !== 0 && !(opts.bench > 0)) {
    process.stderr.write("mp_runner: --bench needs a positive number of calls\n");
    process.exit(2);
  }
  if (opts.bundle) {
    if (!fs.existsSync(opts.bundle)) {
      process.stderr.write(`mp_runner: no bundle at ${opts.bundle} (make build)\n`);
      process.exit(2);
    }
  } else if (!fs.existsSync(path.join(opts.rulesDir, "__init__.py"))) {
    process.stderr.write(`mp_runner: no package at ${opts.rulesDir} (missing __init__.py)\n`);
    process.exit(2);
  }
  return opts;
}

function mkdirp(FS, dir) {
  let cur = "";
  for (const part of dir.split("/").filter(Boolean)) {
    cur += "/" + part;
    try {
      FS.mkdir(cur);
    } catch (e) {
      // EEXIST: /lib exists already in the pyscript build.
      if (!FS.analyzePath(cur).exists) throw e;
    }
  }
}

// Copy every .py file under srcDir to destDir in the virtual FS; returns the number of files.
function copyTree(FS, srcDir, destDir) {
  mkdirp(FS, destDir);
  let count = 0;
  const entries = fs.readdirSync(srcDir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const src = path.join(srcDir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "__pycache__" || entry.name.startsWith(".")) continue;
      count += copyTree(FS, src, `${destDir}/${entry.name}`);
    } else if (entry.isFile() && entry.name.endsWith(".py")) {
      FS.writeFile(`${destDir}/${entry.name}`, fs.readFileSync(src));
      count += 1;
    }
  }
  return count;
}

// Python side of the runner: parses the line, calls the bridge, never lets an exception escape.
const SHIM = `
import sys, json
if ${JSON.stringify(MP_LIB)} not in sys.path:
    sys.path.insert(0, ${JSON.stringify(MP_LIB)})
import shared_rules.bridge as _bridge

def _uncaught(e):
    return json.dumps({"uncaught": type(e).__name__, "message": str(e)})

def _split(line):
    d = json.loads(line)
    return d["kind"], json.dumps(d["payload"])

def _run_line(line):
    try:
        kind, payload_json = _split(line)
        return _bridge.call(kind, payload_json)
    except Exception as e:
        return _uncaught(e)

def _call(kind, payload_json):
    return _bridge.call(kind, payload_json)
`;

function median(values) {
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round1 = (x) => Math.round(x * 10) / 10;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  // Anything the rules print goes to stderr so that stdout stays one line per input.
  const toStderr = (line) => process.stderr.write(line + "\n");

  const t0 = performance.now();
  const mp = await loadMicroPython({ stdout: toStderr, stderr: toStderr }); // default heap
  const t1 = performance.now();
  const files = opts.bundle
    ? installBundle(mp.FS, fs.readFileSync(opts.bundle), MP_LIB).files.length
    : copyTree(mp.FS, opts.rulesDir, `${MP_LIB}/${PACKAGE}`);
  try {
    mp.runPython(SHIM);
  } catch (e) {
    process.stderr.write(`mp_runner: importing ${PACKAGE}.bridge failed in MicroPython: ${e.type || e.name}: ${e.message}\n`);
    process.exit(3);
  }
  const runLine = mp.globals.get("_run_line");
  const split = mp.globals.get("_split");
  const call = mp.globals.get("_call");
  const t2 = performance.now();
  const timing = { load_ms: round1(t1 - t0), import_ms: round1(t2 - t1), ready_ms: round1(t2 - t0), files };
  process.stderr.write(
    `mp_runner: MicroPython ready in ${timing.ready_ms} ms (runtime ${timing.load_ms} ms, ` +
      `${files} rules files${opts.bundle ? " (.mpy bundle)" : " (.py)"} + import ${timing.import_ms} ms)\n`,
  );
  const out = (s) => process.stdout.write(s + "\n");
  if (opts.bench) out(JSON.stringify(timing));

  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const raw of rl) {
    const line = raw.trim();
    if (!line) continue;
    if (!opts.bench) {
      out(runLine(line));
      continue;
    }
    // Bench: the JSON string is made once, then call(kind, string) is timed, as the PWA does it.
    const [kind, payloadJson] = split(line);
    const probe = call(kind, payloadJson);
    if (!JSON.parse(probe).ok) {
      process.stderr.write(`mp_runner: bench input is not valid: ${probe}\n`);
    }
    const times = [];
    for (let i = 0; i < opts.bench; i++) {
      const a = performance.now();
      call(kind, payloadJson);
      times.push((performance.now() - a) * 1000);
    }
    out(JSON.stringify({ kind, n: opts.bench, median_us: round1(median(times)), min_us: round1(Math.min(...times)) }));
  }
}

main().catch((e) => {
  process.stderr.write(`mp_runner: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
