// Sorting and filtering of desk tables marked data-sortable (the monthly synthesis).
// Rows are grouped in <tbody> elements (an organization and its collection points), so a sort
// moves whole groups by the value of their first row, and the filter hides whole groups.
// Cells carry their raw number in data-v; an empty cell sorts last.

function value(group, col) {
  const cell = group.rows[0].cells[col];
  if (!cell) return null;
  if (cell.dataset.v !== undefined) return cell.dataset.v === '' ? null : Number(cell.dataset.v);
  return cell.textContent.trim().toLocaleLowerCase('vi');
}

function sortBy(table, col, th) {
  const ascending = th.getAttribute('aria-sort') !== 'ascending';
  const groups = [...table.tBodies];
  groups.sort((a, b) => {
    const x = value(a, col), y = value(b, col);
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    const order = typeof x === 'number' ? x - y : String(x).localeCompare(String(y), 'vi');
    return ascending ? order : -order;
  });
  for (const other of table.tHead.rows[0].cells) other.removeAttribute('aria-sort');
  th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  for (const group of groups) table.append(group);
}

function filter(table, text) {
  const needle = text.trim().toLocaleLowerCase('vi');
  for (const group of table.tBodies) {
    group.hidden = needle !== '' && !group.textContent.toLocaleLowerCase('vi').includes(needle);
  }
}

for (const table of document.querySelectorAll('table[data-sortable]')) {
  [...table.tHead.rows[0].cells].forEach((th, col) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort';
    button.append(...th.childNodes);
    th.append(button);
    button.addEventListener('click', () => sortBy(table, col, th));
  });
  const input = document.getElementById(table.dataset.filter || '');
  if (input) {
    input.closest('[hidden]')?.removeAttribute('hidden');
    input.addEventListener('input', () => filter(table, input.value));
  }
}
