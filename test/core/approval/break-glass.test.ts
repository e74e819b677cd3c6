import { describe, expect, it } from '@jest/globals';
import { evaluateApproval, type ApprovalResult, type ChangedFile } from '../../../src/core/approval/evaluate-approval.js';
import type { Review } from '../../../src/core/approval/pull-request.js';
import { judgeRatification } from '../../../src/core/approval/ratify-break-glass.js';
import { loadAccessRepo } from '../../../src/core/load-access-repo.js';
import { grantYaml, ORG, PEOPLE, RESOURCES, snapshot } from '../../helpers/repo.js';

/*
 * The test org of test/helpers/repo.ts with break-glass on prod-db (high: manager + owner): holders of
 * `oncall` (dev, and mgr) may take it for 4h, to be ratified within 12h. dev2 is not on call.
 */
const NOW = new Date('2026-11-23T03:00:00Z');
const HEAD = 'a'.repeat(40);
const DEV_DB = 'access/grants/dev/prod-db.yaml';
const DEV2_DB = 'access/grants/dev2/prod-db.yaml';
const RULES = {
  'access/people.yaml': PEOPLE.replace('{ login: dev, name: Developer, manager: mgr,', '{ login: dev, name: Developer, manager: mgr, roles: [oncall],').replace(
    '{ login: mgr, name: Manager, manager: boss,',
    '{ login: mgr, name: Manager, manager: boss, roles: [oncall],',
  ),
  'access/resources/aws-prod/prod-db.yaml': `${RESOURCES['prod-db']}breakGlass: { roles: [oncall], maxAccess: 4h, ratifyWithin: 12h }\n`,
};
const bg = (over: Record<string, string> = {}) =>
  grantYaml({ user: 'dev', resource: 'prod-db', reason: '"INC-123 orders down"', expires: '2026-11-23T07:00:00Z', status: 'active', breakGlass: 'true', ...over });

function judge(author: string, changes: ChangedFile[], rules: Record<string, string | null> = RULES, reviews: Review[] = []): ApprovalResult {
  return evaluateApproval({
    rulesAtBase: snapshot(rules),
    changes,
    pr: { author, headSha: HEAD, baseSha: 'c'.repeat(40), changedFiles: changes.map((c) => c.path), reviews },
    now: NOW,
  });
}
const rules = (r: ApprovalResult) => r.errors.map((e) => e.rule);

