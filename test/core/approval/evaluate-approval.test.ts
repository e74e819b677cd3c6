import { evaluateApproval, type ApprovalInput, type ApprovalResult, type ChangedFile, type EscalateSensitivity } from '../../../src/core/approval/evaluate-approval.js';
import { findApproversToRequest, countMissingApprovals } from '../../../src/core/approval/missing-approvals.js';
import type { Review, ReviewState } from '../../../src/core/approval/pull-request.js';
import { grantYaml, snapshot } from '../../helpers/repo.js';

/*
 * The test org (test/helpers/repo.ts): owner (org owner, executive) <- boss <- mgr <- dev, dev2;
 * boss <- res-owner. prod-db is high (manager + owner, owned by res-owner); logs-read is low (nobody).
 */
const NOW = new Date('2026-11-23T12:00:00Z');
const HEAD = 'a'.repeat(40);
const OLD = 'b'.repeat(40);
const DEV_DB = 'access/grants/dev/prod-db.yaml';

type Fields = Record<string, string>;
const grant = (over: Fields = {}): string =>
  grantYaml({ user: 'dev', resource: 'prod-db', reason: 'debug OPS-1', expires: '2026-11-28T00:00:00Z', approvalExpires: '2027-01-10T00:00:00Z', status: 'active', ...over });

/** One approval review: [reviewer], [reviewer, state], [reviewer, state, commit]. */
type R = [string, ReviewState?, string?, boolean?];

interface Case {
  author: string;
  /** Grant files: path -> base/head content (absent = new/deleted). */
  grants?: Record<string, { base?: string; head?: string }>;
  /** Rule files changed by the pull request: path -> head content (null = deleted). */
  rulesHead?: Record<string, string | null>;
  /** Overrides of the base rule files. */
  base?: Record<string, string | null>;
  reviews?: R[];
  extraChanged?: string[];
  escalate?: EscalateSensitivity;
}

function run(c: Case): ApprovalResult {
  const changes: ChangedFile[] = Object.entries(c.grants ?? {}).map(([path, v]) => ({ path, ...v }));
  for (const [path, head] of Object.entries(c.rulesHead ?? {})) changes.push(head === null ? { path } : { path, head });
  const reviews: Review[] = (c.reviews ?? []).map(([reviewer, state, sha, isBot], i) => ({
    reviewer,
    state: state ?? 'APPROVED',
    commitSha: sha ?? HEAD,
    submittedAt: new Date(Date.UTC(2026, 10, 23, 10, i)).toISOString(),
    ...(isBot !== undefined && { isBot }),
  }));
  const input: ApprovalInput = {
    rulesAtBase: snapshot(c.base ?? {}),
    grantsAtBase: snapshot(c.base ?? {}),
    changes,
    pr: { author: c.author, headSha: HEAD, baseSha: 'c'.repeat(40), changedFiles: [...changes.map((x) => x.path), ...(c.extraChanged ?? [])], reviews },
    now: NOW,
    ...(c.escalate && { escalate: c.escalate }),
  };
  return evaluateApproval(input);
}

const roleOf = (r: ApprovalResult, role: string, file = DEV_DB) => r.grants.find((g) => g.file === file)?.roles.find((x) => x.role === role);

