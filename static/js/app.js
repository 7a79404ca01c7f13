// Start-up: open the device database, choose the language, register the service worker,
// then show sign-in or the user's first screen (Today for collectors, two buttons for village
// heads). Everything here works offline after the first sign-in.

import { watchAmounts } from './amounts.js';
import { on } from './bus.js';
import { renderNav, startChrome, updateStrip } from './chrome.js';
import { ctx, loadContext } from './context.js';
import { getMeta, openDB } from './db.js';
import { loadForms } from './forms.js';
import { loadCatalog, t } from './i18n.js';
import { fallback, go, render, route, startRouter } from './router.js';
import { showEdit } from './screen-edit.js';
import { showGroups, showHeadHome, showReferral, showReferrals } from './screen-head.js';
import { showHousehold } from './screen-household.js';
import { showHouseholds } from './screen-households.js';
import { showMore } from './screen-more.js';
import { showPayment, showReceipt, showTask } from './screen-payment.js';
import { showSignIn } from './screen-signin.js';
import { showSignup } from './screen-signup.js';
import { showSync } from './screen-sync.js';
import { showToday } from './screen-today.js';
import { startSync } from './sync.js';
import { registerSW } from './swclient.js';
import { rebuildTasks } from './tasks.js';

const LIVE = /^\/?(today|referrals|groups|household\/(?!new)[^/]+|referral\/(?!new)[^/]+)?$/;

const isHead = () => ctx.user && ctx.user.role === 'village_head';

/** Wrap a screen: without a session every route shows sign-in. */
const screen = (fn) => async (params, query, view) => {
  if (!ctx.token) return showSignIn(view, afterSignIn);
  return fn(params, query, view);
};

async function afterSignIn() {
  await enterApp();
  go('/', { replace: true });
}

async function enterApp() {
  renderNav();
  await startChrome();
  await startSync();
  loadForms().catch(() => {});
}

function onSignedOut() {
  renderNav();
  updateStrip();
  go('/', { replace: true });
}

function routes() {
  route('/', screen((p, q, v) => (isHead() ? showHeadHome(v) : showToday(v))));
  route('/today', screen((p, q, v) => showToday(v)));
  route('/households', screen((p, q, v) => showHouseholds(v, q)));
  route('/household/new', screen((p, q, v) => showEdit(v, 'household', null, q)));
  route('/household/:id', screen((p, q, v) => showHousehold(v, p.id)));
  route('/household/:id/edit', screen((p, q, v) => showEdit(v, 'household', p.id, q)));
  route('/person/new', screen((p, q, v) => showEdit(v, 'person', null, q)));
  route('/person/:id/edit', screen((p, q, v) => showEdit(v, 'person', p.id, q)));
  route('/visit/new', screen((p, q, v) => showEdit(v, 'visit', null, q)));
  route('/visit/:id/edit', screen((p, q, v) => showEdit(v, 'visit', p.id, q)));
  route('/signup/:household', screen((p, q, v) => showSignup(v, p.household, q)));
  route('/referral/new', screen((p, q, v) => showEdit(v, 'referral', null, q)));
  route('/referral/:id/edit', screen((p, q, v) => showEdit(v, 'referral', p.id, q)));
  route('/referral/:id', screen((p, q, v) => showReferral(v, p.id)));
  route('/referrals', screen((p, q, v) => showReferrals(v)));
  route('/groups', screen((p, q, v) => showGroups(v)));
  route('/group/new', screen((p, q, v) => showEdit(v, 'outreach', null, q)));
  route('/group/:id/edit', screen((p, q, v) => showEdit(v, 'outreach', p.id, q)));
  route('/pay/:enrollment', screen((p, q, v) => showPayment(v, p.enrollment)));
  route('/receipt/:id', screen((p, q, v) => showReceipt(v, p.id)));
  route('/task/:id', screen((p, q, v) => showTask(v, p.id)));
  route('/sync', screen((p, q, v) => showSync(v)));
  route('/more', screen((p, q, v) => showMore(v, onSignedOut)));
  fallback(screen((path, q, v) => (isHead() ? showHeadHome(v) : showToday(v))));
}

async function boot() {
  await openDB();
  await loadCatalog(await getMeta('lang', 'vi'));
  await loadContext();
  registerSW();
  routes();
  watchAmounts();
  on('signed-out', () => { renderNav(); updateStrip(); render(); });
  // After a sync that changed something, redraw the screen shown if it only displays data
  // (never a form: a half-typed record must not be lost).
  on('synced', () => {
    rebuildTasks().catch(() => {}).then(() => {
      const path = location.hash.replace(/^#/, '').split('?')[0];
      if (LIVE.test(path)) render();
    });
  });
  if (ctx.token) await enterApp();
  await splashPainted();
  await startRouter();
  document.body.classList.add('ready');
  document.title = t('Field app');
}

/** Resolves once the shell's splash has been painted (or after 100 ms, e.g. in a hidden tab,
 *  where frames never come). On a fast start the first screen would otherwise replace the
 *  splash before any paint, and the phone's first paint (and largest one) would wait for every
 *  module instead of for the HTML and the style sheets alone. */
function splashPainted() {
  const frame = new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return Promise.race([frame, new Promise((resolve) => setTimeout(resolve, 100))]);
}

boot().catch((err) => {
  console.error(err);
  document.getElementById('view').textContent = `${t('The app could not start')}: ${err.message || err}`;
});
