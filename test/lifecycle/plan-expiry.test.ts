import { loadAccessRepo } from '../../src/core/load-access-repo.js';
import { decideRevocation } from '../../src/core/expiry/decide-revocation.js';
import { buildExpiryNotice, expiryNoticeMarker, parseExpiryNoticeMarker } from '../../src/core/expiry/expiry-notice.js';
import { lapsedAccessFiles, planExpiry } from '../../src/core/expiry/plan-expiry.js';
import { planNoticeClosures } from '../../src/core/expiry/plan-notice-closures.js';
import { renewalCommand, suggestedAccessMs } from '../../src/core/expiry/renewal-command.js';
import { buildRevocationPullRequest, REVOCATION_MARKER } from '../../src/core/revocation-pr.js';
import { grantYaml, ORG, snapshot } from '../helpers/repo.js';

const NOW = new Date('2026-12-07T06:00:00Z');
const DAY = 86_400_000;

function repoWith(grants: Record<string, Record<string, string>>, org = `${ORG}expiry: { warnBefore: 3d }\n`) {
  const files: Record<string, string> = { 'access/grantops.yaml': org };
  for (const [path, fields] of Object.entries(grants)) files[`access/grants/${path}.yaml`] = grantYaml(fields);
  return loadAccessRepo(snapshot(files), NOW).repo;
}

const grant = (user: string, resource: string, expires: string, approvalExpires?: string, status = 'active') => ({
  user,
  resource,
  reason: 'work',
  expires,
  ...(approvalExpires ? { approvalExpires } : {}),
  status,
});

describe('decideRevocation', () => {
  it('keeps the file while the approval is valid and deletes it once the approval has lapsed', () => {
    expect(decideRevocation({ expires: '2026-12-01T00:00:00Z', approvalExpires: '2027-01-01T00:00:00Z' }, NOW).action).toBe('mark-expired');
    expect(decideRevocation({ expires: '2026-12-01T00:00:00Z', approvalExpires: '2026-12-07T06:00:00Z' }, NOW).action).toBe('delete');
    expect(decideRevocation({ expires: '2026-12-01T00:00:00Z' }, NOW)).toMatchObject({ action: 'delete', why: expect.stringContaining('no approvalExpires') });
  });
});