describe('evaluateApproval: who must approve (DESIGN §3 rules 3 and 4)', () => {
  const cases: { name: string; c: Case; status: ApprovalResult['status']; satisfied?: Record<string, string>; missing?: Record<string, string[]>; ignored?: string[] }[] = [
    {
      name: 'new high grant approved by manager and owner on the head',
      c: { author: 'dev', grants: { [DEV_DB]: { head: grant() } }, reviews: [['mgr'], ['res-owner']] },
      status: 'approved',
      satisfied: { manager: 'mgr', owner: 'res-owner' },
    },
    {
      name: 'approvals before a new push are stale',
      c: { author: 'dev', grants: { [DEV_DB]: { head: grant() } }, reviews: [['mgr', 'APPROVED', OLD], ['res-owner']] },
      status: 'pending',
      satisfied: { owner: 'res-owner' },
      missing: { manager: ['mgr'] },
      ignored: ['mgr:stale'],
    },
    {
      name: 'the author approving (e.g. through --approvals) never counts: the manager role goes up',
      c: { author: 'mgr', grants: { [DEV_DB]: { head: grant() } }, reviews: [['mgr'], ['res-owner']] },
      status: 'pending',
      missing: { manager: ['boss'] },
    },
    {
      name: 'manager escalation: with the manager as author, the manager\'s manager approves',
      c: { author: 'mgr', grants: { [DEV_DB]: { head: grant() } }, reviews: [['boss'], ['res-owner']] },
      status: 'approved',
      satisfied: { manager: 'boss', owner: 'res-owner' },
    },
    {
      name: 'the grantee approving never counts, even as a resource owner',
      c: {
        author: 'dev',
        base: { 'access/resources/aws-prod/prod-db.yaml': 'id: prod-db\nsystem: aws-prod\nowners: [dev, res-owner]\ngrants: { group: db }\n' },
        grants: { [DEV_DB]: { head: grant() } },
        reviews: [['dev'], ['mgr']],
      },
      status: 'pending',
      missing: { owner: ['res-owner'] },
    },
    {
      name: 'bots never approve',
      c: { author: 'dev', grants: { [DEV_DB]: { head: grant() } }, reviews: [['mgr'], ['renovate[bot]'], ['res-owner', 'APPROVED', HEAD, true]] },
      status: 'pending',
      missing: { owner: ['res-owner'] },
      ignored: ['renovate[bot]:bot', 'res-owner:bot'],
    },
    {
      name: 'a later "changes requested" withdraws the approval',
      c: { author: 'dev', grants: { [DEV_DB]: { head: grant() } }, reviews: [['mgr'], ['res-owner'], ['mgr', 'CHANGES_REQUESTED']] },
      status: 'pending',
      missing: { manager: ['mgr'] },
      ignored: ['mgr:withdrawn'],
    },
    {
      name: 'a dismissed approval does not count',
      c: { author: 'dev', grants: { [DEV_DB]: { head: grant() } }, reviews: [['mgr', 'DISMISSED'], ['res-owner']] },
      status: 'pending',
      missing: { manager: ['mgr'] },
      ignored: ['mgr:withdrawn'],
    },
    {
      name: 'a comment after an approval keeps it; a new approval after changes requested restores it',
      c: { author: 'dev', grants: { [DEV_DB]: { head: grant() } }, reviews: [['mgr', 'CHANGES_REQUESTED'], ['mgr'], ['mgr', 'COMMENTED'], ['res-owner']] },
      status: 'approved',
      satisfied: { manager: 'mgr', owner: 'res-owner' },
    },
    {
      name: 'logins match whatever their case',
      c: { author: 'DEV', grants: { [DEV_DB]: { head: grant() } }, reviews: [['Mgr'], ['RES-OWNER']] },
      status: 'approved',
      satisfied: { manager: 'mgr', owner: 'res-owner' },
    },
    {
      name: 'critical needs an executive who is neither author nor grantee',
      c: {
        author: 'dev',
        base: { 'access/resources/aws-prod/prod-db.yaml': 'id: prod-db\nsystem: aws-prod\nsensitivity: critical\nowners: [res-owner]\ngrants: { group: db }\n' },
        grants: { [DEV_DB]: { head: grant({ expires: '2026-11-24T00:00:00Z', approvalExpires: '2026-12-10T00:00:00Z' }) } },
        reviews: [['mgr'], ['res-owner']],
      },
      status: 'pending',
      satisfied: { manager: 'mgr', owner: 'res-owner' },
      missing: { executive: ['owner'] },
    },
    {
      name: 'a low resource needs nobody',
      c: { author: 'dev', grants: { 'access/grants/dev/logs-read.yaml': { head: grant({ resource: 'logs-read' }) } } },
      status: 'approved',
    },
  ];

  it.each(cases)('$name', ({ c, status, satisfied, missing, ignored }) => {
    const result = run(c);
    expect(result.errors).toEqual([]);
    expect(result.status).toBe(status);
    expect(result.approved).toBe(status === 'approved');
    for (const [role, by] of Object.entries(satisfied ?? {})) {
      expect(roleOf(result, role)).toMatchObject({ status: 'satisfied', satisfiedBy: by });
    }
    for (const [role, candidates] of Object.entries(missing ?? {})) {
      expect(roleOf(result, role)).toMatchObject({ status: 'missing', candidates });
    }
    if (ignored) expect(result.ignoredReviews.map((r) => `${r.reviewer}:${r.reason}`).sort()).toEqual([...ignored].sort());
    // Every node says why.
    expect(result.why).not.toBe('');
    for (const g of result.grants) {
      expect(g.why).not.toBe('');
      for (const r of g.roles) expect(r.why).not.toBe('');
    }
  });

  it('explains an escalated manager role and names who can approve', () => {
    const result = run({ author: 'mgr', grants: { [DEV_DB]: { head: grant() } }, reviews: [] });
    expect(roleOf(result, 'manager')?.why).toMatch(/mgr manages dev but mgr is the author, so the role goes up to boss/);
    expect(findApproversToRequest(result)).toEqual(['boss', 'res-owner']);
    expect(countMissingApprovals(result)).toBe(2);
  });

  it('nobody can fill the manager role when the grantee has no manager', () => {
    const result = run({ author: 'owner', grants: { 'access/grants/owner/prod-db.yaml': { head: grant({ user: 'owner' }) } }, reviews: [['res-owner']] });
    expect(result.status).toBe('pending');
    expect(roleOf(result, 'manager', 'access/grants/owner/prod-db.yaml')).toMatchObject({ status: 'missing', candidates: [] });
    expect(roleOf(result, 'manager', 'access/grants/owner/prod-db.yaml')?.why).toMatch(/owner has no manager/);
  });
});

