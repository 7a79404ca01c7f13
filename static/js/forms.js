// The record forms: cloned from the server-rendered, precached /app/forms/<lang>.html, so
// every field rule (required, maxlength, min, pattern) and message comes from the WTForms
// classes. This module fills them, reads them into the protocol's JSON, and shows errors.

import { ctx, label, myAreas, myVillages, areaLong } from './context.js';
import { lang, t } from './i18n.js';

// Hidden fields that point at another record, named for people.
const REFS = {
  household: 'Household',
  person: 'Participant',
  visit: 'Visit',
  referral: 'Referral',
};
import { isoToLocalInput, localInputToIso } from './format.js';

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
  return form;
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
  return REFS[name] ? t(REFS[name]) : name;
}

export function relabel(root) {
  for (const el of root.querySelectorAll('[data-label]')) {
    const [field, value] = el.dataset.label.split(':');
    const text = label(field, value);
    if (text && text !== value) el.textContent = text;
  }
}

function fillAreas(form) {
  for (const select of form.querySelectorAll('select[data-areas]')) {
    const list = select.dataset.areas === 'villages' ? myVillages() : myAreas();
    for (const a of list) select.append(new Option(areaLong(a.code), a.code));
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
    else el.value = value === null || value === undefined ? '' : String(value);
  }
  if (form.refreshRequired) form.refreshRequired();
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
    if (kind === 'int') data[name] = /^-?\d+$/.test(raw) ? Number(raw) : raw;
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

/** The problems the phone can see, as {field: message}, in the server's own words. */
export function check(form) {
  const errors = {};
  for (const box of form.querySelectorAll('[data-field]')) {
    if (box.closest('.scheme-part[hidden]')) continue;
    const name = box.dataset.field;
    const msgs = box.dataset;
    const inputs = [...box.querySelectorAll('input, select, textarea')].filter((e) => !skipped(e));
    if (msgs.requiredWhen) {
      const [other, wanted] = msgs.requiredWhen.split('=');
      if (value(form, other) === wanted && inputs.every((e) => !e.value)) {
        errors[name] = msgs.msgRequired;
        continue;
      }
    }
    for (const el of inputs) {
      const v = el.validity;
      if (v.valid) continue;
      errors[name] = v.valueMissing ? msgs.msgRequired : v.tooLong ? msgs.msgLong
        : v.patternMismatch ? msgs.msgPattern : v.rangeUnderflow ? msgs.msgMin
          : v.rangeOverflow ? msgs.msgMax : msgs.msgBad || el.validationMessage;
      break;
    }
  }
  return errors;
}

/** Show {field: message or [messages]} next to the fields; the rest at the top. Focuses the first. */
export function showErrors(form, errors, generalBox = null) {
  clearErrors(form);
  let first = null;
  const general = [];
  for (const [name, msg] of Object.entries(errors || {})) {
    const text = Array.isArray(msg) ? msg.join(' ') : String(msg);
    const box = form.querySelector(`[data-field="${name}"]`);
    const p = box && box.querySelector('.error');
    if (!p || box.closest('[hidden]')) {
      general.push(name === '_' ? text : `${fieldLabel(form.dataset.type, name)}: ${text}`);
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
