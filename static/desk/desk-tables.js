// Sorting and filtering of the desk's tables, as a progressive enhancement: without JavaScript
// a table is still a plain, complete table (and server-side sort links keep working).
//
//   <table data-sortable>    each column heading becomes a button; aria-sort on the <th>
//   <table data-filterable>  a "Filter the table" box above it, with a live "12 / 40 rows" count
//                            (the server renders the box: templates/_macros.html table_filter)
//   <table data-paged>       the table is one page of a longer list: the box says it filters the
//                            rows of this page only, so nobody mistakes it for a search
//   <tr class="total"> / <tr data-keep>  a total row: keeps its place, never filtered out
//   <th data-nosort>         a column with nothing to sort (check boxes, actions)
//   <td data-value="1500000"> the raw value, when the text is not enough to sort by
//
// The words come from the <script id="desk-tables"> element's data attributes, rendered and
// translated by base.html (the page is server-rendered; this file holds no language).
// Numbers and dates are read the way the desk writes them in both languages: `1.500.000 ₫`,
// `89,93%`, `25/11/2026` (optionally `25/11/2026 14:05`). Rows grouped in several <tbody>
// elements (a group and its parts) move and hide as whole groups, by their first row.
// Tables marked data-filter are the synthesis page's own (desk/table-sort.js) and left alone.

const words = document.getElementById('desk-tables')?.dataset || {};

/** Lower case without diacritics, so "nguyen" finds "Nguyễn" and "dong" finds "Đồng". */
export function fold(text) {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D')
    .toLowerCase().replace(/\s+/g, ' ').trim();
}

const DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[\s,]+(\d{1,2}):(\d{2}))?/;
const NUMBER = /^([-−]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(?:₫|%|đ)?$/;

/** A cell's sort key: a number (amounts, percentages, dates as time) or null when it has none. */
export function numberOf(text) {
  const t = text.replace(/\u00a0/g, ' ').trim();
  const d = DATE.exec(t);
  if (d) return Date.UTC(+d[3], +d[2] - 1, +d[1], +(d[4] || 0), +(d[5] || 0));
  const n = NUMBER.exec(t);
  if (n) return (n[1] ? -1 : 1) * Number(`${n[2].replace(/\./g, '')}.${n[3] || '0'}`);
  return null;
}

const EMPTY = /^[\s—–-]*$/;

const CONTROLS = 'select, datalist, option, template, script, style';

/** What a cell or row says, without the options of a form's <select> (an "assign to" list
 *  names every collector in every row; it must neither match the filter nor set the order).
 *  A <br> separates words as the eye sees them. */
function textOf(node) {
  const parts = [];
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.nodeType === 1 && n.matches(CONTROLS) ? NodeFilter.FILTER_REJECT
      : NodeFilter.FILTER_ACCEPT),
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType === 3) parts.push(n.data);
    else if (n.nodeName === 'BR') parts.push(' ');
  }
  return parts.join('');
}

function cellText(cell) {
  return cell ? textOf(cell).replace(/\s+/g, ' ').trim() : '';
}

/** A total row inside the body (class "total" or data-keep) stays in place and is never hidden. */
const PINNED = (row) => row.classList.contains('total') || row.hasAttribute('data-keep');

/** The units that move together: the rows of a single body, or each body of a grouped table. */
function units(table) {
  const bodies = [...table.tBodies];
  if (bodies.length > 1) return bodies.map((b) => ({ node: b, first: b.rows[0], parent: table }));
  if (!bodies.length) return [];
  return [...bodies[0].rows].filter((r) => !PINNED(r)).map((r) => ({ node: r, first: r, parent: bodies[0] }));
}

function keyOf(unit, col, numeric) {
  const cell = unit.first?.cells[col];
  if (!cell) return null;
  const raw = cell.dataset.value ?? cell.dataset.v;
  if (raw !== undefined) return raw === '' ? null : (Number.isNaN(Number(raw)) ? raw : Number(raw));
  const text = cellText(cell);
  if (EMPTY.test(text)) return null;
  return numeric ? numberOf(text) : text;
}

