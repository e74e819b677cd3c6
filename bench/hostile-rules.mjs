// Hostile rules files against the approval evaluator: a pull request whose grantops.yaml carries a glob
// built to stall matching (a brace bomb, an extended glob built to backtrack, a pattern of many stars)
// over 600 resources, one with a 4,000-character id, against the same pull request with a plain
// grantops.yaml. Prints the wall time of each evaluation (medians of 5) and its ratio to the plain one,
// and, for scale, what minimatch (the matcher used before) spends on a brace bomb a quarter the size.
// Run with `npm run bench:hostile-rules` (builds lib/ first). Not a test.
import { minimatch } from 'minimatch';
import { evaluateApproval } from '../lib/core/approval/evaluate-approval.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const ORG = (defaults) => `org: Bench
owners: [owner]
sensitivity:
  none:   { approvers: [], maxAccess: 90d, approvalTtl: 365d }
  high:   { approvers: [manager, owner], maxAccess: 7d, approvalTtl: 60d }
defaults:
${defaults.map((d) => `  - { resources: "${d}", sensitivity: none }`).join('\n')}
  - { resources: "*", sensitivity: high }
systems:
  aws: { type: aws, accountId: "111122223333" }
`;
const PEOPLE = `- { login: owner, name: Owner, aws: { user: owner } }\n- { login: dev, name: Dev, manager: owner, aws: { user: dev } }\n`;
const longId = `a${'a'.repeat(3_998)}c`;
const ids = [...Array.from({ length: 599 }, (_, i) => `res-${'a'.repeat(i % 60)}-${i}`), longId];
const resources = ids.map((id) => ({ path: `access/resources/aws/${id}.yaml`, content: `id: ${id}\nsystem: aws\nowners: [owner]\ngrants: { group: g }\n` }));

const HOSTILE = {
  plain: ['prod-*'],
  'brace bomb {a,b}×30': [`${'{a,b}'.repeat(30)}x`],
  'extended glob +(a|aa)×12': [`${'+(a|aa)'.repeat(12)}b`],
  'many stars *a×60 (allowed)': [`${'*a'.repeat(60)}b`],
};

function judge(defaults) {
  const rulesAtBase = { dir: 'access', files: [{ path: 'access/grantops.yaml', content: ORG(['prod-*']) }, { path: 'access/people.yaml', content: PEOPLE }, ...resources] };
  const head = ORG(defaults);
  const input = {
    rulesAtBase,
    grantsAtBase: { dir: 'access', files: [] },
    changes: [{ path: 'access/grantops.yaml', head }],
    pr: { author: 'dev', headSha: 'h'.repeat(40), baseSha: 'b'.repeat(40), changedFiles: ['access/grantops.yaml'], reviews: [] },
    now: NOW,
  };
  const start = process.hrtime.bigint();
  const result = evaluateApproval(input);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, status: result.status, rules: [...new Set(result.errors.map((e) => e.rule))] };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let plainMs = 0;
for (const [name, defaults] of Object.entries(HOSTILE)) {
  const runs = Array.from({ length: 5 }, () => judge(defaults));
  const ms = median(runs.map((r) => r.ms));
  if (name === 'plain') plainMs = ms;
  console.log(`${name.padEnd(30)} ${ms.toFixed(1).padStart(8)} ms  ratio ${(ms / plainMs).toFixed(2)}  verdict ${runs[0].status} ${runs[0].rules.join(', ')}`);
}

// minimatch on a bomb of 2^8 alternatives, one match: the old cost grew 2× per pair of braces.
const start = process.hrtime.bigint();
minimatch('prod-db', `${'{a,b}'.repeat(8)}x`);
const oneMatch = Number(process.hrtime.bigint() - start) / 1e6;
console.log(`minimatch, {a,b}×8, one resource: ${oneMatch.toFixed(1)} ms (×2 per further pair; ×2^22 for the ×30 bomb, per resource)`);
