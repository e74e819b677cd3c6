import type { ActionReport } from '../../src/action/action-report.js';
import type { IamOperation } from '../../src/core/plan/iam-operation.js';
import { renderActionSummary } from '../../src/render/action-summary.js';

const op = (fields: Partial<IamOperation> = {}): IamOperation => ({
  action: 'attach-user-policy',
  system: 'aws-prod',
  principal: 'cosmo.kramer',
  target: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  resource: 'prod-data-read',
  grant: 'access/grants/kramer/prod-data-read.yaml',
  reason: 'granted until 2026-12-07T00:00:00Z',
  ...fields,
});

const report = (fields: Partial<ActionReport> = {}): ActionReport => ({ command: 'apply', dryRun: false, rows: [], diagnostics: [], notes: [], ok: true, ...fields });

describe('renderActionSummary', () => {
  it('tables every operation with its result, headed by the counts', () => {
    const md = renderActionSummary(report({
      ok: false,
      rows: [
        { operation: op(), outcome: 'applied' },
        { operation: op({ action: 'remove-user-from-group', principal: 'newman', target: 'support', grant: null, resource: 'support-tickets', reason: 'drift: exclusive resource support-tickets has no grant for this user', drift: true }), outcome: 'failed', error: 'NoSuchEntity' },
        { operation: op({ action: 'put-user-policy', target: 'grantops-billing-admin', reason: 'granted' }), outcome: 'manual' },
      ],
    }));
    expect(md.split('\n')).toEqual(expect.arrayContaining([
      '## grantops apply',
      '❌ 2 operations · 1 applied · 1 failed · 1 manual step',
      '| Result | Action | System | Principal | Target | Grant | Reason |',
      '| ✅ applied | attach-user-policy | aws-prod | `cosmo.kramer` | `arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess` | `access/grants/kramer/prod-data-read.yaml` | granted until 2026-12-07T00:00:00Z |',
      '| ❌ failed: NoSuchEntity | remove-user-from-group | aws-prod | `newman` | `support` | drift on support-tickets | drift: exclusive resource support-tickets has no grant for this user |',
      '| 🖐️ manual | put-user-policy | aws-prod | `cosmo.kramer` | `grantops-billing-admin` | `access/grants/kramer/prod-data-read.yaml` | granted |',
    ]));
  });

  it('keeps a cell with pipes or line breaks inside its row', () => {
    const md = renderActionSummary(report({ rows: [{ operation: op({ reason: 'a | b\nc' }), outcome: 'failed', error: 'x|y' }] }));
    const row = md.split('\n').find((line) => line.startsWith('| ❌'))!;
    expect(row).toContain('❌ failed: x\\|y');
    expect(row).toContain('| a \\| b<br>c |');
  });

  it('says so when IAM already matches, and titles a dry run', () => {
    const md = renderActionSummary(report({ dryRun: true }));
    expect(md).toMatch(/^## grantops apply \(dry run\)\n\n✅ 0 operations\n\nIAM already matches the repository: nothing to change\.\n/);
  });

  it('lists withheld changes with their commit, what applies instead and why, and the files GitHub confirmed with their pull requests', () => {
    const md = renderActionSummary(report({
      ok: false,
      provenance: {
        withheld: ['access/grants/kramer/prod-data-read.yaml'],
        rejections: [{ path: 'access/grants/kramer/prod-data-read.yaml', subject: 'grant kramer/prod-data-read', commit: 'a'.repeat(40), reason: 'direct-push', message: 'commit aaaaaaa did not come from a pull request' }],
        files: [
          { path: 'access/grants/kramer/prod-data-read.yaml', subject: 'grant kramer/prod-data-read', commit: 'a'.repeat(40), confirmed: false, vouchers: [], rejections: [], restoreFrom: 'd'.repeat(40) },
          { path: 'access/grants/jerry/developers.yaml', subject: 'grant jerry/developers', commit: 'b'.repeat(40), confirmed: true, confirmedBy: { commit: 'b'.repeat(40), by: 'pull-request', pullRequest: 12 }, vouchers: [{ commit: 'b'.repeat(40), pullRequest: 12 }], rejections: [] },
          { path: 'access/grants/elaine/developers.yaml', subject: 'grant elaine/developers', commit: 'c'.repeat(40), confirmed: true, confirmedBy: { commit: 'c'.repeat(40), by: 'note', pullRequest: 3 }, vouchers: [], rejections: [] },
        ],
        untrustedNotes: [],
        needed: { notes: [], origins: [] },
      },
    }));
    expect(md).toContain('❌ 0 operations · 1 change withheld');
    expect(md).toContain('| grant kramer/prod-data-read | `access/grants/kramer/prod-data-read.yaml` | `aaaaaaaaaaaa` | as of `dddddddddddd` | commit aaaaaaa did not come from a pull request |');
    expect(md).toContain('<summary>1 changed file confirmed through approved pull requests</summary>');
    expect(md).toContain('- grant jerry/developers (`access/grants/jerry/developers.yaml`) via #12');
    expect(md).not.toContain('elaine/developers.yaml`) via');
    expect(md).toContain('1 access file confirmed by decision notes of earlier runs.');
  });

  it('lists problems with where they are', () => {
    const md = renderActionSummary(report({
      ok: false,
      diagnostics: [
        { file: 'access/grants/kramer/x.yaml', line: 3, column: 5, rule: 'plan/quota', message: 'too many policies', severity: 'error' },
        { file: 'access/people.yaml', line: 0, column: 0, rule: 'file/empty', message: 'file is empty', severity: 'warning' },
      ],
    }));
    expect(md).toContain('| error | `access/grants/kramer/x.yaml:3:5` | plan/quota | too many policies |');
    expect(md).toContain('| warning | `access/people.yaml` | file/empty | file is empty |');
  });

  it('shows a run that stopped with the reason', () => {
    const md = renderActionSummary(report({ ok: false, failure: 'input "command" is "x"' }));
    expect(md).toBe('## grantops apply\n\n❌ stopped before planning\n\n> [!CAUTION]\n> input "command" is "x"\n');
  });
});
