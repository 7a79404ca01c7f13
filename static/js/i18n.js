// The app's words: English msgids looked up in the server's catalog for the chosen language
// (/app/i18n/<lang>.json, precached), so the phone and the server say the same thing.

let messages = {};
let current = 'vi';

export const LANGS = ['vi', 'en'];

/** Load the catalog of `lang` (from the service worker's cache when offline). */
export async function loadCatalog(lang) {
  current = LANGS.includes(lang) ? lang : 'vi';
  const resp = await fetch(`/app/i18n/${current}.json`);
  messages = resp.ok ? (await resp.json()).messages : {};
  document.documentElement.lang = current;
}

export const lang = () => current;

/** Translate `msgid` and fill %(name)s / %(name)d placeholders from params. */
export function t(msgid, params) {
  const text = messages[msgid] || msgid;
  if (!params) return text;
  return text.replace(/%\((\w+)\)[sd]/g, (m, key) => (key in params ? String(params[key]) : m));
}

/** Plural by count: t(one) for 1, t(many) otherwise, with %(num)s. */
export const tn = (one, many, num, params = {}) => t(num === 1 ? one : many, { num, ...params });
