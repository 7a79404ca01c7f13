// Runs static/js/premium.js over a list of premium cases (tests/fixtures/premiums.json shape).
// Usage: node premium_check.mjs SETS.json CASES.json
// Prints {"results": [...], "failures": [...]} as JSON; exits 1 when a case disagrees.
import { readFileSync } from 'node:fs';
import { computePremium } from '../../static/js/premium.js';

const [setsPath, casesPath] = process.argv.slice(2);
const sets = JSON.parse(readFileSync(setsPath, 'utf8'));
const cases = JSON.parse(readFileSync(casesPath, 'utf8'));
const results = [];
const failures = [];

for (const c of cases) {
  const got = computePremium(sets, { scheme: c.scheme, start_month: c.start_month, ...c.inputs });
  results.push({ name: c.name, ...got });
  const want = c.expected;
  const ok = want.error
    ? got.error === want.error
    : !got.error && ['monthly_amount', 'monthly_support', 'amount_due'].every((k) => got[k] === want[k]);
  if (!ok) failures.push({ name: c.name, expected: want, got });
}

process.stdout.write(JSON.stringify({ results, failures }));
// Not process.exit(): it would cut a long answer still being written to the pipe.
process.exitCode = failures.length ? 1 : 0;
