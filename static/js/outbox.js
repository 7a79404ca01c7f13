// The outbox: every record saved on the phone waits here until the server's receipt for it.
// A save writes the record and its outbox entry in ONE transaction, so what the collector
// sees is always what will be sent. Entries are keyed by record id: saving the same id again
// (a double tap, an edit before sync) replaces the waiting copy instead of adding one.

import { STORES, req, withStore } from './db.js';
import { emit } from './bus.js';
import { isoWithOffset } from './format.js';
import { ACCEPTED, CONFLICT, DUPLICATE, REJECTED } from './protocol.js';

export const ATTENTION = new Set([REJECTED, CONFLICT]);

// Put one record and its outbox entry inside `tx` (stores: the record's, outbox, meta).
async function put(tx, type, id, data, label) {
  const outbox = tx.objectStore('outbox');
  const records = tx.objectStore(STORES[type]);
  const meta = tx.objectStore('meta');
  const [old, local, seqRow] = await Promise.all([
    req(outbox.get(id)), req(records.get(id)), req(meta.get('seq'))]);
  const seq = old ? old.seq : ((seqRow && seqRow.value) || 0) + 1;
  if (!old) meta.put({ key: 'seq', value: seq });
  // The server's copy as last pulled, kept to restore if the collector drops this change.
  const pulled = local && local.version
    ? { version: local.version, data: local.data, server: local.server || null } : null;
  const next = {
    id, type, data, label, seq,
    base: old ? old.base : (local ? local.version : 0),
    pulled: old ? old.pulled || null : pulled,
    rev: (old ? old.rev : 0) + 1,
    state: 'waiting', errors: null, current: null,
    client_time: isoWithOffset(), saved_at: Date.now(),
  };
  outbox.put(next);
  records.put({ id, version: local ? local.version : 0, data, server: local ? local.server : null });
  if (old && old.state === 'rejected') requeueDependents(await req(outbox.getAll()), id, outbox);
  return next;
}

/**
 * Save `data` as record `id` of `type`: local copy + outbox entry. Resolves once committed.
 * `label` is a short human description kept for the sync screen.
 */
export async function enqueue(type, id, data, label = '') {
  const stores = [STORES[type], 'outbox', 'meta'];
  const entry = await withStore(stores, 'readwrite', (tx) => put(tx, type, id, data, label));
  emit('outbox', { saved: entry });
  return entry;
}

/** Save several records ([{type, id, data, label}]) in ONE transaction: all of them or none. */
export async function enqueueAll(items) {
  const stores = [...new Set(items.map((i) => STORES[i.type]))];
  const saved = await withStore([...stores, 'outbox', 'meta'], 'readwrite', async (tx) => {
    const out = [];
    for (const i of items) out.push(await put(tx, i.type, i.id, i.data, i.label || ''));
    return out;
  });
  emit('outbox', { saved: saved[saved.length - 1] });
  return saved;
}

/** Every entry, oldest first. */
export function entries() {
  return withStore('outbox', 'readonly', (tx) => req(tx.objectStore('outbox').index('seq').getAll()));
}

export function entry(id) {
  return withStore('outbox', 'readonly', (tx) => req(tx.objectStore('outbox').get(id)));
}

/** {waiting, attention, total} for the strip and the badge. */
export async function summary() {
  const all = await entries();
  const attention = all.filter((e) => ATTENTION.has(e.state)).length;
  return { waiting: all.length - attention, attention, total: all.length };
}

/** Up to `limit` waiting entries in save order, as protocol records (plus the rev sent). */
export async function takeBatch(limit) {
  const all = await entries();
  return all.filter((e) => e.state === 'waiting').slice(0, limit).map((e) => ({
    record: { id: e.id, type: e.type, version: e.base, client_time: e.client_time, data: e.data },
    rev: e.rev, label: e.label,
  }));
}

