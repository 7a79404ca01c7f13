// Instant household search on the phone: an in-memory list of folded "head name, address,
// phone" built once from IndexedDB, so every keystroke is a scan of plain strings (10,000
// households in a few milliseconds). Typing without diacritics finds names with them.
// Digits also look up members' personal IDs through the persons index.

import { req, withStore } from './db.js';
import { fold } from './format.js';
import { on } from './bus.js';

let index = null;
let building = null;

function entryOf(h) {
  const d = h.data || {};
  return { id: h.id, name: fold(d.head_name), text: fold(`${d.head_name || ''} ${d.address || ''} ${d.phone || ''}`) };
}

async function build() {
  const all = await withStore('households', 'readonly', (tx) => req(tx.objectStore('households').getAll()));
  const list = all.map(entryOf);
  list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return list;
}

export async function ensureIndex() {
  if (index) return index;
  if (!building) building = build().then((list) => { index = list; building = null; return list; });
  return building;
}

// Pulled pages change many households at once: rebuild lazily. A save changes one.
on('data', () => { index = null; });
on('outbox', (d) => {
  const e = d && d.saved;
  if (!index || !e || e.type !== 'household') return;
  const fresh = entryOf({ id: e.id, data: e.data });
  const at = index.findIndex((x) => x.id === e.id);
  if (at >= 0) index[at] = fresh; else index.push(fresh);
});

/** Households matching `query` (all words, any order), best first; {items, total}. */
export async function searchHouseholds(query, limit = 50) {
  const list = await ensureIndex();
  const terms = fold(query).split(' ').filter(Boolean);
  const ids = [];
  const seen = new Set();
  for (const e of list) {
    if (terms.every((t) => e.text.includes(t))) { ids.push(e.id); seen.add(e.id); }
  }
  const digits = query.replace(/\D/g, '');
  if (digits.length >= 4 && digits.length === query.replace(/\s/g, '').length) {
    const byPid = await withStore('persons', 'readonly', (tx) => req(tx.objectStore('persons').index('pid')
      .getAll(IDBKeyRange.bound(digits, `${digits}\uffff`), 50)));
    for (const p of byPid) {
      if (!seen.has(p.data.household)) { ids.unshift(p.data.household); seen.add(p.data.household); }
    }
  }
  const shown = ids.slice(0, limit);
  const items = await withStore(['households', 'visits'], 'readonly', async (tx) => {
    const hs = tx.objectStore('households');
    const visits = tx.objectStore('visits').index('household');
    return Promise.all(shown.map(async (id) => {
      const [h, vs] = await Promise.all([req(hs.get(id)), req(visits.getAll(id))]);
      if (!h) return null;
      const last = vs.reduce((m, v) => (!m || m.data.visited_at < v.data.visited_at ? v : m), null);
      return { ...h, lastVisit: last };
    }));
  });
  return { items: items.filter(Boolean), total: ids.length };
}
