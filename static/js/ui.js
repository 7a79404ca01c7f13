// Small DOM helpers: build elements without HTML strings (no injection, CSP-friendly), state
// chips, a toast, and a confirmation dialog.

import { t } from './i18n.js';

/** h('p', {class: 'x', data: {id: 1}, on: {click: fn}}, 'text', child) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'data') Object.entries(value).forEach(([k, v]) => { el.dataset[k] = v; });
    else if (key === 'on') Object.entries(value).forEach(([k, fn]) => el.addEventListener(k, fn));
    else if (key === 'text') el.textContent = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A link styled as a big button. */
export const linkButton = (href, text, cls = '') => h('a', { class: `button ${cls}`.trim(), href }, text);

const STATE = {
  waiting: ['warn', 'Waiting to sync'],
  rejected: ['bad', 'Needs attention'],
  conflict: ['bad', 'Needs attention'],
  synced: ['ok', 'Synced'],
};

/** The sync state of a record as a chip; synced records show nothing unless `always`. */
export function stateChip(state, always = false) {
  if (!state && !always) return null;
  const [cls, msgid] = STATE[state || 'synced'];
  return h('span', { class: `badge ${cls}`, data: { state: state || 'synced' } }, t(msgid));
}

export function chip(text, cls = '') {
  return h('span', { class: `badge ${cls}`.trim() }, text);
}

let toastTimer = null;
export function toast(message) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 3500);
}

/** Ask to confirm; resolves true when the person chose `okText`. */
export function confirmDialog(text, okText, cancelText = t('Cancel'), danger = false) {
  const dialog = document.getElementById('dialog');
  document.getElementById('dialog-text').textContent = text;
  const ok = document.getElementById('dialog-ok');
  ok.textContent = okText;
  ok.className = danger ? 'danger primary' : 'primary';
  document.getElementById('dialog-cancel').textContent = cancelText;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
  });
}

/** Screen header: back arrow (optional) and title. */
export function header(title, backHref = null, sub = null) {
  return h('header', { class: 'screen-head' },
    backHref ? h('a', { class: 'back', href: backHref, 'aria-label': t('Back') }, '←') : null,
    h('div', {}, h('h1', {}, title), sub ? h('p', { class: 'sub' }, sub) : null));
}

export function section(title, ...children) {
  return h('section', { class: 'block' }, title ? h('h2', {}, title) : null, ...children);
}

export const empty = (text) => h('p', { class: 'empty' }, text);

/** Keep listeners (their stop functions in `offs`) only while `view` is the screen shown. */
export function whileShown(view, offs) {
  const check = () => {
    if (view.isConnected) { view.dataset.shown = '1'; return; }
    if (view.dataset.shown) { offs.forEach((off) => off()); document.removeEventListener('screen', check); }
  };
  document.addEventListener('screen', check);
}
