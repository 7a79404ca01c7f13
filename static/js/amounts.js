// An amount never breaks away from its unit: "2.906.280 ₫" stays on one line wherever the app
// writes it (a breakdown, an error message, a task). The text is left exactly as written; each
// amount in it is wrapped in a <span class="money"> (white-space: nowrap in pwa.css) as the
// screens draw it, so no screen has to remember to.

const AMOUNT = /\d{1,3}(?:\.\d{3})* ₫/g;

function wrapText(node) {
  const parent = node.parentElement;
  if (!parent || parent.closest('.money, script, style, option, textarea')) return;
  const text = node.nodeValue;
  const found = [...text.matchAll(AMOUNT)]; // matchAll starts from 0 on its own copy of AMOUNT
  if (!found.length) return;
  const parts = [];
  let last = 0;
  for (const m of found) {
    if (m.index > last) parts.push(document.createTextNode(text.slice(last, m.index)));
    const span = document.createElement('span');
    span.className = 'money';
    span.textContent = m[0];
    parts.push(span);
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(document.createTextNode(text.slice(last)));
  node.replaceWith(...parts);
}

/** Wrap every amount under `root` (a text node or an element). */
export function keepAmounts(root) {
  if (root.nodeType === Node.TEXT_NODE) { wrapText(root); return; }
  if (root.nodeType !== Node.ELEMENT_NODE) return;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) found.push(walker.currentNode);
  found.forEach(wrapText);
}

/** Keep amounts whole in everything drawn under `root` from now on. */
export function watchAmounts(root = document.body) {
  keepAmounts(root);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'characterData') keepAmounts(r.target);
      else r.addedNodes.forEach((n) => keepAmounts(n));
    }
  }).observe(root, { childList: true, subtree: true, characterData: true });
}