describe('break-glass: the pass (approval/break-glass.ts)', () => {
  it('passes an eligible on-call engineer at once, naming who must ratify', () => {
    const r = judge('dev', [{ path: DEV_DB, head: bg() }]);
    expect(r.status).toBe('approved');
    const g = r.grants[0]!;
    expect(g.breakGlass).toMatchObject({ heldRole: 'oncall', maxAccess: '4h', ratifyWithin: '12h' });
    expect(g.why).toMatch(/BREAK-GLASS/);
    expect(g.roles.map((x) => [x.role, x.status, x.candidates])).toEqual([
      ['manager', 'missing', ['mgr']],
      ['owner', 'missing', ['res-owner']],
    ]);
  });

  it('a login only configured in git (a claim, not a proof) never opens break-glass', () => {
    const claimed = evaluateApproval({
      rulesAtBase: snapshot(RULES),
      changes: [{ path: DEV_DB, head: bg() }],
      pr: { author: 'dev', authorProof: 'claimed', headSha: HEAD, baseSha: 'c'.repeat(40), changedFiles: [DEV_DB], reviews: [] },
      now: NOW,
    });
    expect(claimed.status).toBe('invalid');
    expect(rules(claimed)).toContain('break-glass/unproven-requester');
  });

  it('the level\'s policy applies where the resource has none', () => {
    const org = ORG.replace('high:     { approvers: [manager, owner], maxAccess: 7d, approvalTtl: 60d }', 'high: { approvers: [manager, owner], maxAccess: 7d, approvalTtl: 60d, breakGlass: { roles: [oncall], maxAccess: 2h, ratifyWithin: 1d } }');
    const r = judge('dev', [{ path: DEV_DB, head: bg({ expires: '2026-11-23T05:00:00Z' }) }], { ...RULES, 'access/resources/aws-prod/prod-db.yaml': RESOURCES['prod-db']!, 'access/grantops.yaml': org });
    expect(r.status).toBe('approved');
    expect(r.grants[0]!.breakGlass?.ratifyWithin).toBe('1d');
  });

  describe('attacks: each is invalid, never pending and never approved', () => {
    it.each<[string, string, ChangedFile[], string, Record<string, string | null>?]>([
      ['a requester who is not on call', 'dev2', [{ path: DEV2_DB, head: bg({ user: 'dev2' }) }], 'break-glass/not-eligible'],
      ['the flag on a grant longer than the break-glass maxAccess', 'dev', [{ path: DEV_DB, head: bg({ expires: '2026-11-23T09:00:00Z' }) }], 'break-glass/max-access'],
      ['a break-glass grant for someone else, even by their on-call manager', 'mgr', [{ path: DEV2_DB, head: bg({ user: 'dev2' }) }], 'break-glass/for-someone-else'],
      [
        'a break-glass edit of someone else\'s running grant',
        'mgr',
        [{ path: DEV2_DB, base: grantYaml({ user: 'dev2', resource: 'prod-db', reason: 'x', expires: '2026-11-24T00:00:00Z', status: 'active' }), head: bg({ user: 'dev2' }) }],
        'break-glass/for-someone-else',
      ],
      [
        'extending a running break-glass grant past its window',
        'dev',
        [{ path: DEV_DB, base: bg({ expires: '2026-11-23T04:00:00Z' }), head: bg({ expires: '2026-11-23T06:00:00Z' }) }],
        'break-glass/running',
      ],
      ['an approvalExpires to renew under later without ratification', 'dev', [{ path: DEV_DB, head: bg({ approvalExpires: '2026-11-23T07:00:00Z' }) }], 'break-glass/approval-expires'],
      ['a resource without a break-glass policy', 'dev', [{ path: DEV_DB, head: bg() }], 'break-glass/not-allowed', { 'access/resources/aws-prod/prod-db.yaml': RESOURCES['prod-db']! }],
      [
        'eligibility added to people.yaml in the same pull request (rules come from the base)',
        'dev2',
        [{ path: DEV2_DB, head: bg({ user: 'dev2' }) }, { path: 'access/people.yaml', head: RULES['access/people.yaml'].replace('{ login: dev2, name: Developer Two,', '{ login: dev2, name: Developer Two, roles: [oncall],') }],
        'break-glass/not-eligible',
      ],
    ])('%s', (_name, author, changes, rule, base = RULES) => {
      const r = judge(author, changes, base);
      expect(r.status).toBe('invalid');
      expect(rules(r)).toContain(rule);
      const error = r.errors.find((e) => e.rule === rule)!;
      expect(error.line).toBeGreaterThan(0);
    });
  });

  it('a break-glass grant whose access is over may be asked again (a new use)', () => {
    const r = judge('dev', [{ path: DEV_DB, base: bg({ expires: '2026-11-22T07:00:00Z', status: 'expired' }), head: bg() }]);
    expect(r.status).toBe('approved');
    expect(r.grants[0]!.breakGlass).toBeDefined();
  });

  it('unmarking an expired break-glass grant is a change that needs the full approval, never a renewal', () => {
    const r = judge('dev', [{ path: DEV_DB, base: bg({ expires: '2026-11-22T07:00:00Z', status: 'expired' }), head: bg({ breakGlass: 'false' }) }]);
    expect(r.status).toBe('pending');
    expect(r.grants[0]!.change).toBe('change');
  });
});

