// The sync engine: push the outbox in batches, then pull with the saved cursor until the
// server has nothing more. Runs on start, when the network returns, every few minutes, after
// a save, and on demand; one cycle at a time; failures back off exponentially with jitter.
// Nothing here awaits the network inside an IndexedDB transaction: batches are read, the
// transaction ends, the request goes out, and receipts are written in a new transaction.

import { api, APP_VERSION } from './api.js';
import { emit, on } from './bus.js';
import { ctx } from './context.js';
import { getMeta, setMeta } from './db.js';
import { applyReceipts, summary, takeBatch } from './outbox.js';
import { PROTOCOL_VERSION } from './protocol.js';
import { applyPage } from './pull.js';
import { bootstrap, markSignedOutByServer } from './session.js';

const BATCH = 500;
const PAGE = 1000;
const EVERY_MS = 3 * 60 * 1000;
const BACKOFF_BASE_MS = 4000;
const BACKOFF_MAX_MS = 5 * 60 * 1000;

export const status = { phase: 'idle', online: navigator.onLine, lastSync: null, error: null,
  sent: 0, pulled: 0, failures: 0, nextTry: null };

let running = null;
let again = false;
let timer = null;
let started = false;

function publish(patch = {}) {
  Object.assign(status, patch, { online: navigator.onLine });
  emit('sync', { ...status });
}

async function pushAll() {
  let size = BATCH;
  let heartbeat = false;
  let judged = 0;
  for (;;) {
    const batch = await takeBatch(size);
    if (!batch.length && heartbeat) return judged;
    const { total } = await summary();
    publish({ phase: 'push', sent: batch.length });
    let reply;
    try {
      reply = await api('POST', '/sync/push', { token: ctx.token, body: {
        protocol: PROTOCOL_VERSION, device: { outbox: total, app_version: APP_VERSION },
        records: batch.map((b) => b.record) } });
    } catch (err) {
      if (err.status === 413 && size > 1) { size = Math.ceil(size / 2); continue; }
      throw err;
    }
    heartbeat = true;
    const done = await applyReceipts(batch, reply.results || []);
    const answered = (reply.results || []).length;
    judged += answered;
    if (!batch.length || answered === 0 || (done.length === 0 && answered < batch.length)) return judged;
  }
}

async function fetchPage(cursor) {
  const q = `limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  return api('GET', `/sync/pull?${q}`, { token: ctx.token });
}

// Pages are fetched one ahead: while page n is written to IndexedDB, page n+1 travels. The
// cursor is saved with the page it covers, so a stop at any point resumes without a gap.
async function pullAll() {
  let cursor = await getMeta('cursor');
  let pulled = 0;
  publish({ phase: 'pull', pulled });
  let next = fetchPage(cursor).catch((err) => {
    // A cursor this server no longer accepts (its secret changed): start again from zero.
    if (err.status === 400 && cursor) return fetchPage(null);
    throw err;
  });
  for (;;) {
    const page = await next;
    if (page.more) next = fetchPage(page.cursor);
    next.catch(() => {}); // its failure is handled when it is awaited
    await applyPage(page.changes, page.cursor, page.reset === true);
    // This user's areas changed on the server: the villages offered in forms change too.
    if (page.reset) await bootstrap().catch(() => {});
    cursor = page.cursor;
    pulled += page.changes.length;
    publish({ phase: 'pull', pulled });
    if (page.changes.length || page.reset) emit('data', { pulled: page.changes.length });
    if (!page.more) return pulled;
  }
}

async function cycle() {
  if (!ctx.token) return;
  publish({ phase: 'push', error: null });
  try {
    const pushed = await pushAll();
    const pulled = await pullAll();
    const now = Date.now();
    await setMeta('last_sync', now);
    publish({ phase: 'idle', lastSync: now, failures: 0, error: null, nextTry: null });
    if (pushed || pulled) emit('synced', { pushed, pulled });
  } catch (err) {
    if (err.status === 401) {
      await markSignedOutByServer();
      publish({ phase: 'idle', error: 'unauthorized' });
      emit('signed-out', { byServer: true });
      return;
    }
    const failures = status.failures + 1;
    const transient = err.transient !== false;
    const wait = transient ? backoff(failures) : BACKOFF_MAX_MS;
    publish({ phase: 'idle', error: err.code || 'error', errorMessage: err.message, failures,
      nextTry: Date.now() + wait });
    schedule(wait);
  }
}

/** 4 s, 8 s, 16 s … up to 5 minutes, each scaled by a random 50–100 % so phones spread out. */
export function backoff(failures) {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 16));
  return Math.round(ceiling * (0.5 + Math.random() / 2));
}

/** Run one sync cycle now (or right after the running one); resolves when it is over. */
export function syncNow() {
  if (running) { again = true; return running; }
  clearTimeout(timer);
  timer = null;
  running = (async () => {
    try {
      do { again = false; await cycle(); } while (again && ctx.token);
    } finally { running = null; }
  })();
  return running;
}

function schedule(ms) {
  clearTimeout(timer);
  timer = setTimeout(() => { timer = null; if (navigator.onLine) syncNow(); }, ms);
}

/** Start the triggers (once): now, online, every few minutes, and soon after each save. */
export async function startSync() {
  status.lastSync = await getMeta('last_sync');
  publish();
  if (started) { syncNow(); return; }
  started = true;
  window.addEventListener('online', () => { publish({ failures: 0 }); syncNow(); });
  window.addEventListener('offline', () => publish());
  setInterval(() => { if (navigator.onLine && !running && !timer) syncNow(); }, EVERY_MS);
  on('outbox', (d) => { if (d && d.saved && navigator.onLine && !status.failures) schedule(800); });
  if (navigator.onLine) syncNow();
}