describe('planExpiry', () => {
  it('finds active grants whose expires has passed, and decides each by its approval', () => {
    const repo = repoWith({
      'dev/logs-read': grant('dev', 'logs-read', '2026-12-07T00:00:00Z', '2027-03-01T00:00:00Z'),
      'dev2/logs-read': grant('dev2', 'logs-read', '2026-12-01T00:00:00Z', '2026-12-05T00:00:00Z'),
      'mgr/logs-read': grant('mgr', 'logs-read', '2026-12-07T06:00:01Z', '2027-03-01T00:00:00Z'),
    });
    const plan = planExpiry(repo, NOW);
    expect(plan.revocations.map((r) => [r.file, r.action, r.accessLapsed])).toEqual([
      ['access/grants/dev/logs-read.yaml', 'mark-expired', true],
      ['access/grants/dev2/logs-read.yaml', 'delete', true],
    ]);
    expect(lapsedAccessFiles(plan)).toEqual(new Set(['access/grants/dev/logs-read.yaml', 'access/grants/dev2/logs-read.yaml']));
  });

  it('treats a grant expiring exactly now as over, as plan does', () => {
    const repo = repoWith({ 'dev/logs-read': grant('dev', 'logs-read', '2026-12-07T06:00:00Z', '2027-03-01T00:00:00Z') });
    expect(planExpiry(repo, NOW).revocations).toHaveLength(1);
  });

  it('deletes an already expired grant once its approval lapses, without touching IAM again', () => {
    const repo = repoWith({
      'dev/logs-read': grant('dev', 'logs-read', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z', 'expired'),
      'dev2/logs-read': grant('dev2', 'logs-read', '2026-11-01T00:00:00Z', '2027-03-01T00:00:00Z', 'expired'),
    });
    const plan = planExpiry(repo, NOW);
    expect(plan.revocations).toEqual([expect.objectContaining({ file: 'access/grants/dev/logs-read.yaml', action: 'delete', accessLapsed: false })]);
    expect(lapsedAccessFiles(plan).size).toBe(0);
  });

  it('lists active grants ending within warnBefore, and none when grantops.yaml sets no warnBefore', () => {
    const grants = {
      'dev/logs-read': grant('dev', 'logs-read', '2026-12-10T06:00:00Z', '2027-03-01T00:00:00Z'),
      'dev2/logs-read': grant('dev2', 'logs-read', '2026-12-10T06:00:01Z', '2027-03-01T00:00:00Z'),
      'mgr/logs-read': grant('mgr', 'logs-read', '2026-12-08T00:00:00Z', '2026-12-08T00:00:00Z'),
    };
    const plan = planExpiry(repoWith(grants), NOW);
    expect(plan.expiring.map((g) => [g.user, g.renewable])).toEqual([
      ['dev', true],
      ['mgr', false],
    ]);
    expect(planExpiry(repoWith(grants, ORG), NOW).expiring).toEqual([]);
  });
});

describe('expiry notice', () => {
  it('has one marker per grant file and expiry day, and tells how to renew', () => {
    const expiring = { file: 'access/grants/dev/logs-read.yaml', user: 'dev', resource: 'logs-read', expires: '2026-12-09T00:00:00Z', approvalExpires: '2027-03-01T00:00:00Z', renewable: true };
    const notice = buildExpiryNotice(expiring, { accessLimitMs: 30 * DAY });
    expect(notice.marker).toBe('<!-- grantops:expiry-notice access/grants/dev/logs-read.yaml 2026-12-09 -->');
    expect(parseExpiryNoticeMarker(`text\n${notice.body}`)).toEqual({ file: 'access/grants/dev/logs-read.yaml', day: '2026-12-09' });
    expect(notice.body).toContain('@dev');
    expect(notice.body).toContain('grantops request --resource logs-read --for-duration 30d');
    expect(notice.body).not.toMatch(/used/i);
    expect(expiryNoticeMarker({ ...expiring, expires: '2026-12-16T00:00:00Z' })).not.toBe(notice.marker);
  });

  it('marks an unused grant with the evidence, and only when told it is unused', () => {
    const expiring = { file: 'access/grants/dev/prod-db.yaml', user: 'dev', resource: 'prod-db', expires: '2026-12-09T00:00:00Z', approvalExpires: '2026-12-09T00:00:00Z', renewable: false };
    const notice = buildExpiryNotice(expiring, {
      accessLimitMs: 7 * DAY,
      unused: { verdict: 'unused', evidence: 'services', lastUsedDays: 52, iamUser: 'dev.user', services: ['rds'], windowDays: 45 },
    });
    expect(notice.body).toContain('**Not used in 52 days**: `dev.user` last used rds 52 days ago (access unused for 45 days is marked');
    expect(notice.body).toContain('grantops request --resource prod-db --for-duration 1w --reason "..."');
    const never = buildExpiryNotice(expiring, { accessLimitMs: 7 * DAY, unused: { verdict: 'unused', evidence: 'credentials', iamUser: 'dev.user', services: [], windowDays: 90 } });
    expect(never.body).toContain('**No recorded use**: `dev.user` has never signed in or used an access key');
  });
});

describe('the renewal line', () => {
  const repo = repoWith({});
  const org = repo.org!.value;
  it('asks for the resource\'s real limit, not a fixed week', () => {
    const logsRead = repo.resources.get('logs-read')!.value;
    expect(suggestedAccessMs(org, logsRead)).toBe(30 * DAY);
    expect(suggestedAccessMs(org, repo.resources.get('prod-db')!.value)).toBe(7 * DAY);
    expect(suggestedAccessMs(org, { ...logsRead, maxAccess: '2d' })).toBe(2 * DAY);
    // An unknown resource: the shortest any level allows (critical, 1d).
    expect(suggestedAccessMs(org, undefined)).toBe(DAY);
    const target = { resource: 'logs-read', expires: '2026-12-07T00:00:00Z', approvalExpires: '2027-03-01T00:00:00Z' };
    expect(renewalCommand(target, 30 * DAY, 'renewal')).toBe('grantops request --resource logs-read --for-duration 30d');
    expect(renewalCommand(target, 12 * 3_600_000, 'new')).toBe('grantops request --resource logs-read --for-duration 12h --reason "..."');
  });

  it('asks for access until the approval ends when that comes sooner than the limit', () => {
    const target = { resource: 'logs-read', expires: '2026-12-07T00:00:00Z', approvalExpires: '2026-12-10T00:00:00Z' };
    expect(renewalCommand(target, 30 * DAY, 'renewal')).toBe('grantops request --resource logs-read --until 2026-12-10T00:00:00Z');
  });
});

describe('closing expiry notices', () => {
  const notice = (number: number, file: string, day: string) => ({ number, body: `<!-- grantops:expiry-notice access/grants/${file}.yaml ${day} -->\n@someone, ...` });
  const repo = repoWith({
    'dev/renewed': grant('dev', 'renewed', '2026-12-20T00:00:00Z', '2027-03-01T00:00:00Z'),
    'dev/earlier': grant('dev', 'earlier', '2026-12-08T00:00:00Z', '2027-03-01T00:00:00Z'),
    'dev/waiting': grant('dev', 'waiting', '2026-12-09T00:00:00Z', '2027-03-01T00:00:00Z'),
    'dev/lapsed': grant('dev', 'lapsed', '2026-12-07T00:00:00Z', '2027-03-01T00:00:00Z'),
    'dev/failed': grant('dev', 'failed', '2026-12-07T00:00:00Z', '2027-03-01T00:00:00Z'),
    'dev/marked': grant('dev', 'marked', '2026-12-07T00:00:00Z', '2027-03-01T00:00:00Z', 'expired'),
  });
  const files = new Set([...repo.grants.keys(), 'access/grants/dev/broken.yaml']);

  it('closes the notices of renewed, moved, revoked, expired and deleted grants, and keeps the rest', () => {
    const closures = planNoticeClosures(
      [
        notice(1, 'dev/renewed', '2026-12-09'),
        notice(2, 'dev/earlier', '2026-12-09'),
        notice(3, 'dev/waiting', '2026-12-09'),
        notice(4, 'dev/lapsed', '2026-12-07'),
        notice(5, 'dev/failed', '2026-12-07'),
        notice(6, 'dev/marked', '2026-12-07'),
        notice(7, 'dev/gone', '2026-12-07'),
        notice(8, 'dev/broken', '2026-12-07'),
        { number: 9, body: 'no marker here' },
      ],
      { grants: repo.grants, files, revoked: new Set(['access/grants/dev/lapsed.yaml']), revocationPullRequest: '#12' },
    );
    expect(closures.map((c) => [c.number, c.reason])).toEqual([
      [1, 'renewed'],
      [2, 'moved'],
      [4, 'revoked'],
      [6, 'expired'],
      [7, 'deleted'],
    ]);
    expect(closures[0]!.comment).toContain('renewed: its access now ends at 2026-12-20T00:00:00Z');
    expect(closures[2]!.comment).toBe('The access ended at 2026-12-07T00:00:00Z and `grantops expire` revoked it (recorded in #12). Closing this notice.');
  });
});

describe('revocation pull request', () => {
  it('lists each grant with person, resource, expired at, approval valid until, and how to renew', () => {
    const repo = repoWith({
      'dev/logs-read': grant('dev', 'logs-read', '2026-12-07T00:00:00Z', '2027-03-01T00:00:00Z'),
      'dev2/logs-read': grant('dev2', 'logs-read', '2026-12-01T00:00:00Z', '2026-12-05T00:00:00Z'),
    });
    const pr = buildRevocationPullRequest(planExpiry(repo, NOW).revocations, { now: NOW, accessLimitMs: () => 30 * DAY });
    expect(pr.title).toBe('Revoke expired access: 2 grants');
    expect(pr.body.startsWith(REVOCATION_MARKER)).toBe(true);
    expect(pr.body).toContain('| @dev | `logs-read` | 2026-12-07T00:00:00Z | 2027-03-01T00:00:00Z | sets `status: expired` | removed from IAM |');
    expect(pr.body).toContain('| @dev2 | `logs-read` | 2026-12-01T00:00:00Z | expired 2026-12-05T00:00:00Z | deletes the file | removed from IAM |');
    expect(pr.body).toContain('grantops request --resource logs-read --for-duration 30d` (renewable until 2027-03-01T00:00:00Z)');
    expect(pr.body).toContain('- @dev2: `grantops request --resource logs-read --for-duration 30d --reason "..."`');
    expect(pr.commitMessage).toContain('- access/grants/dev2/logs-read.yaml: deleted');
  });
});
