// IndexedDB, the minimum: one database, and this module is its one schema: the app and the service
// worker (sw.js, a module worker) both import it.
//   snapshot: the last answer of each /api GET (key: the path), for offline use;
//   outbox:   changes not yet sent, with their Idempotency-Key (key: that key);
//   kv:       small things (the last result screen, the install hint shown).

export const DB_NAME = "toeslagen";
export const DB_VERSION = 1;

let dbPromise = null;

export function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains("snapshot")) db.createObjectStore("snapshot");
        if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "key" });
        if (!db.objectStoreNames.contains("kv")) db.createObjectStore("kv");
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error("IndexedDB blocked"));
    });
    dbPromise.catch(() => { dbPromise = null; });
  }
  return dbPromise;
}

function run(store, mode, fn) {
  return openDb().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const os = tx.objectStore(store);
    let result;
    const req = fn(os);
    if (req) req.onsuccess = () => { result = req.result; };
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  }));
}

export const idbGet = (store, key) => run(store, "readonly", (os) => os.get(key));
export const idbPut = (store, value, key) => run(store, "readwrite", (os) => (key === undefined ? os.put(value) : os.put(value, key)));
export const idbDelete = (store, key) => run(store, "readwrite", (os) => os.delete(key));
export const idbAll = (store) => run(store, "readonly", (os) => os.getAll());
export const idbClear = (store) => run(store, "readwrite", (os) => os.clear());
export const idbCount = (store) => run(store, "readonly", (os) => os.count());
