// The record forms: cloned from the server-rendered, precached /app/forms/<lang>.html, so
// every field rule (required, maxlength, min, pattern) and message comes from the WTForms
// classes. This module fills them, reads them into the protocol's JSON, and shows errors.

import { area, ctx, label, myAreas, myVillages } from './context.js';
import { lang, t } from './i18n.js';
import { h } from './ui.js';

// Hidden fields that point at another record, named for people.
const REFS = {
  household: 'Household',
  person: 'Participant',
  visit: 'Visit',
  referral: 'Referral',
};
import { formatDate, formatMonth, formatNumber, isoToLocalInput, localInputToIso } from './format.js';
import { judge } from './rules.js';

let doc = null;
let docLang = null;

export async function loadForms(l = lang()) {
  if (doc && docLang === l) return doc;
  const resp = await fetch(`/app/forms/${l}.html`);
  doc = new DOMParser().parseFromString(await resp.text(), 'text/html');
  docLang = l;
  return doc;
}

/** A fresh form of `type`, labels from bootstrap and areas from the user's scope. */
export async function formFor(type) {
  const d = await loadForms();
  const tpl = d.getElementById(`form-${type}`);
  const form = document.importNode(tpl.content, true).firstElementChild;
  relabel(form);
  fillAreas(form);
  markConditional(form);
  wireMoney(form);
  wireDates(form);
  wireTyping(form);
  return form;
}

// The phone's own date picker shows its own format (month/day on an English phone): beside it,
// the chosen date in the app's dd/mm/yyyy (mm/yyyy for a month), kept up to date.
function wireDates(form) {
  const inputs = [...form.querySelectorAll('input[type=date], input[type=month]')];
  const shown = inputs.map((el) => {
    const out = h('small', { class: 'date-shown', id: `${el.id}-shown`, 'aria-live': 'polite' });
    el.after(out);
    el.setAttribute('aria-describedby', `${el.id}-shown`);
    return [el, out];
  });
  const update = () => {
    for (const [el, out] of shown) {
      out.textContent = el.value ? (el.type === 'month' ? formatMonth(el.value) : formatDate(el.value)) : '';
    }
  };
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.refreshDates = update;
}

// Once the collector types, the bottom menu steps aside until the screen changes, so the form
// and its Save stay in sight with the keyboard open. It does not come back on blur: the Save
// button would jump under the finger that is tapping it.
function wireTyping(form) {
  const typing = (el) => el.matches('input:not([type=checkbox]):not([type=radio]), textarea');
  form.addEventListener('focusin', (e) => { if (typing(e.target)) document.body.classList.add('typing'); });
}

/** Money as people write it: '1.500.000' (or plain digits) -> 1500000; anything else as typed. */
export function moneyValue(raw) {
  const text = String(raw || '').trim();
  if (/^\d{1,3}(\.\d{3})+$/.test(text)) return Number(text.replace(/\./g, ''));
  return /^\d+$/.test(text) ? Number(text) : text;
}

// Money inputs (data-money) show thousands separators as the collector types: 1500000 -> 1.500.000.
function wireMoney(form) {
  for (const el of form.querySelectorAll('input[data-money]')) {
    el.addEventListener('input', () => {
      // Only digits grouped by dots (3 or, mid-typing, 4 after each dot): '1500000.5' stays as typed.
      if (!/^\d+(\.\d{3,4})*$/.test(el.value)) return;
      const digits = el.value.replace(/\./g, '');
      const shown = formatNumber(digits);
      if (shown !== el.value) {
        const fromEnd = el.value.length - (el.selectionEnd ?? el.value.length);
        el.value = shown;
        const at = Math.max(0, shown.length - fromEnd);
        el.setSelectionRange(at, at);
      }
    });
  }
}

// A field required only when another has a value (follow-up date when "interested") shows
// its star only then.
function markConditional(form) {
  const boxes = [...form.querySelectorAll('[data-required-when]')];
  if (!boxes.length) return;
  const update = () => {
    for (const box of boxes) {
      const [other, wanted] = box.dataset.requiredWhen.split('=');
      box.classList.toggle('is-required', value(form, other) === wanted);
    }
  };
  form.addEventListener('change', update);
  form.refreshRequired = update;
}

/** The label of a field as the form shows it (for the sync screen's reasons). */
export function fieldLabel(type, name) {
  if (!doc) return name;
  const box = doc.getElementById(`form-${type}`)?.content.querySelector(`[data-field="${name}"]`);
  const lab = box && box.querySelector('label, legend, .label');
  if (lab) return lab.textContent.replace(/\s*\*\s*$/, '').trim();
  if (REFS[name]) return t(REFS[name]);
  return name === 'amount_due' ? t('Amount due') : ''; // never a raw field code
}

export function relabel(root) {
  for (const el of root.querySelectorAll('[data-label]')) {
    const [field, value] = el.dataset.label.split(':');
    const text = label(field, value);
    if (text && text !== value) el.textContent = text;
  }
}

