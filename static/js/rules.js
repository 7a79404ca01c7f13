// Every rule the server judges one record by, checked on the phone before Save. The rules are
// not written here: the server renders them from the WTForms declarations (records/forms.py)
// as data- attributes of each field (collector/formmeta.py); this module only reads them and
// applies them to the record about to be stored, in the server's own words. Rules that need
// other records on the phone (a personal ID already held, a member's place...) are checks that
// other modules register with addCheck(); saving runs them all before anything is stored.

import { localDate } from './format.js';
import { t } from './i18n.js';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)$/;

const whole = (src) => new RegExp(`^(?:${src})$`, 'v');

/** A real calendar date 'YYYY-MM-DD' (not 2026-02-30). */
function realDate(v) {
  const m = DATE_RE.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** '+84 912 345 678' -> '0912345678' as the server normalises it; null when it cannot be one. */
export function normalPhone(raw, rules) {
  let text = String(raw).replace(new RegExp(rules.phoneStrip, 'g'), '');
  if (text.startsWith('+84')) text = `0${text.slice(3)}`;
  else if (text.startsWith('84') && (text.length === 11 || text.length === 12)) text = `0${text.slice(2)}`;
  return whole(rules.phone).test(text) ? text : null;
}

/** {field name: {rules (the data- attributes), allowed values (choices), element}} of a form. */
export function rulesOf(form) {
  const out = new Map();
  for (const box of form.querySelectorAll('[data-field]')) {
    const inputs = [...box.querySelectorAll('input, select')].filter((e) => e.name && !e.dataset.proto);
    const choice = inputs.filter((e) => e.type === 'radio' || e.type === 'checkbox' || e.tagName === 'SELECT');
    let allowed = null;
    if (box.dataset.kind !== 'bool' && choice.length && !box.querySelector('[data-areas]')) {
      allowed = new Set(choice.flatMap((e) => (e.tagName === 'SELECT'
        ? [...e.options].map((o) => o.value).filter(Boolean) : [e.value])));
    }
    if (box.dataset.field === 'person' || box.dataset.field === 'member_order') allowed = null;
    out.set(box.dataset.field, { rules: box.dataset, allowed, box });
  }
  for (const el of form.querySelectorAll('input[type=hidden][data-kind]')) {
    if (!out.has(el.name)) out.set(el.name, { rules: el.dataset, allowed: null, box: el });
  }
  return out;
}

const isEmpty = (v) => v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length);

/** What is wrong with one non-empty value (a message), or '' when the field's rules hold. */
function problem(rules, allowed, v, data) {
  const kind = rules.kind || 'text';
  if (allowed) {
    const values = Array.isArray(v) ? v : [v];
    if (kind === 'list' && !Array.isArray(v)) return t('Must be a list.');
    if (kind === 'int' && values.some((x) => !Number.isInteger(x))) return rules.msgBad;
    if (values.some((x) => !allowed.has(String(x)))) return t('Not one of the allowed values.');
    return '';
  }
  if (kind === 'int') {
    if (!Number.isInteger(v)) return rules.msgBad;
    if (rules.min !== undefined && rules.min !== '' && v < Number(rules.min)) return rules.msgMin;
    if (rules.max !== undefined && rules.max !== '' && v > Number(rules.max)) return rules.msgMax;
    if (rules.atMost && Number.isInteger(data[rules.atMost]) && v > data[rules.atMost]) return rules.msgAtMost;
    return '';
  }
  if (kind === 'bool') return typeof v === 'boolean' ? '' : t('Must be true or false.');
  if (kind === 'location') {
    if (typeof v !== 'object' || Array.isArray(v)) return t('Must be an object with lat, lon and accuracy_m.');
    for (const part of rules.ranges.split(' ')) {
      const [name, low, high] = part.split(':');
      const x = v[name];
      if (x === undefined || x === null) continue;
      if (typeof x !== 'number' || Number.isNaN(x) || x < Number(low) || x > Number(high)) {
        return t(rules.msgRange, { a: low, b: high });
      }
    }
    return (v.lat === undefined || v.lat === null) !== (v.lon === undefined || v.lon === null) ? rules.msgPair : '';
  }
  if (typeof v !== 'string') return t('Must be text.');
  if (kind === 'date') {
    if (!realDate(v)) return rules.msgBad;
    const latest = rules.maxDate === 'today' ? localDate() : rules.maxDate;
    if ((rules.minDate && v < rules.minDate) || (latest && v > latest)) return rules.msgRange;
    if (rules.notBefore && typeof data[rules.notBefore] === 'string'
      && v < data[rules.notBefore].slice(0, 10)) return rules.msgNotBefore;
    return '';
  }
  if (kind === 'month') {
    const m = MONTH_RE.exec(v);
    const [low, high] = (rules.years || '0-9999').split('-').map(Number);
    return m && +m[1] >= low && +m[1] <= high ? '' : rules.msgBad;
  }
  if (kind === 'datetime') {
    const year = Number(v.slice(0, 4));
    return TIME_RE.test(v) && !Number.isNaN(Date.parse(v)) && year >= 2000 && year <= 2100 ? '' : rules.msgBad;
  }
  if (rules.maxLen && [...v].length > Number(rules.maxLen)) return rules.msgLong;
  if (rules.phone) return normalPhone(v, rules) ? '' : rules.msgPattern;
  if (rules.pattern && !whole(rules.pattern).test(v)) return rules.msgPattern;
  return '';
}

/**
 * The record `data` judged by the rules of `form`: {field: message}, empty when it may be
 * saved. Fields of a hidden part of the form (the other scheme) count only when `data` has them.
 */
export function judge(form, data) {
  const errors = {};
  for (const [name, { rules, allowed, box }] of rulesOf(form)) {
    const hiddenPart = box.closest('.scheme-part[hidden]');
    const v = data[name];
    if (isEmpty(v)) {
      if (hiddenPart) continue;
      let required = rules.required === '1';
      if (rules.requiredWhen) {
        const [other, wanted] = rules.requiredWhen.split('=');
        required = data[other] === wanted;
      }
      if (required) errors[name] = rules.msgRequired || t('This field is required.');
      continue;
    }
    const msg = problem(rules, allowed, v, data);
    if (msg) errors[name] = msg;
  }
  return errors;
}

// Checks that need other records on the phone, by record type: async (data, info) -> {field: msg}.
const checks = new Map();

/**
 * Register a check run before Save of every record of `type` (after the field rules hold).
 * `fn(data, info)`: info = {id, form, others: the other records saved together}; resolves to
 * {field: message} (empty or null: nothing to say). Returns a function that removes it.
 */
export function addCheck(type, fn) {
  if (!checks.has(type)) checks.set(type, new Set());
  checks.get(type).add(fn);
  return () => checks.get(type).delete(fn);
}

/** Every registered check of `type` on `data`: their messages merged (the first per field wins). */
export async function runChecks(type, data, info = {}) {
  const errors = {};
  for (const fn of checks.get(type) || []) {
    const found = (await fn(data, info)) || {};
    for (const [field, msg] of Object.entries(found)) if (!(field in errors)) errors[field] = msg;
  }
  return errors;
}
