// `grantops audit` on a generated history of 10,000 commits: pull requests (a request commit on a branch
// and a merge commit, each merge carrying its decision note), direct pushes, renewals and revocations.
// Prints the audit time and, in the same run, the time of `git log --name-status` over the same history,
// and their ratio (target <= 3); then the time of `--verify` over the last 300 merges. Run with `npm run bench:audit` (builds lib/
// first). Not a test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitAuditHistory } from '../lib/adapters/git/history.js';
import { LocalGitRefReader } from '../lib/adapters/git/git-ref-reader.js';
import { GitDecisionNotes } from '../lib/adapters/git/notes.js';
import { buildDecisionRecord, serializeDecisionRecord } from '../lib/core/decision-record.js';
import { auditRepository } from '../lib/usecases/audit.js';

const COMMITS = 10_000;
const PEOPLE = 2_000;
const RESOURCES = 50;
const RUNS = 3;
const VERIFIED = 300;
const NOW = new Date('2027-06-01T00:00:00Z');
const START = Date.parse('2026-01-01T00:00:00Z') / 1000;

const root = mkdtempSync(join(tmpdir(), 'grantops-bench-audit-'));
const git = (args, input) => execFileSync('git', args, { cwd: root, input, maxBuffer: 1 << 30 }).toString();

/** A fast-import stream, written as one string: 10,000 commits take a second instead of minutes. */
function data(text) {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}
const iso = (seconds) => new Date(seconds * 1000).toISOString();
const grant = (user, resource, expires, status) =>
  `user: ${user}\nresource: ${resource}\nreason: bench\nexpires: ${expires}\napprovalExpires: 2027-12-31T00:00:00Z\nstatus: ${status}\n`;

