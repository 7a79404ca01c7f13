// The service worker from the page's side: register it at the root scope, and when a new
// version has installed, offer "update available". Updating reloads the page only: the
// outbox lives in IndexedDB and no version of the app ever clears it.

import { t } from './i18n.js';

let registration = null;
let accepted = false;

function offer(worker) {
  if (!navigator.serviceWorker.controller) return; // first install: nothing to update
  const bar = document.getElementById('update');
  document.getElementById('update-text').textContent = t('Update available');
  const button = document.getElementById('update-button');
  button.textContent = t('Update');
  button.onclick = () => { accepted = true; button.disabled = true; worker.postMessage('skip-waiting'); };
  bar.hidden = false;
}

export async function registerSW() {
  if (!('serviceWorker' in navigator)) return null;
  navigator.serviceWorker.addEventListener('controllerchange', () => { if (accepted) location.reload(); });
  try {
    registration = await navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' });
  } catch (err) {
    console.warn('service worker not registered', err);
    return null;
  }
  if (registration.waiting) offer(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    if (!worker) return;
    worker.addEventListener('statechange', () => { if (worker.state === 'installed') offer(worker); });
  });
  window.addEventListener('online', () => registration.update().catch(() => {}));
  setInterval(() => registration.update().catch(() => {}), 30 * 60 * 1000);
  return registration;
}

/** Ask the server for a newer version now (More screen). */
export async function checkForUpdate() {
  if (!registration) return false;
  await registration.update();
  return !!(registration.waiting || registration.installing);
}

/** The running version: the cache the service worker serves from. */
export async function cacheVersion() {
  const keys = await caches.keys();
  return keys.filter((k) => k.startsWith('fieldapp-')).map((k) => k.slice(9));
}
