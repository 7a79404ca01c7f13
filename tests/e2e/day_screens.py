"""What every screen of the field app must hold on a small phone (issue #10, point 7), as a
function a test runs on each screen at 320 × 640, 360 × 780 and 780 × 360:

- nothing wider than the screen, no control running off it;
- no control whose text is cut off: a button, link, label or chip whose text is wider than
  its box, or a select one of whose options would not fit once chosen (measured with the
  select's own font);
- no amount split from its unit: every "2.906.280 ₫" on one line.
"""

FIT = """() => {
  const problems = [];
  const vw = window.innerWidth;
  const say = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
    + `${el.name ? '[' + el.name + ']' : ''} "${(el.innerText || el.value || '').trim().slice(0, 40)}"`;
  if (document.scrollingElement.scrollWidth > vw + 1) problems.push('the page is wider than the screen');
  const canvas = document.createElement('canvas').getContext('2d');
  const controls = document.querySelectorAll('#view button, #view a, #view label, #view select, '
    + '#view legend, #view h1, #view h2, #view .badge, #view summary, #strip a, #strip span, #nav a');
  for (const el of controls) {
    if (!el.getClientRects().length) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || el.closest('.visually-hidden')) continue;
    const box = el.getBoundingClientRect();
    if (box.right > vw + 1 || box.left < -1) problems.push(`${say(el)} runs off the screen`);
    if (el.tagName === 'SELECT') {
      canvas.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
      for (const o of el.options) {
        const need = canvas.measureText(o.text).width;
        if (need > room) problems.push(`${say(el)}: option "${o.text}" would be cut off`);
      }
    } else if (cs.display !== 'inline' && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${say(el)}: text cut off (${el.scrollWidth} > ${el.clientWidth})`);
    }
  }
  for (const m of document.querySelectorAll('.money')) {
    if (m.getClientRects().length > 1) problems.push(`amount split from its unit: ${m.textContent}`);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.parentElement || node.parentElement.closest('.money, option, [hidden]')) continue;
    if (/\\d ₫/.test(node.nodeValue)) problems.push(`amount outside .money: ${node.nodeValue.slice(0, 40)}`);
  }
  return problems;
}"""

VIEWPORTS = [(320, 640), (360, 780), (780, 360)]


def fit_problems(page):
    page.wait_for_timeout(150)
    return page.evaluate(FIT)


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    # axe's defaults, without target-size: this walk shoots each screen where the test left it
    # scrolled, and an input that happens to sit under the fixed bottom bar at that moment is
    # "partially obscured" for axe, though a thumb scrolls it into view. The controls' own
    # size and spacing are checked with target-size on the other screens' axe runs.
    result = Axe().run(page)
    return result.violations_count, result.generate_report()
