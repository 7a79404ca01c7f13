// Bring the server's changes into the device: one transaction per page, the cursor saved in
// the same transaction as the records it covers, so a page is applied wholly or not at all.
// A record with an edit still waiting in the outbox keeps the local edit (the server's
// copy arrives again after the push is judged); only its server-owned fields are taken, and
// the server's copy is kept with the outbox entry, to put back if the change is dropped.

import { DATA_STORES, STORES, req, withStore } from './db.js';

// `reset`: the server starts the feed again because this user's areas changed; what the
// device holds from earlier pulls goes first, in the same transaction (records with an edit
// still waiting in the outbox stay until their push is judged).
export async function applyPage(changes, cursor, reset = false) {
  return withStore(['outbox', 'meta', ...DATA_STORES], 'readwrite', async (tx) => {
    const outbox = tx.objectStore('outbox');
    const pending = new Set(await req(outbox.getAllKeys()));
    // What the server holds of a record with a change waiting: null = not visible (any more).
    const pulled = new Map();
    if (reset) {
      for (const key of pending) pulled.set(key, null); // the new feed sends what is still visible
      for (const name of DATA_STORES) {
        const store = tx.objectStore(name);
        for (const key of await req(store.getAllKeys())) {
          if (!pending.has(key)) store.delete(key);
        }
      }
    }
    let applied = 0;
    for (const c of changes) {
      const name = STORES[c.type];
      if (!name) continue;
      const store = tx.objectStore(name);
      if (pending.has(c.id)) {
        pulled.set(c.id, c.deleted ? null : { version: c.version, data: c.data, server: c.server || null });
        if (!c.deleted) {
          const local = await req(store.get(c.id));
          if (local) { local.server = c.server || null; store.put(local); }
        }
      } else if (c.deleted) {
        store.delete(c.id);
      } else {
        store.put({ id: c.id, version: c.version, data: c.data, server: c.server || null });
      }
      applied += 1;
    }
    for (const [id, copy] of pulled) {
      const e = await req(outbox.get(id));
      if (e && e.base !== 0) { e.pulled = copy; outbox.put(e); }
    }
    tx.objectStore('meta').put({ key: 'cursor', value: cursor });
    return applied;
  });
}
