// The parts around every screen: the sync strip at the top (always visible) and the bottom
// navigation with the count of records waiting.

import { on } from './bus.js';
import { ctx } from './context.js';
import { formatTime } from './format.js';
import { t, tn } from './i18n.js';
import { summary } from './outbox.js';
import { status } from './sync.js';
import { h } from './ui.js';

const NAV = [
  { href: '#/today', icon: '☀', msgid: 'Today', match: /^\/(today)?$/ },
  { href: '#/households', icon: '⌂', msgid: 'Households', match: /^\/(households?|visit|person|signup)/ },
  { href: '#/sync', icon: '⇅', msgid: 'Sync', match: /^\/sync/, badge: true },
  { href: '#/more', icon: '⋯', msgid: 'More', match: /^\/(more|group|referral)/ },
];

let counts = { waiting: 0, attention: 0, total: 0 };

export function renderNav() {
  const nav = document.getElementById('nav');
  const collector = ctx.user && ctx.user.role === 'collector';
  nav.hidden = !collector;
  document.body.classList.toggle('has-nav', collector);
  if (!collector) { nav.replaceChildren(); return; }
  nav.replaceChildren(...NAV.map((item) => h('a', { href: item.href, data: { nav: item.msgid } },
    h('span', { class: 'ico', 'aria-hidden': 'true' }, item.icon),
    h('span', { class: 'nav-label' }, t(item.msgid)),
    item.badge ? h('span', { class: 'nav-badge', hidden: true }) : null)));
  highlight(location.hash.slice(1).split('?')[0] || '/');
}

function highlight(path) {
  for (const a of document.querySelectorAll('#nav a')) {
    const item = NAV.find((n) => n.msgid === a.dataset.nav);
    if (item.match.test(path)) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

function stripText() {
  const parts = [];
  let cls = 'ok';
  if (!navigator.onLine) { parts.push(`● ${t('Offline')}`); cls = 'off'; }
  if (counts.waiting) {
    parts.push(tn('%(num)s record waiting to sync', '%(num)s records waiting to sync', counts.waiting));
    if (cls === 'ok') cls = 'wait';
  }
  if (counts.attention) {
    parts.push(`⚠ ${tn('%(num)s record needs attention', '%(num)s records need attention', counts.attention)}`);
    cls = 'bad';
  }
  if (navigator.onLine && status.phase !== 'idle') {
    parts.unshift(`↻ ${t('Syncing…')}`);
  } else if (!parts.length) {
    parts.push(status.lastSync
      ? `✓ ${t('Synced at %(time)s', { time: formatTime(status.lastSync) })}` : t('Not synced yet'));
  } else if (navigator.onLine && status.error && status.nextTry) {
    parts.push(t('no connection to the server, trying again at %(time)s', { time: formatTime(status.nextTry) }));
  }
  return { text: parts.join(' · '), cls };
}

export function updateStrip() {
  const strip = document.getElementById('strip');
  if (!ctx.user) { strip.hidden = true; return; }
  const { text, cls } = stripText();
  strip.hidden = false;
  strip.className = `strip strip-${cls}`;
  strip.replaceChildren(h('a', { href: '#/sync' }, text));
  const badge = document.querySelector('#nav .nav-badge');
  if (badge) {
    badge.textContent = String(counts.total);
    badge.hidden = counts.total === 0;
    badge.classList.toggle('bad', counts.attention > 0);
  }
}

async function refreshCounts() {
  counts = await summary();
  updateStrip();
}

export function startChrome() {
  on('sync', updateStrip);
  on('outbox', refreshCounts);
  window.addEventListener('online', updateStrip);
  window.addEventListener('offline', updateStrip);
  document.addEventListener('screen', (e) => highlight(e.detail));
  setInterval(updateStrip, 60000);
  return refreshCounts();
}
