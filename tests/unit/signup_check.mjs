// Runs static/js/signup-rules.js over sign-up cases (tests/unit/test_signup_rules_js.py).
// Usage: node signup_check.mjs SETS.json CASES.json  ->  {"msg": MSG, "results": [text or null]}
import { readFileSync } from 'node:fs';
import { MSG, expectedPlace, signupProblem, supportedBefore } from '../../static/js/signup-rules.js';

const [setsPath, casesPath] = process.argv.slice(2);
const sets = JSON.parse(readFileSync(setsPath, 'utf8'));
const cases = JSON.parse(readFileSync(casesPath, 'utf8'));
const fill = (text, params) => text.replace(/%\((\w+)\)s/g, (m, k) => String(params[k]));
const asRecords = (others) => others.map((o) => ({ id: o.id, data: o }));

const results = cases.map((c) => {
  const person = c.person ? { data: c.person } : null;
  const others = asRecords(c.others || []);
  const place = c.data.scheme === 'hhi' ? expectedPlace(c.place_before || 0) : undefined;
  const problem = signupProblem(sets, c.data, { person, others, made: c.made, place });
  const before = supportedBefore(c.data, others);
  if (!problem) return { error: null, before };
  const [field, { message, params }] = Object.entries(problem)[0];
  return { error: field, text: fill(message, params), before };
});
process.stdout.write(JSON.stringify({ msg: MSG, results }));
