// Scores a generated account of 5,000 policies and the principals that attach them, with the principal
// graph (trust policies, instance profiles, role chains), and prints the time against the 5 s target.
// Run with `npm run bench:risk` (builds lib/ first). Not a test.
import { loadActionCatalogue } from '../lib/adapters/iam-data/load-action-catalogue.js';
import { ActionIndex } from '../lib/core/risk/action-index.js';
import { RiskScorer } from '../lib/core/risk/risk-scorer.js';
import { AccountPrincipals } from '../lib/core/risk/account-principals.js';
import { scoreAccount } from '../lib/core/risk/score-account.js';

const POLICIES = 5000;
const GROUPS = 400;
const USERS = 3000;
const ROLES = 1500;
const TARGET_MS = 5000;
const ACCOUNT = 'arn:aws:iam::111122223333';

// A fixed-seed generator, so every run scores the same account.
let seed = 0x2f6e2b1;
const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const pick = (list) => list[Math.floor(random() * list.length)];
const some = (list, n) => Array.from({ length: n }, () => pick(list));

function generatePolicy(index, i) {
  const service = pick(index.services);
  const actionsOf = (s) => index.names.slice(s.start, s.end);
  const kind = random();
  let Statement;
  if (kind < 0.55) {
    // A hand-written least-privilege policy: a few actions of one or two services on named resources.
    Statement = [{ Effect: 'Allow', Action: some(actionsOf(service), 2 + Math.floor(random() * 8)), Resource: [`arn:aws:${service.prefix}:::res-${i}`, `arn:aws:${service.prefix}:::res-${i}/*`] }];
    if (random() < 0.5) Statement.push({ Effect: 'Allow', Action: some(actionsOf(pick(index.services)), 3), Resource: '*' });
    // Role chains and passing roles: what the graph follows.
    if (random() < 0.15) Statement.push({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: random() < 0.3 ? '*' : `${ACCOUNT}:role/r${Math.floor(random() * ROLES)}` });
    if (random() < 0.05) Statement.push({ Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' });
  } else if (kind < 0.85) {
    // A vendor-style policy: read wildcards and a service wildcard, sometimes with a condition.
    Statement = [
      { Effect: 'Allow', Action: [`${service.prefix}:Get*`, `${service.prefix}:List*`, `${service.prefix}:Describe*`], Resource: '*' },
      { Effect: 'Allow', Action: `${pick(index.services).prefix}:*`, Resource: '*', ...(random() < 0.3 ? { Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } } : {}) },
    ];
  } else if (kind < 0.95) {
    // Power-user style: everything but a few services.
    Statement = [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', `${service.prefix}:*`], Resource: '*' }];
  } else if (kind < 0.99) {
    Statement = [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: [`${service.prefix}:Delete*`, 'iam:*'], Resource: '*' },
    ];
  } else {
    Statement = [{ Effect: 'Allow', Action: '*', Resource: '*' }];
  }
  return { PolicyName: `p${i}`, Arn: `${ACCOUNT}:policy/p${i}`, PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: { Version: '2012-10-17', Statement } }] };
}

function attach(policies, n) {
  return some(policies, n).map((p) => ({ PolicyName: p.PolicyName, PolicyArn: p.Arn }));
}

