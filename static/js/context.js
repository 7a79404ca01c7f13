// What the app knows about its user, kept in memory for quick screens: the session (token,
// user), bootstrap's areas and labels, and the premium parameter sets.

import { getAll, getMeta } from './db.js';
import { lang } from './i18n.js';

export const ctx = { token: null, user: null, deviceId: null, areas: [], labels: {}, policy: [] };

/** Fill ctx from the device's database (after start-up, sign-in, or a bootstrap). */
export async function loadContext() {
  const [token, user, deviceId, boot, labels, policy] = await Promise.all([
    getMeta('token'), getMeta('user'), getMeta('device_id'), getMeta('bootstrap'),
    getMeta('labels', {}), getAll('policy')]);
  Object.assign(ctx, {
    token, user, deviceId, areas: (boot && boot.areas) || [], labels: labels || {},
    policy: policy.sort((a, b) => (a.effective_from < b.effective_from ? -1 : 1)),
  });
  byCode = new Map(ctx.areas.map((a) => [a.code, a]));
  return ctx;
}

let byCode = new Map();

/** The label of a choice value in the current language (the other language, then the value, as fallbacks). */
export function label(field, value) {
  if (value === null || value === undefined || value === '') return '';
  const mine = ctx.labels[lang()] || {};
  const other = ctx.labels[lang() === 'vi' ? 'en' : 'vi'] || {};
  return (mine[field] && mine[field][value]) || (other[field] && other[field][value]) || String(value);
}

export const area = (code) => byCode.get(code) || null;
export const areaName = (code) => (byCode.get(code) || { name: code || '' }).name;

function ancestors(code) {
  const out = [];
  let a = byCode.get(code);
  while (a) { out.push(a.code); a = a.parent ? byCode.get(a.parent) : null; }
  return out;
}

/** Areas the user works in: their assigned areas and everything below them. */
export function myAreas() {
  const mine = new Set((ctx.user && ctx.user.areas) || []);
  return ctx.areas.filter((a) => ancestors(a.code).some((c) => mine.has(c)));
}

export const myVillages = () => myAreas().filter((a) => a.level === 'village');

/** The province code above an area (for a province's extra premium support). */
export function provinceOf(code) {
  return ancestors(code).map((c) => byCode.get(c)).find((a) => a && a.level === 'province')?.code || null;
}

/** An area with its parent, e.g. "Tổ dân phố 1 · Phường Hồng Bàng". */
export function areaLong(code) {
  const a = byCode.get(code);
  if (!a) return code || '';
  const p = a.parent ? byCode.get(a.parent) : null;
  return p ? `${a.name} · ${p.name}` : a.name;
}
