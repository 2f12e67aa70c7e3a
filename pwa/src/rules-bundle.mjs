// The rules bundle: every module of shared_rules/ compiled to MicroPython bytecode (.mpy) in ONE
// file, vendor/rules.mpypack, made by `make build` (pwa/build-rules.mjs). The phone fetches it with
// the runtime and unpacks it into MicroPython's file system; tests/conformance/mp_runner.mjs loads
// it with this same module (.mjs, so Node reads it as an ES module too), so the conformance suite
// checks what the phone runs.
//
// Layout: "TRB1" | header length (uint32, little-endian) | header (JSON, UTF-8) | file bytes.
// The header: {format: 1, rules_version, micropython, mpy: [version, sub-version],
// files: [[path, offset, size], ...]} with paths like "shared_rules/bridge.mpy" and offsets counted
// from the end of the header. rules_version is the sources' (shared_rules/version.py in CPython); the
// bundle also carries it as the module shared_rules._bundled, which version.py prefers.

export const MAGIC = "TRB1";

/** The header and the file bytes of a bundle (an ArrayBuffer or a Uint8Array); throws when it is
 *  not one. */
export function readBundle(buf) {
  const bytes = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (bytes.length < 8 || magic !== MAGIC) throw new Error("rules bundle: not a bundle (magic " + JSON.stringify(magic) + ")");
  const len = new DataView(bytes.buffer, bytes.byteOffset + 4, 4).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len)));
  if (header.format !== 1) throw new Error("rules bundle: unknown format " + header.format);
  return { header, data: bytes.subarray(8 + len) };
}

/** Writes the bundle's files under `root` (default /lib, on MicroPython's sys.path) of an Emscripten
 *  FS. canOwn: the file system keeps views into the fetched buffer instead of copying each file, so
 *  the bytes are copied once, when MicroPython reads a module. Returns the header. */
export function installBundle(FS, buf, root = "/lib") {
  const { header, data } = readBundle(buf);
  const made = new Set();
  for (const [rel, offset, size] of header.files) {
    const target = root + "/" + rel;
    const dir = target.slice(0, target.lastIndexOf("/"));
    if (!made.has(dir)) {
      let cur = "";
      for (const part of dir.split("/").filter(Boolean)) {
        cur += "/" + part;
        if (!FS.analyzePath(cur).exists) FS.mkdir(cur);
      }
      made.add(dir);
    }
    FS.writeFile(target, data.subarray(offset, offset + size), { canOwn: true });
  }
  return header;
}
