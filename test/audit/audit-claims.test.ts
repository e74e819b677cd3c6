import { execFileSync } from 'node:child_process';
import { runBin } from '../helpers/bin.js';
import { copyExampleOrg } from '../helpers/cli.js';

const NOW = ['--now', '2026-11-24T00:00:00Z'];

// The audit says only what it read: without decision notes nothing is known about IAM.
describe('grantops audit without decision notes (as a process)', () => {
  let root: string;
  let cleanup: () => void;
  let head: string;
  beforeAll(() => {
    ({ root, cleanup } = copyExampleOrg());
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    git('init', '-q', '--initial-branch=main');
    git('-c', 'user.name=Elaine Benes', '-c', 'user.email=elaine@vandelay.example', 'add', '.');
    git('-c', 'user.name=Elaine Benes', '-c', 'user.email=elaine@vandelay.example', 'commit', '-q', '-m', 'The access repository');
    head = git('rev-parse', 'HEAD');
  });
  afterAll(() => cleanup());

  it('calls provisioning unknown instead of "not provisioned", and the expired-but-provisioned count unknown instead of 0', async () => {
    const run = await runBin(['audit', ...NOW], root);
    expect(run.code).toBe(0);
    expect(run.out).toContain('**No decision notes.**');
    expect(run.out).toContain('- Access still provisioned after its expiry: unknown without decision notes');
    expect(run.out).not.toMatch(/not provisioned|; provisioned$|after its expiry: \d/m);
    expect(run.out).toMatch(/^- `access\/grants\/puddy\/prod-data-read\.yaml`: expired, .*; provisioning unknown without decision notes$/m);
  });

  it('says null, not false, in JSON', async () => {
    const run = await runBin(['audit', ...NOW, '--format', 'json'], root);
    const report = JSON.parse(run.out) as { grants: { provisioned: unknown }[]; summary: { provisionedAfterExpiry: unknown } };
    expect(report.grants.length).toBeGreaterThan(0);
    expect(new Set(report.grants.map((g) => g.provisioned))).toEqual(new Set([null]));
    expect(report.summary.provisionedAfterExpiry).toBeNull();
    expect(run.err).toMatch(/no decision notes/);
  });

  it('--verify names each finding\'s commit once', async () => {
    const run = await runBin(['audit', ...NOW, '--verify'], root);
    expect(run.code).toBe(1);
    const findings = run.err.split('\n').filter((l) => l.startsWith('  verify/'));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(new RegExp(`^  verify/no-record ${head.slice(0, 7)} the change pushed directly by Elaine Benes <elaine@vandelay.example> at \\S+ has no decision record$`));
    expect(findings[0]!.split(head.slice(0, 7))).toHaveLength(2);
    const row = run.out.split('\n').find((l) => l.includes('verify/no-record'))!;
    expect(row.split(head.slice(0, 7))).toHaveLength(2);
  });
});
