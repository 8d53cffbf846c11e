// SPDX-License-Identifier: Apache-2.0
// @ts-check
// A tiny IndexedDB key–value store. The widget only ever stores ciphertext
// in it: the sealed vault, as `{ sealed: Uint8Array, revision }` (vault.js);
// and, once sync is on, this browser's device id and the name the patient
// gave it (sync-screen.js: random, and what the other devices show).
const DB_NAME = 'chartlock';
const STORE = 'blobs';

/** @returns {Promise<IDBDatabase>} */
function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => {
      // A delete (here or in another tab) must never wait on us.
      req.result.onversionchange = () => req.result.close();
      resolve(req.result);
    };
    req.onerror = () => reject(req.error);
  });
}

/**
 * What `fn`'s request gives, once its transaction has completed.
 * @template T
 * @param {IDBTransactionMode} mode
 * @param {(store: IDBObjectStore) => IDBRequest<T>} fn
 * @returns {Promise<T>}
 */
async function run(mode, fn) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** @type {(key: string) => Promise<unknown>} */
export const idbGet = (key) => run('readonly', (s) => s.get(key));
/** @type {(key: string, value: unknown) => Promise<IDBValidKey>} */
export const idbPut = (key, value) => run('readwrite', (s) => s.put(value, key));

// "Delete everything" deletes the database itself, not just its rows, and
// resolves only once it is gone: every connection of ours closes on
// versionchange, so a "blocked" delete (a save in flight, another tab) still
// completes, and we wait for that rather than telling the patient too early.
/** @returns {Promise<void>} */
export function idbDestroy() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(DB_NAME);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
  });
}