// Each area under its parent's name (an <optgroup>): the option itself is short enough to be
// read whole on a 320 px phone ("Tổ dân phố 1" under "Phường Hồng Bàng").
function fillAreas(form) {
  for (const select of form.querySelectorAll('select[data-areas]')) {
    const list = select.dataset.areas === 'villages' ? myVillages() : myAreas();
    const groups = new Map();
    for (const a of list) {
      const parent = a.parent ? area(a.parent) : null;
      const key = parent ? parent.name : '';
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(new Option(a.name, a.code));
    }
    for (const [name, options] of groups) {
      if (!name) { select.append(...options); continue; }
      const group = document.createElement('optgroup');
      group.label = name;
      group.append(...options);
      select.append(group);
    }
    if (list.length === 1) select.value = list[0].code;
  }
}

const kindOf = (el) => el.dataset.kind || el.closest('[data-kind]')?.dataset.kind || 'text';
const skipped = (el) => !el.name || el.disabled || el.closest('.scheme-part[hidden]') || el.type === 'submit';

/** Put a record's data into the form. */
export function setValues(form, data) {
  for (const el of form.elements) {
    if (!el.name || el.disabled || el.type === 'submit') continue;
    const name = el.name;
    if (name.startsWith('location-')) {
      const v = data.location ? data.location[name.slice(9)] : null;
      el.value = v === null || v === undefined ? '' : String(v);
      continue;
    }
    if (!(name in data)) continue;
    const value = data[name];
    const kind = kindOf(el);
    if (el.type === 'radio') el.checked = el.value === value;
    else if (el.type === 'checkbox') el.checked = kind === 'list' ? (value || []).includes(el.value) : !!value;
    else if (kind === 'datetime') el.value = value ? isoToLocalInput(value) : '';
    else if (el.dataset.money && Number.isInteger(value)) el.value = formatNumber(value);
    else el.value = value === null || value === undefined ? '' : String(value);
  }
  if (form.refreshRequired) form.refreshRequired();
  if (form.refreshDates) form.refreshDates();
}

/** Read the form as the record's `data` (empty fields left out, numbers as numbers). */
export function readValues(form) {
  const data = {};
  const location = {};
  for (const el of form.elements) {
    if (skipped(el)) continue;
    const { name } = el;
    const kind = kindOf(el);
    if (name.startsWith('location-')) {
      if (el.value !== '') location[name.slice(9)] = Number(el.value);
      continue;
    }
    if (el.type === 'radio') { if (el.checked) data[name] = el.value; continue; }
    if (el.type === 'checkbox') {
      if (kind === 'list') {
        data[name] = data[name] || [];
        if (el.checked) data[name].push(el.value);
      } else data[name] = el.checked;
      continue;
    }
    const raw = (el.value || '').trim();
    if (raw === '') continue;
    if (kind === 'int' && el.dataset.money) data[name] = moneyValue(raw);
    else if (kind === 'int') data[name] = /^-?\d+$/.test(raw) ? Number(raw) : raw;
    else if (kind === 'datetime') data[name] = localInputToIso(raw);
    else data[name] = raw;
  }
  if ('lat' in location && 'lon' in location) data.location = location;
  return data;
}

const value = (form, name) => {
  const els = [...form.elements].filter((e) => e.name === name && !skipped(e));
  const checked = els.find((e) => (e.type === 'radio' ? e.checked : true));
  return checked ? checked.value : '';
};

/** The problems the phone can see, as {field: message}, in the server's own words: every rule
 * the server judges this one record by (rules.js reads them off the form). */
export function check(form) {
  return judge(form, readValues(form));
}

/** Show {field: message or [messages]} next to the fields; the rest at the top. Focuses the first. */
export function showErrors(form, errors, generalBox = null, { focus = true } = {}) {
  clearErrors(form);
  let first = null;
  const general = [];
  for (const [name, msg] of Object.entries(errors || {})) {
    const text = Array.isArray(msg) ? msg.join(' ') : String(msg);
    const box = form.querySelector(`[data-field="${name}"]`);
    const p = box && box.querySelector('.error');
    if (!p || box.closest('[hidden]')) {
      const named = name === '_' ? '' : fieldLabel(form.dataset.type, name);
      general.push(named ? `${named}: ${text}` : text);
      continue;
    }
    p.textContent = text;
    p.hidden = false;
    box.classList.add('has-error');
    box.querySelectorAll('input, select, textarea').forEach((e) => e.setAttribute('aria-invalid', 'true'));
    first = first || box;
  }
  const top = generalBox || form.querySelector('.form-errors');
  if (top) { top.textContent = general.join(' · '); top.hidden = !general.length; }
  if (!focus) return Object.keys(errors || {}).length;
  if (!first && general.length && top) top.scrollIntoView({ block: 'center' });
  if (first) {
    first.scrollIntoView({ block: 'center' });
    const input = first.querySelector('input:not([type=hidden]), select, textarea');
    if (input) input.focus({ preventScroll: true });
  }
  return Object.keys(errors || {}).length;
}

export function clearErrors(form) {
  for (const p of form.querySelectorAll('.error')) { p.hidden = true; p.textContent = ''; }
  form.querySelectorAll('.has-error').forEach((b) => b.classList.remove('has-error'));
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
}

/** The user's own areas are known only after bootstrap; used to tell if forms can work. */
export const ready = () => !!ctx.user;