/** A column sorts as numbers when every non-empty cell reads as a number or a date. */
function isNumeric(list, col) {
  let seen = false;
  for (const u of list) {
    const cell = u.first?.cells[col];
    if (!cell) continue;
    const raw = cell.dataset.value ?? cell.dataset.v;
    if (raw !== undefined) {
      if (raw !== '' && Number.isNaN(Number(raw))) return false;
      seen = seen || raw !== '';
      continue;
    }
    const text = cellText(cell);
    if (EMPTY.test(text)) continue;
    if (numberOf(text) === null) return false;
    seen = true;
  }
  return seen;
}

function sortBy(table, col, th) {
  const ascending = th.getAttribute('aria-sort') !== 'ascending';
  const list = units(table);
  const numeric = isNumeric(list, col);
  const keyed = list.map((u, i) => ({ u, i, k: keyOf(u, col, numeric) }));
  keyed.sort((a, b) => {
    if (a.k === b.k) return a.i - b.i;
    if (a.k === null) return 1; // empty cells last, whichever the direction
    if (b.k === null) return -1;
    const order = typeof a.k === 'number' && typeof b.k === 'number'
      ? a.k - b.k : String(a.k).localeCompare(String(b.k), 'vi', { numeric: true });
    return (ascending ? order : -order) || a.i - b.i;
  });
  for (const other of th.parentElement.cells) other.removeAttribute('aria-sort');
  th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  // A total row that ended the body ends it again (one that led it is still first).
  const body = table.tBodies.length === 1 ? table.tBodies[0] : null;
  const last = body ? [...body.rows].filter((r) => PINNED(r) && !r.nextElementSibling) : [];
  for (const { u } of keyed) u.parent.append(u.node);
  for (const row of last) body.append(row);
}

function makeSortable(table) {
  const head = table.tHead?.rows[table.tHead.rows.length - 1];
  if (!head) return;
  [...head.cells].forEach((th, col) => {
    if (th.hasAttribute('data-nosort') || !cellText(th) || th.querySelector('a, button, input')) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort';
    button.append(...th.childNodes);
    th.append(button);
    button.addEventListener('click', () => sortBy(table, col, th));
  });
}

let made = 0;

/** The filter box the server rendered just before the table's .table-wrap (the desk's
 *  templates do, with the table_filter macro, so nothing moves when this script arrives), or
 *  one made here for a table whose page has none. */
function filterBox(table) {
  const anchor = table.closest('.table-wrap') || table;
  const rendered = anchor.previousElementSibling;
  if (rendered?.classList.contains('table-filter')) {
    return { input: rendered.querySelector('input'), count: rendered.querySelector('output') };
  }
  made += 1;
  const paged = table.hasAttribute('data-paged');
  const box = document.createElement('div');
  box.className = 'table-filter';
  const label = document.createElement('label');
  label.htmlFor = `table-filter-${made}`;
  label.textContent = (paged ? words.filterPage : words.filter) || 'Filter the table';
  const input = document.createElement('input');
  input.type = 'search';
  input.id = label.htmlFor;
  input.autocomplete = 'off';
  const count = document.createElement('output');
  count.setAttribute('aria-live', 'polite');
  count.className = 'muted';
  count.id = `${input.id}-count`;
  input.setAttribute('aria-describedby', count.id);
  box.append(label, input, count);
  if (paged && words.pageNote) {
    const note = document.createElement('p');
    note.className = 'hint';
    note.textContent = words.pageNote;
    box.append(note);
  }
  anchor.before(box);
  return { input, count };
}

function makeFilterable(table) {
  const { input, count } = filterBox(table);
  const show = (shown, total) => {
    count.textContent = (words.count || '{shown} / {total}')
      .replace('{shown}', shown.toLocaleString('vi')).replace('{total}', total.toLocaleString('vi'));
  };
  const all = () => units(table);
  show(all().length, all().length);
  input.addEventListener('input', () => {
    const needle = fold(input.value);
    let shown = 0;
    const list = all();
    for (const u of list) {
      const hide = needle !== '' && !fold(textOf(u.node)).includes(needle);
      u.node.hidden = hide;
      if (!hide) shown += 1;
    }
    show(shown, list.length);
  });
}

for (const table of document.querySelectorAll('table:not([data-filter])')) {
  if (table.hasAttribute('data-sortable')) makeSortable(table);
  if (table.hasAttribute('data-filterable')) makeFilterable(table);
}
