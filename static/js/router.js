// Hash routes ("#/household/<id>"): the app is one cached page, so every screen works offline.

const routes = [];
let notFound = null;
let seq = 0;

/** route('/household/:id', handler): handler(params, query, view) draws into view. */
export function route(pattern, handler) {
  const keys = [];
  const re = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, k) => { keys.push(k); return '([^/]+)'; })}$`);
  routes.push({ re, keys, handler });
}

export const fallback = (handler) => { notFound = handler; };

export function go(path, { replace = false } = {}) {
  const hash = `#${path}`;
  if (replace) { history.replaceState({ prev: history.state && history.state.prev }, '', hash); render(); }
  else if (location.hash === hash) render();
  else location.hash = hash;
}

/**
 * Leave a form after saving for `path`: when that is the screen the form was opened from, go
 * back to it (one Back then leaves it, the form is not in history twice); else the form's
 * entry becomes `path`, so Back returns to where the form was opened from.
 */
export function leave(path) {
  const hash = `#${path}`;
  const prev = history.state && history.state.prev;
  if (prev === hash) { history.back(); return; }
  go(path, { replace: true });
}

// Each history entry remembers the screen it was opened from (for leave()).
function remember(event) {
  if (history.state && 'prev' in history.state) return;
  const prev = event && event.oldURL ? new URL(event.oldURL).hash || null : null;
  history.replaceState({ prev }, '', location.hash || '#/');
}

export function current() {
  return (location.hash || '#/').slice(1);
}

/** Draw the screen for the current hash; a slower earlier screen never overwrites a newer one. */
export async function render() {
  const [path, qs] = current().split('?');
  const query = Object.fromEntries(new URLSearchParams(qs || ''));
  const mine = ++seq;
  const view = document.createElement('div');
  view.className = 'screen';
  // Screens append optional parts as `cond ? el : null`; DOM append would print "null".
  const shown = (n) => n !== null && n !== undefined && n !== false;
  view.append = (...nodes) => Element.prototype.append.call(view, ...nodes.filter(shown));
  for (const r of routes) {
    const m = r.re.exec(path);
    if (m) {
      const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])]));
      await r.handler(params, query, view);
      return swap(view, mine, path);
    }
  }
  if (notFound) { await notFound(path, query, view); swap(view, mine, path); }
}

function swap(view, mine, path) {
  if (mine !== seq) return;
  const main = document.getElementById('view');
  main.replaceChildren(view);
  document.body.classList.remove('typing');
  main.scrollTop = 0;
  window.scrollTo(0, 0);
  document.dispatchEvent(new CustomEvent('screen', { detail: path }));
}

export function startRouter() {
  window.addEventListener('hashchange', (event) => { remember(event); render(); });
  remember(null);
  return render();
}