/**
 * Record the server's receipts for a batch sent earlier, in one transaction. An entry leaves
 * the outbox only on `accepted` / `duplicate`, and only if it was not edited while in flight
 * (then the edit stays, based on the version just stored).
 */
export async function applyReceipts(sent, results) {
  const stores = [...new Set(sent.map((s) => STORES[s.record.type]))];
  const done = [];
  await withStore(['outbox', 'meta', ...stores], 'readwrite', async (tx) => {
    const outbox = tx.objectStore('outbox');
    const meta = tx.objectStore('meta');
    const recentRow = await req(meta.get('recent'));
    const recent = (recentRow && recentRow.value) || [];
    for (let i = 0; i < sent.length; i += 1) {
      const { record, rev, label } = sent[i];
      const result = results[i];
      if (!result || result.id !== record.id) continue; // the server answers in order; be safe
      const current = await req(outbox.get(record.id));
      const same = current && current.rev === rev;
      if (result.status === ACCEPTED || result.status === DUPLICATE) {
        const records = tx.objectStore(STORES[record.type]);
        const local = await req(records.get(record.id));
        if (local) { local.version = result.version; records.put(local); }
        if (same) outbox.delete(record.id);
        else if (current) { current.base = result.version; outbox.put(current); }
        recent.unshift({ id: record.id, type: record.type, label, at: Date.now() });
        done.push(record.id);
      } else if (same && ATTENTION.has(result.status)) {
        current.state = result.status;
        current.errors = result.errors || null;
        current.current = result.current || null;
        current.server_version = result.version;
        outbox.put(current);
      }
    }
    meta.put({ key: 'recent', value: recent.slice(0, 100) });
  });
  emit('outbox', { synced: done });
  return done;
}

// Records rejected because they point at a rejected record go back in the queue with it.
function requeueDependents(all, id, outbox) {
  for (const e of all) {
    if (e.id !== id && e.state === 'rejected' && Object.values(e.data || {}).includes(id)) {
      e.state = 'waiting';
      e.errors = null;
      outbox.put(e);
    }
  }
}

/** Send a record again as it is (after a fix elsewhere), with the records pointing at it. */
export async function resend(id) {
  await withStore('outbox', 'readwrite', async (tx) => {
    const outbox = tx.objectStore('outbox');
    const e = await req(outbox.get(id));
    if (!e) return;
    if (e.state === 'conflict' && e.current) e.base = e.current.version;
    e.state = 'waiting';
    e.errors = null;
    outbox.put(e);
    requeueDependents(await req(outbox.getAll()), id, outbox);
  });
  emit('outbox', { resent: id });
}

// The server said the record is not this user's to see any more (moved out of their areas).
const outOfScope = (e) => e.state === REJECTED && !!e.errors && Object.keys(e.errors).join() === '_';

/** The server's copy to put back when the change of `e` is dropped, or null: none to keep. */
export function serverCopy(e) {
  if (e.base === 0) return null; // a new record: it never existed anywhere else
  if (e.state === CONFLICT && e.current) return e.current.deleted ? null : e.current;
  return outOfScope(e) ? null : e.pulled || null;
}

/**
 * Drop the collector's change of record `id` (rejected or in conflict): the server's copy
 * (the conflict's `current`, else the last one pulled) takes its place, or the record leaves
 * the phone when there is none (a new record, or one out of this user's scope now).
 */
export async function discard(id) {
  await withStore(['outbox', ...Object.values(STORES)], 'readwrite', async (tx) => {
    const e = await req(tx.objectStore('outbox').get(id));
    if (!e || !ATTENTION.has(e.state)) return;
    const records = tx.objectStore(STORES[e.type]);
    const c = serverCopy(e);
    if (c) records.put({ id, version: c.version, data: c.data, server: c.server || null });
    else records.delete(id);
    tx.objectStore('outbox').delete(id);
  });
  emit('outbox', {});
}

/** Conflict: keep the server's copy and drop the local change. */
export const takeServerCopy = discard;
