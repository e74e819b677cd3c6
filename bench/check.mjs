// The GitHub App on a large pull request: a generated organisation of 10,000 grants (2,000 people, 500
// resources, generated here), a pull request adding 1,000 grants, delivered as a signed webhook to the app (Probot's node
// middleware on 127.0.0.1) while its GitHub API calls go to the project's stand-in GitHub server. Prints
// the wall time and the GitHub requests of the first evaluation against the budget 10 + 2·ceil(F/100),
// then of a re-delivery and of an approving review. Run with `npm run bench:check` (builds lib/ first).
// Not a test.
import { execFileSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import grantopsApp, { defaultDeps } from '../lib/app.js';

const PEOPLE = 2_000;
const RESOURCES = 500;
const GRANTS = 10_000;
const NEW_GRANTS = 1_000;
const NOW = new Date('2026-11-23T12:00:00Z');
const APP_ID = 77;
const SECRET = 'bench-secret';
const here = dirname(fileURLToPath(import.meta.url));

// The stand-in server is test code (TypeScript); bundle it for plain node.
const out = join(here, 'out', 'check');
await build({
  entryPoints: [join(here, '../test/github-server/index.ts'), join(here, '../test/github-server/app-key.ts'), join(here, '../test/app/payloads.ts')],
  outdir: out,
  outbase: join(here, '../test'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'error',
});
const { startGitHubServer } = await import(join(out, 'github-server/index.js'));
const { generateAppKey } = await import(join(out, 'github-server/app-key.js'));
const { pullRequestPayload, reviewPayload, INSTALLATION_ID } = await import(join(out, 'app/payloads.js'));

const root = mkdtempSync(join(tmpdir(), 'grantops-bench-app-'));
const git = (...args) => execFileSync('git', args, { cwd: root, maxBuffer: 1 << 30 }).toString().trim();
const pad = (n) => String(n).padStart(4, '0');
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
const write = (path, text) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const grant = (user, resource, expiresInHours) =>
  `user: ${user}\nresource: ${resource}\nreason: Ticket BENCH\nexpires: ${iso(NOW.getTime() + expiresInHours * 3600_000)}\napprovalExpires: ${iso(NOW.getTime() + 20 * 86_400_000)}\nstatus: active\n`;

/** 2,000 people in a manager tree (fan-out 8), 500 resources at every sensitivity, 10,000 grants within their limits. */
function generateOrg() {
  write('access/grantops.yaml', `org: Benchmark Corp
owners: [user-0000]
sensitivity:
  none:     { approvers: [], maxAccess: 90d, approvalTtl: 365d }
  low:      { approvers: [], notify: [owner], maxAccess: 30d, approvalTtl: 180d }
  medium:   { approvers: [manager], maxAccess: 14d, approvalTtl: 90d }
  high:     { approvers: [manager, owner], maxAccess: 7d, approvalTtl: 60d }
  critical: { approvers: [manager, owner, executive], maxAccess: 1d, approvalTtl: 30d }
defaults:
  - { resources: "prod-*", sensitivity: high }
systems:
  aws-prod: { type: aws, accountId: "111122223333" }
`);
  const people = [];
  for (let i = 0; i < PEOPLE; i++) {
    const manager = i > 0 ? `, manager: user-${pad(Math.floor((i - 1) / 8))}` : '';
    people.push(`- { login: user-${pad(i)}, name: Person ${i}${manager}${i < 5 ? ', roles: [executive]' : ''}, aws: { user: user-${pad(i)} } }`);
  }
  write('access/people.yaml', `${people.join('\n')}\n`);
  const levels = ['none', 'low', 'medium', 'high', 'critical'];
  const resources = [];
  for (let r = 0; r < RESOURCES; r++) {
    const id = `${r % 3 === 0 ? 'prod' : 'svc'}-res-${pad(r)}`;
    resources.push(id);
    write(`access/resources/aws-prod/${id}.yaml`, `id: ${id}\nsystem: aws-prod\nsensitivity: ${levels[r % levels.length]}\nowners: [user-${pad((r * 37) % PEOPLE)}]\ngrants: { group: bench-${pad(r)} }\n`);
  }
  const perPerson = GRANTS / PEOPLE;
  for (let g = 0; g < GRANTS; g++) {
    const user = g % PEOPLE;
    const resource = resources[(user + Math.floor(g / PEOPLE) * (RESOURCES / perPerson)) % RESOURCES];
    write(`access/grants/user-${pad(user)}/${resource}.yaml`, grant(`user-${pad(user)}`, resource, 12));
  }
  return { files: 2 + RESOURCES + GRANTS, resources };
}

let server;
let http;
try {
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Bench');
  git('config', 'user.email', 'bench@bench.example');
  git('config', 'commit.gpgsign', 'false');
  const org = generateOrg();
  git('add', '-A');
  git('commit', '-q', '-m', 'organisation');
  const base = git('rev-parse', 'HEAD');

  // The org owner asks, on behalf of a thousand people, for a resource each does not hold yet. Twelve hours
  // of access and twenty days of approval are within every sensitivity's limits.
  git('checkout', '-q', '-b', 'request');
  const { resources } = org;
  let added = 0;
  for (let i = 1; added < NEW_GRANTS; i++) {
    const user = `user-${pad(i)}`;
    const resource = resources[(i * 7 + 101) % resources.length];
    const path = join(root, 'access/grants', user, `${resource}.yaml`);
    if (existsSync(path)) continue;
    write(`access/grants/${user}/${resource}.yaml`, grant(user, resource, 12));
    added++;
  }
  git('add', '-A');
  git('commit', '-q', '-m', 'request 1,000 grants');
  const head = git('rev-parse', 'HEAD');

  const privateKey = generateAppKey();
  server = await startGitHubServer({ appId: APP_ID, appKey: privateKey });
  server.state.addInstallation(INSTALLATION_ID, 'bench');
  const repo = server.state.addRepository({ owner: 'bench', name: 'access', gitDir: root });
  const pull = server.state.openPullRequest(repo, { author: 'user-0000', headSha: head, baseSha: base, headRef: 'request' });

  const probot = new Probot({
    appId: APP_ID,
    privateKey,
    secret: SECRET,
    baseUrl: server.apiUrl,
    logLevel: 'warn',
    // Octokit's client-side throttle spaces writes a second apart (three for ones that notify); that is
    // waiting, not work, so it is off here as in the tests.
    Octokit: ProbotOctokit.defaults((o) => ({ ...o, throttle: { ...o.throttle, enabled: false }, retry: { enabled: false } })),
  });
  const deps = { ...defaultDeps({}), now: () => NOW };
  const middleware = await createNodeMiddleware((app, options) => grantopsApp(app, options, deps), { probot });
  http = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${http.address().port}/api/github/webhooks`;

  // Delivers and waits until the evaluation has finished (the middleware answers 202 after nine seconds).
  const deliver = async (event, payload) => {
    const body = JSON.stringify(payload);
    const from = server.requests.length;
    const evaluations = () => repo.checkRuns.size + [...repo.comments.values()].reduce((n, c) => n + c.body.length, 0);
    const before = evaluations();
    const t = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` },
      body,
    });
    await response.text();
    if (response.status === 202) while (evaluations() === before) await new Promise((r) => setTimeout(r, 20));
    if (response.status >= 400) throw new Error(`delivery failed: ${response.status}`);
    return { ms: performance.now() - t, requests: server.requests.slice(from) };
  };
  const breakdown = (requests) => {
    const counts = new Map();
    for (const r of requests) {
      const key = `${r.method} ${r.path.replace(/\/\d+(?=\/|$)/g, '/N').replace(/[0-9a-f]{40}/g, 'SHA')}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts].map(([k, n]) => `    ${String(n).padStart(3)}  ${k}`).join('\n');
  };

  const F = NEW_GRANTS;
  const budget = 10 + 2 * Math.ceil(F / 100);
  console.log(`organisation: ${org.files} files in a git repository; pull request #${pull.number} adds ${F} grants`);

  const first = await deliver('pull_request', pullRequestPayload('opened', repo, pull, { changedFiles: F }));
  const check = [...repo.checkRuns.values()].pop();
  console.log(`\nfirst evaluation (pull_request.opened): ${first.ms.toFixed(0)} ms wall, ${first.requests.length} GitHub requests, budget ${budget} (${((first.requests.length / budget) * 100).toFixed(0)}% of it)`);
  console.log(`  check: ${check.status}${check.conclusion ? `/${check.conclusion}` : ''} "${check.output.title}"; ${check.annotations.length} annotations; ${pull.requestedReviewers.length} reviewers requested`);
  console.log(breakdown(first.requests));

  const again = await deliver('pull_request', pullRequestPayload('opened', repo, pull, { changedFiles: F }));
  console.log(`\nre-delivered event: ${again.ms.toFixed(0)} ms wall, ${again.requests.length} GitHub request(s) (budget 1)`);

  const approver = pull.requestedReviewers[0] ?? 'user-0001';
  const review = server.state.submitReview(pull, approver, 'APPROVED');
  const approval = await deliver('pull_request_review', reviewPayload('submitted', repo, pull, review));
  const after = [...repo.checkRuns.values()].pop();
  console.log(`\napproval by ${approver} (judged from memory): ${approval.ms.toFixed(0)} ms wall, ${approval.requests.length} GitHub requests; check now "${after.output.title}"`);
  console.log(breakdown(approval.requests));
  console.log(`\nratio: first evaluation ${(first.ms / F).toFixed(2)} ms per grant; re-judging from memory ${(approval.ms / first.ms * 100).toFixed(0)}% of a first evaluation`);
} finally {
  http?.closeAllConnections();
  http?.close();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
}