function generateAccount(index) {
  const Policies = Array.from({ length: POLICIES }, (_, i) => generatePolicy(index, i));
  const GroupDetailList = Array.from({ length: GROUPS }, (_, i) => ({ GroupName: `g${i}`, Arn: `${ACCOUNT}:group/g${i}`, AttachedManagedPolicies: attach(Policies, 1 + Math.floor(random() * 4)) }));
  const UserDetailList = Array.from({ length: USERS }, (_, i) => ({
    UserName: `u${i}`,
    Arn: `${ACCOUNT}:user/u${i}`,
    GroupList: some(GroupDetailList, 1 + Math.floor(random() * 3)).map((g) => g.GroupName),
    AttachedManagedPolicies: attach(Policies, Math.floor(random() * 4)),
  }));
  const SERVICES = ['ec2.amazonaws.com', 'lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'cloudformation.amazonaws.com', 'glue.amazonaws.com'];
  const trust = (Principal) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal, Action: 'sts:AssumeRole' }] });
  const RoleDetailList = Array.from({ length: ROLES }, (_, i) => {
    const kind = random();
    const service = pick(SERVICES);
    const AssumeRolePolicyDocument =
      kind < 0.4 ? trust({ Service: service })
      : kind < 0.8 ? trust({ AWS: 'arn:aws:iam::111122223333:root' })
      : trust({ AWS: some([...Array.from({ length: 3 }, () => `${ACCOUNT}:user/u${Math.floor(random() * USERS)}`), `${ACCOUNT}:role/r${Math.floor(random() * ROLES)}`], 2) });
    const InstanceProfileList = kind < 0.4 && service === 'ec2.amazonaws.com' ? [{ InstanceProfileName: `r${i}` }] : [];
    return { RoleName: `r${i}`, Arn: `${ACCOUNT}:role/r${i}`, AssumeRolePolicyDocument, InstanceProfileList, AttachedManagedPolicies: attach(Policies, 1 + Math.floor(random() * 5)) };
  });
  return { UserDetailList, GroupDetailList, RoleDetailList, Policies };
}

const ms = (start) => performance.now() - start;
const fmt = (n) => `${n.toFixed(0)} ms`;

let start = performance.now();
const catalogue = await loadActionCatalogue();
const loadMs = ms(start);
start = performance.now();
const index = new ActionIndex(catalogue);
const indexMs = ms(start);
const account = generateAccount(index);

start = performance.now();
const at = new Date('2026-12-01T00:00:00Z');
const first = scoreAccount(new RiskScorer(index), account, { at });
const coldMs = ms(start);
start = performance.now();
const second = scoreAccount(new RiskScorer(index), account, { at });
const warmMs = ms(start);

// The same account scored as before the graph (every policy, every principal on its own policies), in the
// same run, with the pattern cache warm: what the graph costs.
start = performance.now();
const alone = new RiskScorer(index);
const held = new AccountPrincipals(alone, account, at);
for (const p of account.Policies) alone.scorePermissions([held.managedPermissions(p.Arn)]);
for (const p of held.all()) alone.scorePermissions(p.policies.map((x) => x.permissions), p.boundary);
const withoutGraphMs = ms(start);

const principals = first.principals.length;
const findings = first.policies.reduce((n, p) => n + p.findings.length, 0) + first.principals.reduce((n, p) => n + p.findings.length, 0);
if (JSON.stringify(first.principals.map((p) => p.score)) !== JSON.stringify(second.principals.map((p) => p.score))) throw new Error('two runs disagree');
console.log(`catalogue: ${index.size} actions in ${index.services.length} services (${catalogue.source})`);
console.log(`load catalogue ${fmt(loadMs)}, index it ${fmt(indexMs)} (once per process)`);
const reaching = first.principals.filter((p) => p.reach);
const longest = Math.max(0, ...reaching.map((p) => p.reach.path.length));
console.log(`account: ${POLICIES} policies, ${principals} principals (${USERS} users in ${GROUPS} groups, ${ROLES} roles), ${findings} findings`);
console.log(`graph: ${reaching.length} principals reach a worse one (longest path ${longest} steps), ${first.principals.filter((p) => p.score >= 90).length} at administrator level`);
console.log(`score account, first run (pattern cache cold): ${fmt(coldMs)}  = ${(coldMs / POLICIES * 1000).toFixed(0)} µs per policy incl. principals`);
console.log(`score account, second run (pattern cache warm): ${fmt(warmMs)}  cold/warm ${(coldMs / warmMs).toFixed(2)}x`);
console.log(`the same without the graph (policies, principals on their own policies; warm): ${fmt(withoutGraphMs)}; with the graph ${(warmMs / withoutGraphMs).toFixed(2)}x`);
console.log(`total with catalogue load: ${fmt(loadMs + indexMs + coldMs)}; target <= ${TARGET_MS} ms: ${loadMs + indexMs + coldMs <= TARGET_MS ? 'met' : 'MISSED'} (${((loadMs + indexMs + coldMs) / TARGET_MS).toFixed(2)} of target)`);
