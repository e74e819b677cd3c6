import { loadAccessRepo } from '../../src/core/load-access-repo.js';
import { decideRevocation } from '../../src/core/expiry/decide-revocation.js';
import { buildExpiryNotice, expiryNoticeMarker } from '../../src/core/expiry/expiry-notice.js';
import { lapsedAccessFiles, planExpiry } from '../../src/core/expiry/plan-expiry.js';
import { buildRevocationPullRequest, REVOCATION_MARKER } from '../../src/core/revocation-pr.js';
import { grantYaml, ORG, snapshot } from '../helpers/repo.js';

const NOW = new Date('2026-12-07T06:00:00Z');

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
    const notice = buildExpiryNotice(expiring);
    expect(notice.marker).toBe('<!-- grantops:expiry-notice access/grants/dev/logs-read.yaml 2026-12-09 -->');
    expect(notice.body).toContain('@dev');
    expect(notice.body).toContain('grantops request --resource logs-read --for-duration 7d');
    expect(expiryNoticeMarker({ ...expiring, expires: '2026-12-16T00:00:00Z' })).not.toBe(notice.marker);
  });
});

describe('revocation pull request', () => {
  it('lists each grant with person, resource, expired at, approval valid until, and how to renew', () => {
    const repo = repoWith({
      'dev/logs-read': grant('dev', 'logs-read', '2026-12-07T00:00:00Z', '2027-03-01T00:00:00Z'),
      'dev2/logs-read': grant('dev2', 'logs-read', '2026-12-01T00:00:00Z', '2026-12-05T00:00:00Z'),
    });
    const pr = buildRevocationPullRequest(planExpiry(repo, NOW).revocations, { now: NOW });
    expect(pr.title).toBe('Revoke expired access: 2 grants');
    expect(pr.body.startsWith(REVOCATION_MARKER)).toBe(true);
    expect(pr.body).toContain('| @dev | `logs-read` | 2026-12-07T00:00:00Z | 2027-03-01T00:00:00Z | sets `status: expired` | removed from IAM |');
    expect(pr.body).toContain('| @dev2 | `logs-read` | 2026-12-01T00:00:00Z | expired 2026-12-05T00:00:00Z | deletes the file | removed from IAM |');
    expect(pr.body).toContain('grantops request --resource logs-read --for-duration 7d` (renewable until 2027-03-01T00:00:00Z)');
    expect(pr.commitMessage).toContain('- access/grants/dev2/logs-read.yaml: deleted');
  });
});
