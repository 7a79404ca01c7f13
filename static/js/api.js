// The sync API (docs/protocol.md) over fetch: bearer token, JSON both ways, a time limit, and one
// error type that says whether trying again later can help.

import { lang } from './i18n.js';

export const APP_VERSION = document.body.dataset.version || 'dev';
const TIMEOUT_MS = 30000;

export class ApiError extends Error {
  constructor(status, code, message, fields = null, retryAfter = null) {
    super(message || code);
    this.status = status; // 0 = no answer (offline, timeout, connection dropped)
    this.code = code;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }

  /** Worth retrying later: no answer, a server error, or "slow down". */
  get transient() { return this.status === 0 || this.status >= 500 || this.status === 429; }
}

export async function api(method, path, { token = null, body = undefined, timeout = TIMEOUT_MS } = {}) {
  const headers = { Accept: 'application/json', 'X-Fieldapp-Lang': lang() };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeout);
  let resp;
  try {
    resp = await fetch(`/api/v1${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      signal: abort.signal, cache: 'no-store', credentials: 'omit',
    });
  } catch (err) {
    throw new ApiError(0, 'network', err.name === 'AbortError' ? 'timeout' : String(err.message || err));
  } finally {
    clearTimeout(timer);
  }
  let json = null;
  try {
    json = resp.status === 204 ? {} : await resp.json();
  } catch (err) {
    // A proxy's HTML error page or a reply cut short: no receipt, so it is as if unanswered.
    throw new ApiError(resp.ok ? 0 : resp.status, 'bad_reply', `HTTP ${resp.status}`);
  }
  if (!resp.ok) {
    const e = (json && json.error) || {};
    throw new ApiError(resp.status, e.code || 'http_error', e.message || `HTTP ${resp.status}`,
      e.fields || null, Number(resp.headers.get('Retry-After')) || null);
  }
  return json;
}