describe('evaluateApproval: requests on behalf (rule 5)', () => {
  it.each([
    ['the direct manager', 'mgr'],
    ['a manager two levels up', 'boss'],
    ['a manager three levels up', 'owner'],
  ])('%s may ask on behalf', (_name, author) => {
    const result = run({ author, grants: { [DEV_DB]: { head: grant() } } });
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('pending');
    expect(result.grants[0]!.why).toMatch(new RegExp(`${author} asks on behalf of dev as`));
  });

  it('an org owner outside the chain may ask on behalf', () => {
    const result = run({ author: 'owner', grants: { 'access/grants/res-owner/logs-read.yaml': { head: grant({ user: 'res-owner', resource: 'logs-read' }) } } });
    expect(result.status).toBe('approved');
  });

  it('a stranger asking on behalf is an error, located at the user', () => {
    const result = run({ author: 'dev2', grants: { [DEV_DB]: { head: grant() } }, reviews: [['mgr'], ['res-owner']] });
    expect(result.status).toBe('invalid');
    expect(result.errors).toEqual([expect.objectContaining({ file: DEV_DB, line: 1, column: 7, rule: 'approval/on-behalf' })]);
    expect(result.errors[0]!.message).toMatch(/dev2 asks on behalf of dev but is neither/);
  });

  it('a stranger renewing someone else\'s access is an error too; giving it up is not', () => {
    const base = grant({ status: 'expired', expires: '2026-11-20T00:00:00Z' });
    const renewal = run({ author: 'dev2', grants: { [DEV_DB]: { base, head: grant({ expires: '2026-11-27T00:00:00Z' }) } } });
    expect(renewal.errors.map((e) => e.rule)).toEqual(['approval/on-behalf']);
    const giveUp = run({ author: 'grantops[bot]', grants: { [DEV_DB]: { base: grant() } } });
    expect(giveUp.status).toBe('approved');
  });
});