describe('break-glass: ratification after the merge (approval/ratify-break-glass.ts)', () => {
  const MERGED = new Date('2026-11-23T03:05:00Z');
  const review = (reviewer: string, at: string, over: Partial<Review> = {}): Review => ({ reviewer, state: 'APPROVED', commitSha: HEAD, submittedAt: at, ...over });
  const ratify = (reviews: Review[], now: Date, author = 'dev') =>
    judgeRatification({ rulesAtBase: snapshot(RULES), changes: [{ path: DEV_DB, head: bg() }], pr: { author, headSha: HEAD, baseSha: 'c'.repeat(40), changedFiles: [DEV_DB], reviews }, mergedAt: MERGED, now });

  it('is ratified by an approving review from each required role within the window', () => {
    const [r] = ratify([review('mgr', '2026-11-23T09:00:00Z'), review('res-owner', '2026-11-23T10:00:00Z')], new Date('2026-11-23T11:00:00Z'));
    expect(r).toMatchObject({ file: DEV_DB, status: 'ratified', deadline: '2026-11-23T15:05:00.000Z' });
    expect(r!.why).toMatch(/mgr as manager, res-owner as owner/);
  });

  it('is pending inside the window and unratified after it', () => {
    expect(ratify([review('mgr', '2026-11-23T09:00:00Z')], new Date('2026-11-23T12:00:00Z'))[0]!.status).toBe('pending');
    const [late] = ratify([review('mgr', '2026-11-23T09:00:00Z')], new Date('2026-11-23T16:00:00Z'));
    expect(late!.status).toBe('unratified');
    expect(late!.why).toMatch(/missing owner/);
  });

  describe('forged ratifications count for nothing', () => {
    it.each<[string, Review[]]>([
      ['the requester approving their own', [review('dev', '2026-11-23T04:00:00Z'), review('res-owner', '2026-11-23T04:00:00Z')]],
      ['a comment instead of an approval', [review('mgr', '2026-11-23T04:00:00Z', { state: 'COMMENTED' }), review('res-owner', '2026-11-23T04:00:00Z')]],
      ['an approval by someone who fills no required role', [review('dev2', '2026-11-23T04:00:00Z'), review('res-owner', '2026-11-23T04:00:00Z')]],
      ['a bot', [review('mgr', '2026-11-23T04:00:00Z', { isBot: true }), review('res-owner', '2026-11-23T04:00:00Z')]],
      ['an approval after the deadline', [review('mgr', '2026-11-23T16:00:00Z'), review('res-owner', '2026-11-23T04:00:00Z')]],
      ['an approval of another commit', [review('mgr', '2026-11-23T04:00:00Z', { commitSha: 'b'.repeat(40) }), review('res-owner', '2026-11-23T04:00:00Z')]],
      ['an approval withdrawn by a later "changes requested"', [review('mgr', '2026-11-23T04:00:00Z'), review('mgr', '2026-11-23T05:00:00Z', { state: 'CHANGES_REQUESTED' }), review('res-owner', '2026-11-23T04:00:00Z')]],
    ])('%s', (_name, reviews) => {
      expect(ratify(reviews, new Date('2026-11-23T20:00:00Z'))[0]!.status).toBe('unratified');
    });
  });

  it('marking a renewal as break-glass makes it a change judged as break-glass', () => {
    const normal = { user: 'dev', resource: 'prod-db', reason: '"INC-123 orders down"', expires: '2026-11-22T07:00:00Z', approvalExpires: '2026-12-01T00:00:00Z', status: 'expired' };
    const r = judge('dev2', [{ path: DEV2_DB, base: grantYaml({ ...normal, user: 'dev2' }), head: grantYaml({ ...normal, user: 'dev2', expires: '2026-11-23T05:00:00Z', status: 'active', breakGlass: 'true' }) }]);
    expect(r.grants[0]!.change).toBe('change');
    expect(rules(r)).toEqual(expect.arrayContaining(['break-glass/not-eligible', 'break-glass/approval-expires']));
  });

  it('lists nothing for a pull request without break-glass grants', () => {
    const plain = grantYaml({ user: 'dev', resource: 'prod-db', reason: 'x', expires: '2026-11-24T00:00:00Z', approvalExpires: '2026-12-01T00:00:00Z', status: 'active' });
    expect(judgeRatification({ rulesAtBase: snapshot(RULES), changes: [{ path: DEV_DB, head: plain }], pr: { author: 'dev', headSha: HEAD, baseSha: 'c'.repeat(40), changedFiles: [DEV_DB], reviews: [] }, mergedAt: MERGED, now: NOW })).toEqual([]);
  });
});

describe('break-glass policies (validate)', () => {
  it('reports a role nobody holds and access of days, at their lines', () => {
    const org = ORG.replace('high:     { approvers: [manager, owner], maxAccess: 7d, approvalTtl: 60d }', 'high: { approvers: [manager, owner], maxAccess: 7d, approvalTtl: 60d, breakGlass: { roles: [firefighter], maxAccess: 2d, ratifyWithin: 1d } }');
    const { diagnostics } = loadAccessRepo(snapshot({ 'access/grantops.yaml': org }), NOW);
    const found = diagnostics.filter((d) => d.file === 'access/grantops.yaml').map((d) => [d.rule, d.line]);
    expect(found).toEqual(expect.arrayContaining([['ref/unknown-role', 7], ['break-glass/max-access', 7]]));
  });
});
