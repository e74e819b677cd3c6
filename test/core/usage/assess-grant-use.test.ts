import type { UserDetail } from '../../../src/core/iam/account-snapshot.js';
import { assessGrantUse, describeUnusedGrant, unusedMark } from '../../../src/core/usage/assess-grant-use.js';

const AT = new Date('2026-12-07T06:00:00Z');
const WINDOW = 45 * 86_400_000;
const user = (facts: Partial<UserDetail> = {}): UserDetail => ({ UserName: 'dev.user', Arn: 'arn:aws:iam::111122223333:user/dev.user', ...facts });

describe('assessGrantUse', () => {
  it('claims nothing without usage facts', () => {
    expect(assessGrantUse({ user: user(), services: ['s3'], at: AT, windowMs: WINDOW })).toEqual({ verdict: 'no-facts' });
  });

  it('judges by the last use of the resource\'s own services when per-service facts exist', () => {
    const facts = user({ ServiceLastAccessed: [{ ServiceNamespace: 's3', LastAuthenticated: '2026-10-16T00:00:00Z' }, { ServiceNamespace: 'ec2', LastAuthenticated: '2026-12-06T00:00:00Z' }] });
    const use = assessGrantUse({ user: facts, services: ['s3'], at: AT, windowMs: WINDOW });
    expect(use).toEqual({ verdict: 'unused', evidence: 'services', lastUsedDays: 52, iamUser: 'dev.user', services: ['s3'], windowDays: 45 });
    expect(use.verdict === 'unused' && unusedMark(use)).toBe('not used in 52 days');
    expect(assessGrantUse({ user: facts, services: ['s3', 'ec2'], at: AT, windowMs: WINDOW })).toMatchObject({ verdict: 'in-use', lastUsedDays: 1 });
    // Judged at an earlier time (when the access ended), the same use is recent.
    expect(assessGrantUse({ user: facts, services: ['s3'], at: new Date('2026-11-20T00:00:00Z'), windowMs: WINDOW })).toMatchObject({ verdict: 'in-use', lastUsedDays: 35 });
  });

  it('says "no recorded use" when IAM tracked none of the services', () => {
    const use = assessGrantUse({ user: user({ ServiceLastAccessed: [{ ServiceNamespace: 's3' }] }), services: ['s3'], at: AT, windowMs: WINDOW });
    expect(use.verdict === 'unused' && [unusedMark(use), describeUnusedGrant(use)]).toEqual(['no recorded use', "dev.user has not used s3 within IAM's tracking period"]);
  });

  it('falls back to sign-ins and key use when the services are unknown, sparing users younger than the window', () => {
    const facts = { ServiceLastAccessed: [{ ServiceNamespace: 's3' }], PasswordEnabled: true, AccessKeys: [{ AccessKeyId: 'AKIA1', Status: 'Active' as const, CreateDate: '2026-01-01T00:00:00Z', LastUsedDate: '2026-09-01T00:00:00Z' }] };
    expect(assessGrantUse({ user: user(facts), services: undefined, at: AT, windowMs: WINDOW })).toMatchObject({ verdict: 'unused', evidence: 'credentials', lastUsedDays: 97 });
    expect(assessGrantUse({ user: user({ PasswordEnabled: false, AccessKeys: [], CreateDate: '2026-11-30T00:00:00Z' }), services: undefined, at: AT, windowMs: WINDOW })).toEqual({ verdict: 'in-use', evidence: 'credentials' });
    const never = assessGrantUse({ user: user({ PasswordEnabled: false, AccessKeys: [], CreateDate: '2026-01-01T00:00:00Z' }), services: undefined, at: AT, windowMs: WINDOW });
    expect(never.verdict === 'unused' && describeUnusedGrant(never)).toBe('dev.user has never signed in or used an access key');
  });
});