describe('evaluateApproval: renewal and giving up (rules 7 and 8)', () => {
  const expiredBase = grant({ status: 'expired', expires: '2026-11-20T00:00:00Z' });
  const cases: { name: string; base?: string; head?: string; change: string; status: ApprovalResult['status']; required: string[] }[] = [
    { name: 'renewal inside the approval window needs no reviewer', base: expiredBase, head: grant({ expires: '2026-11-29T00:00:00Z' }), change: 'renewal', status: 'approved', required: [] },
    { name: 'renewal of a lapsed but still active grant', base: grant({ expires: '2026-11-22T00:00:00Z' }), head: grant({ expires: '2026-11-29T00:00:00Z' }), change: 'renewal', status: 'approved', required: [] },
    {
      name: 'after the approval expired the full rule applies again',
      base: grant({ status: 'expired', expires: '2026-11-01T00:00:00Z', approvalExpires: '2026-11-15T00:00:00Z' }),
      head: grant({ expires: '2026-11-29T00:00:00Z', approvalExpires: '2026-11-15T00:00:00Z' }),
      change: 'extension',
      status: 'invalid', // and expires after approvalExpires is an error on top
      required: ['manager', 'owner'],
    },
    {
      name: 'a new approval window after expiry is a change judged in full',
      base: grant({ status: 'expired', expires: '2026-11-01T00:00:00Z', approvalExpires: '2026-11-15T00:00:00Z' }),
      head: grant({ expires: '2026-11-29T00:00:00Z', approvalExpires: '2026-12-20T00:00:00Z' }),
      change: 'change',
      status: 'pending',
      required: ['manager', 'owner'],
    },
    { name: 'extending running access is judged in full', base: grant(), head: grant({ expires: '2026-11-29T00:00:00Z' }), change: 'extension', status: 'pending', required: ['manager', 'owner'] },
    { name: 'renewal that also changes the reason is judged in full', base: expiredBase, head: grant({ expires: '2026-11-29T00:00:00Z', reason: 'more' }), change: 'change', status: 'pending', required: ['manager', 'owner'] },
    { name: 'deleting the grant needs nobody', base: grant(), change: 'give-up', status: 'approved', required: [] },
    { name: 'shortening expires needs nobody', base: grant(), head: grant({ expires: '2026-11-25T00:00:00Z' }), change: 'give-up', status: 'approved', required: [] },
    { name: 'setting status expired needs nobody', base: grant(), head: grant({ status: 'expired' }), change: 'give-up', status: 'approved', required: [] },
    { name: 'a formatting-only change needs nobody', base: grant(), head: `# reformatted\n${grant({ expires: '"2026-11-28T00:00:00.000Z"' })}`, change: 'unchanged', status: 'approved', required: [] },
  ];

  it.each(cases)('$name', ({ base, head, change, status, required }) => {
    const result = run({ author: 'dev', grants: { [DEV_DB]: { ...(base !== undefined && { base }), ...(head !== undefined && { head }) } } });
    expect(result.grants).toHaveLength(1);
    expect(result.grants[0]).toMatchObject({ change, status, required });
    expect(result.status).toBe(status);
  });

  it('a renewal past the limits is an error, not a pending approval', () => {
    const result = run({ author: 'dev', grants: { [DEV_DB]: { base: expiredBase, head: grant({ expires: '2026-12-20T00:00:00Z' }) } } });
    expect(result.grants[0]!.change).toBe('renewal');
    expect(result.status).toBe('invalid');
    expect(result.errors.map((e) => e.rule)).toEqual(['grant/max-access']);
  });
});