try {
  git(['init', '-q', '-b', 'main']);
  const org = `org: Bench
owners: [owner]
sensitivity:
  low:  { approvers: [], maxAccess: 30d, approvalTtl: 720d }
  high: { approvers: [manager, owner], maxAccess: 7d, approvalTtl: 720d }
defaults:
  - { resources: "*", sensitivity: high }
systems:
  aws-prod: { type: aws, accountId: "111122223333" }
`;
  const people = ['- { login: owner, name: Owner, email: owner@bench.example, aws: { user: owner } }', '- { login: mgr, name: Manager, email: mgr@bench.example, manager: owner, aws: { user: mgr } }'];
  for (let i = 0; i < PEOPLE; i++) people.push(`- { login: u${i}, name: U ${i}, email: u${i}@bench.example, manager: mgr, aws: { user: u${i} } }`);

  let stream = '';
  let mark = 0;
  let clock = START;
  const who = (login, at) => `${login} <${login}@bench.example> ${at} +0000`;
  const rootFiles = [['access/grantops.yaml', org], ['access/people.yaml', `${people.join('\n')}\n`]];
  for (let r = 0; r < RESOURCES; r++) rootFiles.push([`access/resources/aws-prod/r${r}.yaml`, `id: r${r}\nsystem: aws-prod\nowners: [owner]\ngrants: { group: g${r} }\n`]);
  let main = ++mark;
  stream += `commit refs/heads/main\nmark :${main}\n${`author ${who('owner', clock)}`}\ncommitter ${who('owner', clock)}\n${data('organisation')}`;
  for (const [path, text] of rootFiles) stream += `M 100644 inline ${path}\n${data(text)}`;

  const merges = []; // { mark, side, base, number, file, user, resource, change, at }
  const state = new Map(); // file -> status
  let commits = 1;
  let number = 0;
  for (let k = 0; commits < COMMITS; k++) {
    clock += 600;
    const user = `u${k % PEOPLE}`;
    const resource = `r${(k * 7) % RESOURCES}`;
    const file = `access/grants/${user}/${resource}.yaml`;
    const previous = state.get(file);
    // Mostly requests and renewals; every fourth existing grant is revoked instead.
    const status = previous === 'active' && k % 4 === 0 ? 'expired' : 'active';
    const change = previous === undefined ? 'new' : status === 'expired' ? 'give-up' : previous === 'expired' ? 'renewal' : 'extension';
    const content = grant(user, resource, iso(clock + 5 * 86400), status);
    state.set(file, status);
    if (k % 10 === 9 || commits === COMMITS - 1) {
      // A direct push: no pull request, no decision.
      const direct = ++mark;
      stream += `commit refs/heads/main\nmark :${direct}\nauthor ${who(user, clock)}\ncommitter ${who(user, clock)}\n${data(`direct ${k}`)}from :${main}\nM 100644 inline ${file}\n${data(content)}`;
      main = direct;
      commits += 1;
      continue;
    }
    const side = ++mark;
    stream += `commit refs/heads/side\nmark :${side}\nauthor ${who(user, clock)}\ncommitter ${who(user, clock)}\n${data(`request ${k}`)}from :${main}\nM 100644 inline ${file}\n${data(content)}`;
    const merge = ++mark;
    number += 1;
    stream += `commit refs/heads/main\nmark :${merge}\nauthor ${who('mgr', clock + 300)}\ncommitter ${who('mgr', clock + 300)}\n${data(`Merge pull request #${number} from bench/side`)}from :${main}\nmerge :${side}\nM 100644 inline ${file}\n${data(content)}`;
    merges.push({ mark: merge, side, base: main, number, file, user, resource, change, at: clock + 300 });
    main = merge;
    commits += 2;
  }
  const marksFile = join(root, '.git', 'bench-marks');
  git(['fast-import', '--quiet', `--export-marks=${marksFile}`], stream);
  git(['reset', '-q', '--hard', 'main']);
  const shaOf = new Map(readFileSync(marksFile, 'utf8').trim().split('\n').map((line) => {
    const [m, sha] = line.split(' ');
    return [Number(m.slice(1)), sha];
  }));

  // The decision notes, one per merge, in notes commits of 100 (as runs append them over time).
  let notes = '';
  let previousNotes;
  for (let i = 0; i < merges.length; i += 100) {
    const batch = merges.slice(i, i + 100);
    const notesMark = ++mark;
    notes += `commit refs/notes/grantops\nmark :${notesMark}\ncommitter ${who('bot', batch.at(-1).at + 60)}\n${data('decisions')}`;
    if (previousNotes) notes += `from :${previousNotes}\n`;
    previousNotes = notesMark;
    for (const m of batch) {
      const head = shaOf.get(m.side);
      const needsApproval = m.change === 'new' || m.change === 'extension';
      const record = buildDecisionRecord({
        kind: 'apply',
        commit: shaOf.get(m.mark),
        recordedAt: new Date((m.at + 60) * 1000),
        dir: 'access',
        rulesSha: shaOf.get(m.base),
        pullRequest: {
          number: m.number,
          author: m.user,
          headSha: head,
          baseSha: shaOf.get(m.base),
          mergedBy: 'mgr',
          reviews: needsApproval
            ? [
                { reviewer: 'mgr', state: 'APPROVED', commitSha: head, submittedAt: iso(m.at - 200) },
                { reviewer: 'owner', state: 'APPROVED', commitSha: head, submittedAt: iso(m.at - 100) },
              ]
            : [],
        },
        grants: [{ file: m.file, user: m.user, resource: m.resource, change: m.change, status: 'approved', approvals: needsApproval ? [{ role: 'manager', by: 'mgr' }, { role: 'owner', by: 'owner' }] : [] }],
        operations: [
          {
            operation: { action: m.change === 'give-up' ? 'remove-user-from-group' : 'add-user-to-group', system: 'aws-prod', principal: m.user, target: `g${m.resource.slice(1)}`, resource: m.resource, grant: m.file },
            status: 'done',
            at: new Date((m.at + 30) * 1000),
          },
        ],
      });
      notes += `N inline ${shaOf.get(m.mark)}\n${data(serializeDecisionRecord(record))}`;
    }
  }
  git(['fast-import', '--quiet', `--import-marks=${marksFile}`], notes);
  const count = git(['rev-list', '--count', 'HEAD']).trim();

  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const time = async (fn) => {
    const times = [];
    let value;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      value = await fn();
      times.push(performance.now() - t);
    }
    return { ms: median(times), value };
  };
  const ports = { history: new GitAuditHistory(root), notes: new GitDecisionNotes(root), refs: new LocalGitRefReader(root) };

  const gitLog = await time(() => execFileSync('git', ['log', '--name-status'], { cwd: root, maxBuffer: 1 << 30 }).length);
  const audit = await time(() => auditRepository(ports, { dir: 'access', now: NOW, verify: false, filter: {} }));
  // --verify judges every record again with the evaluator, which parses the rules (2,000 people) each
  // time: measured on the last VERIFIED merges' window, once.
  const since = new Date(merges[merges.length - VERIFIED].at * 1000);
  const t0 = performance.now();
  const verified = await auditRepository(ports, { dir: 'access', now: NOW, verify: true, filter: { since } });
  const verify = { ms: performance.now() - t0, value: verified };
  const judged = merges.length - merges.findIndex((m) => m.at * 1000 >= since.getTime());

  const report = audit.value;
  const events = report.grants.reduce((n, g) => n + g.events.length, 0);
  console.log(`history: ${count} commits (${merges.length} pull request merges with decision notes, ${report.summary.unrecordedChanges.length} direct pushes), ${report.grants.length} grants, ${events} events`);
  console.log(`git log --name-status: ${gitLog.ms.toFixed(0)} ms (${(gitLog.value / 1e6).toFixed(1)} MB of output), median of ${RUNS}`);
  console.log(`grantops audit:        ${audit.ms.toFixed(0)} ms, median of ${RUNS}`);
  console.log(`ratio audit / git log: ${(audit.ms / gitLog.ms).toFixed(2)} (target <= 3)`);
  const perRecord = (verify.ms - audit.ms) / judged;
  console.log(`grantops audit --verify --since ${since.toISOString()}: ${verify.ms.toFixed(0)} ms for ${judged} recorded merges (${verify.value.findings.length} findings: the direct pushes in the window), ~${perRecord.toFixed(0)} ms per record judged`);
  console.log(`  the whole history (${merges.length} records) would take ~${((audit.ms + perRecord * merges.length) / 1000).toFixed(0)} s`);
  writeFileSync(join(root, 'done'), '');
} finally {
  rmSync(root, { recursive: true, force: true });
}
