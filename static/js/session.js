// Signing in pairs this phone with the server (a device token kept in IndexedDB, never a
// cookie); signing out revokes it and wipes the user's data from the phone.

import { api, ApiError } from './api.js';
import { clearAll, DATA_STORES, getMeta, req, withStore } from './db.js';
import { lang } from './i18n.js';
import { ctx, loadContext } from './context.js';
import { summary } from './outbox.js';
import { PUSH_ROLES } from './protocol.js';

export const APP_ROLES = PUSH_ROLES;

function deviceName() {
  const ua = navigator.userAgent;
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows'
    : /Mac OS/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : 'web';
  const browser = (/(Chrome|Firefox|Safari)\/(\d+)/.exec(ua) || [null, 'browser', ''])
    .slice(1).join(' ').trim();
  return `${os} · ${browser}`.slice(0, 100);
}

/** Who owns the data on this phone (even after the token was revoked), or null. */
export const owner = () => getMeta('owner');

/**
 * Pair this phone as `username`. Another user's records still waiting on the phone are never
 * dropped silently: pass `discardOthers` only after the person confirmed.
 */
export async function signIn(username, password, { discardOthers = false } = {}) {
  const previous = await owner();
  const sameUser = previous && previous.toLowerCase() === username.trim().toLowerCase();
  if (previous && !sameUser && !discardOthers) {
    const { total } = await summary();
    if (total > 0) return { blocked: previous, unsynced: total };
  }
  const paired = await api('POST', '/devices', {
    body: { username: username.trim(), password, device_name: deviceName() } });
  if (!APP_ROLES.includes(paired.user.role)) {
    await api('DELETE', '/devices/current', { token: paired.token }).catch(() => {});
    throw new ApiError(403, 'wrong_role', 'This app is for collectors and village heads.');
  }
  if (previous && !sameUser) await clearAll();
  await withStore('meta', 'readwrite', (tx) => {
    const meta = tx.objectStore('meta');
    meta.put({ key: 'token', value: paired.token });
    meta.put({ key: 'device_id', value: paired.device_id });
    meta.put({ key: 'user', value: paired.user });
    meta.put({ key: 'owner', value: paired.user.username });
    meta.put({ key: 'lang', value: lang() });
  });
  await loadContext();
  await bootstrap();
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  return { user: paired.user };
}

/** Fetch what the device needs before its first pull: areas, labels, premium parameters. */
export async function bootstrap() {
  const boot = await api('GET', '/bootstrap', { token: ctx.token });
  const labels = { ...(await getMeta('labels', {})), [lang()]: boot.labels };
  await withStore(['meta', 'policy'], 'readwrite', (tx) => {
    const meta = tx.objectStore('meta');
    meta.put({ key: 'bootstrap', value: { areas: boot.areas, choices: boot.choices, server_time: boot.server_time } });
    meta.put({ key: 'labels', value: labels });
    if (boot.user) meta.put({ key: 'user', value: { ...ctx.user, ...boot.user } });
    const policy = tx.objectStore('policy');
    policy.clear();
    for (const set of boot.policy || []) policy.put(set);
  });
  return loadContext();
}

/**
 * Sign out. With records not yet synced, resolves {unsynced: n} and does nothing unless
 * `force` (the person confirmed they accept losing them).
 */
export async function signOut({ force = false } = {}) {
  const { total } = await summary();
  if (total > 0 && !force) return { unsynced: total };
  if (ctx.token && navigator.onLine) {
    await api('DELETE', '/devices/current', { token: ctx.token, timeout: 5000 }).catch(() => {});
  }
  const keepLang = lang();
  await clearAll();
  await withStore('meta', 'readwrite', (tx) => { tx.objectStore('meta').put({ key: 'lang', value: keepLang }); });
  await loadContext();
  return { done: true };
}

/**
 * The server no longer knows this token (revoked, or expired): ask for a new sign-in, and
 * at once drop the register pulled from the server (other people's records), keeping only
 * what this user saved and has not sent (the outbox, with the records it holds), so a new
 * sign-in sends it. The next pull starts from the beginning.
 */
export async function markSignedOutByServer() {
  await withStore(['meta', 'outbox', 'tasks', ...DATA_STORES], 'readwrite', async (tx) => {
    const meta = tx.objectStore('meta');
    const user = await req(meta.get('user'));
    meta.delete('token');
    meta.delete('cursor');
    meta.put({ key: 'expired_user', value: user ? user.value : null });
    const pending = new Set(await req(tx.objectStore('outbox').getAllKeys()));
    tx.objectStore('tasks').clear();
    for (const name of DATA_STORES) {
      const store = tx.objectStore(name);
      for (const key of await req(store.getAllKeys())) if (!pending.has(key)) store.delete(key);
    }
  });
  await loadContext();
}