describe('evaluateApproval: limits and invalid files (rule 6)', () => {
  it.each([
    ['expires beyond maxAccess', { expires: '2026-12-05T00:00:00Z' }, 'grant/max-access', 4, 10],
    ['approvalExpires beyond approvalTtl', { approvalExpires: '2027-03-01T00:00:00Z' }, 'grant/approval-ttl', 5, 18],
    ['expires after approvalExpires', { approvalExpires: '2026-11-25T00:00:00Z' }, 'grant/expires-after-approval', 4, 10],
  ])('%s is an error at its line', (_name, over, rule, line, column) => {
    const result = run({ author: 'dev', grants: { [DEV_DB]: { head: grant(over) } }, reviews: [['mgr'], ['res-owner']] });
    expect(result.status).toBe('invalid');
    expect(result.approved).toBe(false);
    expect(result.errors).toEqual([expect.objectContaining({ file: DEV_DB, line, column, rule })]);
    expect(result.grants[0]!.status).toBe('invalid');
  });

  it('invalid head YAML makes the result invalid with located errors', () => {
    const result = run({ author: 'dev', grants: { [DEV_DB]: { head: 'user: dev\nresource: [prod-db\n' } } });
    expect(result.status).toBe('invalid');
    expect(result.errors[0]).toMatchObject({ file: DEV_DB, line: 3, column: 1, rule: 'yaml/syntax' });
    expect(result.grants[0]).toMatchObject({ file: DEV_DB, user: 'dev', resource: 'prod-db', status: 'invalid' });
  });

  it('an unknown key in the head file is located', () => {
    const result = run({ author: 'dev', grants: { [DEV_DB]: { head: grant() + 'approver: mgr\n' } } });
    expect(result.errors).toEqual([expect.objectContaining({ file: DEV_DB, line: 7, column: 1, rule: 'schema/unknown-key' })]);
  });

  it('a grant for someone only the head adds to people.yaml is judged by the base, where they do not exist', () => {
    const people = `${snapshot().files.find((f) => f.path === 'access/people.yaml')!.content as string}- { login: newbie, name: New, manager: mgr, aws: { user: newbie } }\n`;
    const result = run({ author: 'newbie', rulesHead: { 'access/people.yaml': people }, grants: { 'access/grants/newbie/logs-read.yaml': { head: grant({ user: 'newbie', resource: 'logs-read' }) } } });
    expect(result.status).toBe('invalid');
    expect(result.errors.map((e) => e.rule)).toContain('ref/unknown-person');
  });

  it('a changed grant file whose content was not provided fails closed', () => {
    const result = run({ author: 'dev', extraChanged: [DEV_DB] });
    expect(result.status).toBe('invalid');
    expect(result.errors).toEqual([expect.objectContaining({ file: DEV_DB, rule: 'approval/missing-content' })]);
  });

  it('something other than a plain file at the head (a symlink) is an error, never a deletion', () => {
    const input = { author: 'dev', grants: { [DEV_DB]: { base: grant() } } };
    const result = evaluateApproval({
      rulesAtBase: snapshot(),
      changes: [{ path: DEV_DB, base: grant(), headUnreadable: 'a symlink' }],
      pr: { author: input.author, headSha: HEAD, baseSha: OLD, changedFiles: [DEV_DB], reviews: [] },
      now: NOW,
    });
    expect(result.status).toBe('invalid');
    expect(result.errors).toEqual([expect.objectContaining({ file: DEV_DB, rule: 'file/unreadable', message: 'a symlink' })]);
    expect(result.grants[0]).toMatchObject({ change: 'change', status: 'invalid' });
  });

  it('a stray YAML file under the access directory is an error', () => {
    const result = run({ author: 'dev', grants: { 'access/grants/dev.yaml': { head: grant() } } });
    expect(result.status).toBe('invalid');
    expect(result.errors.map((e) => e.rule)).toEqual(['layout/unexpected-file']);
  });

  it('no valid grantops.yaml at the base: nothing can be approved', () => {
    const result = run({ author: 'dev', base: { 'access/grantops.yaml': 'org: [broken\n' }, grants: { 'access/grants/dev/logs-read.yaml': { head: grant({ resource: 'logs-read' }) } } });
    expect(result.status).toBe('invalid');
    expect(result.errors.map((e) => e.rule)).toContain('approval/no-base-rules');
  });
});

