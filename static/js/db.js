// The device's database: one IndexedDB connection, opened once, shared by every module.
// Schema changes are appended to UPGRADES (never edited), so a phone several versions behind
// runs each step in turn and keeps its outbox through every app update.

const NAME = 'fieldapp';

/** Record stores by protocol type; each value holds {id, version, data, server}. */
export const STORES = {
  household: 'households', person: 'persons', visit: 'visits', enrollment: 'enrollments',
  referral: 'referrals', outreach: 'outreach', payment: 'payments', task: 'payer_tasks',
};
export const DATA_STORES = Object.values(STORES);

const UPGRADES = [
  (db) => {
    db.createObjectStore('meta', { keyPath: 'key' });
    db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('seq', 'seq');
    db.createObjectStore('households', { keyPath: 'id' }).createIndex('area', 'data.area');
    const persons = db.createObjectStore('persons', { keyPath: 'id' });
    persons.createIndex('household', 'data.household');
    persons.createIndex('pid', 'data.personal_id');
    const visits = db.createObjectStore('visits', { keyPath: 'id' });
    visits.createIndex('household', 'data.household');
    visits.createIndex('due', 'data.follow_up_on');
    db.createObjectStore('enrollments', { keyPath: 'id' }).createIndex('person', 'data.person');
    db.createObjectStore('referrals', { keyPath: 'id' });
    db.createObjectStore('outreach', { keyPath: 'id' });
    db.createObjectStore('policy', { keyPath: 'effective_from' });
    db.createObjectStore('tasks', { keyPath: 'key' });
  },
  (db) => {
    // #15: payments taken, and the server's tasks (not 'tasks': that is the Today list's cache).
    db.createObjectStore('payments', { keyPath: 'id' }).createIndex('enrollment', 'data.enrollment');
    db.createObjectStore('payer_tasks', { keyPath: 'id' }).createIndex('household', 'data.household');
  },
];

let opening = null;

/** The open database (opened on first use). */
export function openDB() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(NAME, UPGRADES.length);
      req.onupgradeneeded = (event) => {
        for (let v = event.oldVersion; v < UPGRADES.length; v += 1) UPGRADES[v](req.result, req.transaction);
      };
      req.onsuccess = () => {
        const db = req.result;
        // A newer tab wants to upgrade: let it, and reload into the new version.
        db.onversionchange = () => { db.close(); location.reload(); };
        resolve(db);
      };
      req.onerror = () => { opening = null; reject(req.error); };
      req.onblocked = () => console.warn('database upgrade waits for another tab to close');
    });
  }
  return opening;
}

/** A request as a promise (await it only inside the transaction that made it). */
export function req(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Run fn(tx) in one transaction over `names`; resolves with fn's result once the transaction
 * has committed. fn may await IndexedDB requests only: never the network (the transaction
 * would end under it).
 */
export async function withStore(names, mode, fn) {
  const db = await openDB();
  const tx = db.transaction(names, mode, { durability: 'strict' });
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error || new DOMException('transaction aborted', 'AbortError'));
  });
  let value;
  try {
    value = await fn(tx);
  } catch (err) {
    try { tx.abort(); } catch (_) { /* already finished */ }
    await done.catch(() => {});
    throw err;
  }
  await done;
  return value;
}

export const getOne = (store, key) => withStore(store, 'readonly', (tx) => req(tx.objectStore(store).get(key)));
export const getAll = (store) => withStore(store, 'readonly', (tx) => req(tx.objectStore(store).getAll()));
export const countOf = (store) => withStore(store, 'readonly', (tx) => req(tx.objectStore(store).count()));

/** Every record of `store` whose `index` equals `key`. */
export function byIndex(store, index, key) {
  return withStore(store, 'readonly', (tx) => req(tx.objectStore(store).index(index).getAll(key)));
}

/** meta: small named values (token, user, cursor, last sync, settings). */
export async function getMeta(key, fallback = null) {
  const row = await getOne('meta', key);
  return row ? row.value : fallback;
}

export function setMeta(key, value) {
  return withStore('meta', 'readwrite', (tx) => { tx.objectStore('meta').put({ key, value }); });
}

/** Empty every store (sign-out): the next user starts from nothing. */
export function clearAll() {
  return openDB().then((db) => withStore([...db.objectStoreNames], 'readwrite', (tx) => {
    for (const name of db.objectStoreNames) tx.objectStore(name).clear();
  }));
}
