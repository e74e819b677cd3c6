import { fingerprintChange, type FingerprintInput } from '../../../src/core/approval/approval-fingerprint.js';
import { grantYaml, snapshot } from '../../helpers/repo.js';

/* What makes two commits of a pull request "the same change": every input below, and nothing else. */
const GRANT = 'access/grants/dev/prod-db.yaml';
const content = (expires = '2026-11-28T00:00:00Z') => grantYaml({ user: 'dev', resource: 'prod-db', reason: 'debug', expires, status: 'active' });
const input = (over: Partial<FingerprintInput> = {}): FingerprintInput => ({
  rulesAtBase: snapshot(),
  changes: [{ path: GRANT, head: content() }],
  listed: [{ status: 'added', path: GRANT, oid: 'a'.repeat(40) }],
  ...over,
});

describe('fingerprintChange', () => {
  const same = fingerprintChange(input());

  it('is stable for the same change, whatever order things were listed in, and ignores grant files of the base', () => {
    expect(same).toMatch(/^grantops-fingerprint:v1:[0-9a-f]{64}$/);
    const reordered = input({ rulesAtBase: { ...snapshot(), files: [...snapshot().files].reverse() } });
    expect(fingerprintChange(reordered)).toBe(same);
    expect(fingerprintChange(input({ rulesAtBase: snapshot({ 'access/grants/dev2/logs-read.yaml': content() }) }))).toBe(same);
  });

  it.each([
    ['a grant\'s content', input({ changes: [{ path: GRANT, head: content('2026-11-29T00:00:00Z') }] })],
    ['a grant\'s content at the base', input({ changes: [{ path: GRANT, base: content(), head: content() }] })],
    ['a rule of the base', input({ rulesAtBase: snapshot({ 'access/people.yaml': '- { login: dev, name: Dev }\n' }) })],
    ['another changed file beside it', input({ listed: [{ status: 'added', path: GRANT, oid: 'a'.repeat(40) }, { status: 'modified', path: '.github/workflows/apply.yml', oid: 'b'.repeat(40) }] })],
    ['that other file\'s content', input({ listed: [{ status: 'added', path: GRANT, oid: 'a'.repeat(40) }, { status: 'modified', path: '.github/workflows/apply.yml', oid: 'c'.repeat(40) }] })],
    ['a head that cannot be read', input({ changes: [{ path: GRANT, headUnreadable: 'a symlink' }] })],
  ])('changes with %s', (_name, changed) => {
    expect(fingerprintChange(changed)).not.toBe(same);
  });

  it('gives none when a changed file outside what was read has no blob id: nothing can carry over then', () => {
    expect(fingerprintChange(input({ listed: [{ status: 'added', path: GRANT }, { status: 'modified', path: 'README.md' }] }))).toBeUndefined();
  });
});
