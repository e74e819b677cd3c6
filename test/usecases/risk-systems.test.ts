import { FileIamProvider } from '../../src/adapters/file/file-iam-provider.js';
import type { IamProvider, IamSystemRef } from '../../src/ports.js';
import { scoreAccounts } from '../../src/usecases/risk.js';
import { REPO_ROOT } from '../helpers/cli.js';

const STATES = { 'aws-prod': 'examples/aws-state.json', 'aws-staging': 'examples/state/aws-staging.json', sso: 'examples/state/sso.json' };

/** The file provider, counting the reads in flight; `failing` systems refuse to be read. */
function counting(failing: string[] = []) {
  const files = new FileIamProvider({ states: STATES, cwd: REPO_ROOT });
  const seen = { inFlight: 0, most: 0, reads: [] as string[] };
  const provider: IamProvider = {
    kind: 'counting',
    readSnapshot: async (system: IamSystemRef) => {
      seen.reads.push(system.id);
      seen.most = Math.max(seen.most, ++seen.inFlight);
      try {
        await new Promise((r) => setTimeout(r, 20));
        if (failing.includes(system.id)) throw new Error('AccessDenied: the connector role cannot be assumed');
        return await files.readSnapshot(system);
      } finally {
        seen.inFlight--;
      }
    },
    readAccountSummary: (system) => files.readAccountSummary(system),
    applyOperations: async () => [],
  };
  return { provider, seen };
}

describe('scoreAccounts across systems', () => {
  it('reads every system once, all at the same time (bounded as plan is)', async () => {
    const { provider, seen } = counting();
    const report = await scoreAccounts({ root: REPO_ROOT, dir: 'access', provider, now: new Date('2026-11-24T00:00:00Z') });
    expect(seen.reads.sort()).toEqual(['aws-prod', 'aws-staging', 'sso']);
    expect(seen.most).toBe(3);
    expect(report.accounts.map((a) => a.system)).toEqual(['aws-prod', 'aws-staging']);
    expect(report.identityCenter.map((i) => i.system)).toEqual(['sso']);
  });

  it('a system that cannot be read is reported at its line, and the others are scored', async () => {
    const { provider } = counting(['aws-prod']);
    const report = await scoreAccounts({ root: REPO_ROOT, dir: 'access', provider, now: new Date('2026-11-24T00:00:00Z') });
    expect(report.ok).toBe(true);
    expect(report.unreadable).toEqual([expect.objectContaining({ rule: 'risk/system-unreachable', file: 'access/grantops.yaml', line: 25, severity: 'error' })]);
    expect(report.unreadable[0]!.message).toMatch(/system "aws-prod" could not be read, so it is not scored: AccessDenied/);
    expect(report.accounts.map((a) => a.system)).toEqual(['aws-staging']);
    // AdministratorAccess's document was only in aws-prod's read-out: the set is now of unknown risk, not 0.
    const admin = report.identityCenter[0]!.permissionSets.find((s) => s.name === 'AdministratorAccess')!;
    expect(admin.findings[0]!.rule).toBe('broad-access/unreadable-policy');
    expect(admin.score).toBe(90);
  });
});