describe('evaluateApproval: rules come from the base (rules 1 and 2)', () => {
  const loweredDb = 'id: prod-db\nsystem: aws-prod\nsensitivity: none\nowners: [res-owner]\ngrants: { managedPolicy: "arn:aws:iam::aws:policy/AmazonRDSFullAccess" }\n';

  it('a rule change smuggled in with a grant: the grant is judged by the base and an org owner must approve', () => {
    const result = run({
      author: 'dev',
      rulesHead: { 'access/resources/aws-prod/prod-db.yaml': loweredDb },
      grants: { [DEV_DB]: { head: grant() } },
      reviews: [['mgr'], ['res-owner']],
    });
    expect(result.errors).toEqual([]);
    expect(result.grants[0]).toMatchObject({ required: ['manager', 'owner'], status: 'approved', sensitivity: { level: 'high' } });
    expect(result.rulesChange).toMatchObject({ role: 'org-owner', status: 'missing', candidates: ['owner'], files: ['access/resources/aws-prod/prod-db.yaml'] });
    expect(result.status).toBe('pending');
    expect(findApproversToRequest(result)).toEqual(['owner']);
  });

  it('the org owner approving the rules change completes it', () => {
    const result = run({ author: 'dev', rulesHead: { 'access/resources/aws-prod/prod-db.yaml': loweredDb }, reviews: [['owner']] });
    expect(result.status).toBe('approved');
    expect(result.rulesChange).toMatchObject({ status: 'satisfied', satisfiedBy: 'owner' });
  });

  it('an org owner cannot approve their own rules change', () => {
    const result = run({ author: 'owner', rulesHead: { 'access/grantops.yaml': `${snapshot().files[0]!.content as string}# tweak\n` }, reviews: [['owner']] });
    expect(result.status).toBe('pending');
    expect(result.rulesChange).toMatchObject({ status: 'missing', candidates: [] });
  });

  it('a change under schemas/ is a rules change too', () => {
    const result = run({ author: 'dev', extraChanged: ['schemas/grant.schema.json'] });
    expect(result.touchesAccess).toBe(true);
    expect(result.rulesChange).toMatchObject({ status: 'missing', files: ['schemas/grant.schema.json'] });
  });

  it('a broken rule file at the head is an error; a problem already at the base is not the change\'s', () => {
    const people = `${snapshot().files.find((f) => f.path === 'access/people.yaml')!.content as string}- { login: x, name: X, manager: ghost }\n`;
    const result = run({ author: 'dev', rulesHead: { 'access/people.yaml': people }, reviews: [['owner']] });
    expect(result.status).toBe('invalid');
    expect(result.errors).toEqual([expect.objectContaining({ file: 'access/people.yaml', line: 7, rule: 'ref/unknown-manager' })]);

    const brokenBase = { 'access/resources/aws-prod/stale.yaml': 'id: stale\nsystem: aws-prod\nsensitivity: low\nowners: [ghost]\ngrants: { group: g }\n' };
    const fine = run({ author: 'dev', base: brokenBase, rulesHead: { 'access/resources/aws-prod/prod-db.yaml': loweredDb }, reviews: [['owner']] });
    expect(fine.errors).toEqual([]);
    expect(fine.status).toBe('approved');
  });

  it('deleting a rule file that is still needed is an error', () => {
    const result = run({ author: 'dev', rulesHead: { 'access/grantops.yaml': null }, reviews: [['owner']] });
    expect(result.errors.map((e) => e.rule)).toContain('file/missing');
  });

  it('a pull request touching nothing under access/ is approved and says so', () => {
    const result = run({ author: 'dev', extraChanged: ['README.md'] });
    expect(result).toMatchObject({ status: 'approved', touchesAccess: false, grants: [] });
  });
});

describe('evaluateApproval: effective sensitivity', () => {
  it('escalate raises the level, capped at the most sensitive one', () => {
    const escalate: EscalateSensitivity = (_g, r) => (r.id === 'logs-read' ? { levels: 2, why: 'the policy has high risk' } : undefined);
    const result = run({ author: 'dev', grants: { 'access/grants/dev/logs-read.yaml': { head: grant({ resource: 'logs-read' }) } }, escalate });
    expect(result.grants[0]).toMatchObject({ required: ['manager', 'owner'], sensitivity: { level: 'high', resourceLevel: 'low', escalatedBy: 2 } });
    expect(result.grants[0]!.sensitivity!.why).toMatch(/raised to high: the policy has high risk/);
    const capped = run({ author: 'dev', grants: { [DEV_DB]: { head: grant({ expires: '2026-11-24T00:00:00Z', approvalExpires: '2026-12-01T00:00:00Z' }) } }, escalate: () => ({ levels: 5, why: 'x' }) });
    expect(capped.grants[0]!.sensitivity).toMatchObject({ level: 'critical', escalatedBy: 1 });
  });

  it('an escalation rule that throws fails closed', () => {
    const result = run({ author: 'dev', grants: { [DEV_DB]: { head: grant() } }, escalate: () => { throw new Error('risk data unavailable'); } });
    expect(result.status).toBe('invalid');
    expect(result.errors[0]).toMatchObject({ rule: 'approval/internal' });
    expect(result.errors[0]!.message).toMatch(/risk data unavailable/);
  });
});
