import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const FIXTURE = join(REPO_ROOT, 'test/fixtures/cloudsplaining/example-authz-details.json');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'grantops-risk-'));
  writeFileSync(join(dir, 'create-policy-version.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: '*' }] }));
  writeFileSync(join(dir, 'wrapped.json'), JSON.stringify({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] })) } }));
  writeFileSync(join(dir, 'not-a-policy.json'), '{"Users": []}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('grantops risk --policy', () => {
  it('prints score and findings as JSON', async () => {
    const run = await runCli(['risk', '--policy', 'create-policy-version.json', '--format', 'json'], dir);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out);
    expect(report.score).toBe(96);
    expect(report.findings[0].points).toBe(90);
    expect(report.findings[0]).toMatchObject({ rule: 'privilege-escalation/create-policy-version', category: 'privilege-escalation', severity: 'high', actions: ['iam:CreatePolicyVersion'], source: 'rhino-security-labs' });
  });

  it('prints a readable summary, and reads get-policy-version output', async () => {
    const text = await runCli(['risk', '--policy', 'create-policy-version.json'], dir);
    expect(text.out).toMatch(/^create-policy-version\.json: risk 96\/100 \(risk model \d+\.\d+\.\d+, @cloud-copilot\/iam-data/);
    expect(text.out).toMatch(/high\s+privilege-escalation\/create-policy-version: \+90 \(administrator\)\n\s+iam:CreatePolicyVersion\n\s+after Spencer Gietzen, Rhino Security Labs/);
    expect((await runCli(['risk', '--policy', 'wrapped.json'], dir)).out).toMatch(/risk 0\/100 .*\n  no findings/);
  });

  it('refuses what is not a policy document, with exit 2', async () => {
    const run = await runCli(['risk', '--policy', 'not-a-policy.json'], dir);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/not an IAM policy document/);
  });
});

describe('grantops risk (accounts)', () => {
  it('scores every principal and policy of a state file when there is no access directory', async () => {
    const run = await runCli(['risk', '--provider', 'file', '--state', FIXTURE, '--format', 'json'], dir);
    expect(run.code).toBe(0);
    const [account] = JSON.parse(run.out).accounts;
    expect(account.system).toBe('account');
    expect(account.principals.find((p: { name: string }) => p.name === 'obama').score).toBe(100);
  });

  it('reads the systems of the example organisation', async () => {
    const run = await runCli(['risk'], REPO_ROOT);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^aws-prod: \d+ principals, \d+ policies/);
    expect(run.out).toMatch(/^\s+100\s+user art\.vandelay: /m);
  });

  it('shows the path to the worst principal each can become', async () => {
    const run = await runCli(['risk', '--provider', 'file', '--state', join(REPO_ROOT, 'test/fixtures/risk-graph/vandelay-graph.json'), '--now', '2026-12-01T00:00:00Z'], dir);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^\s+100\s+user kramer: can become role admin \(100, administrator\)\n\s+path: user\/kramer → role\/jump \(sts:AssumeRole \(its trust policy trusts the account\)\) → role\/admin \(sts:AssumeRole \(its trust policy names the principal\)\)\n\s+own \d+: /m);
    const json = JSON.parse((await runCli(['risk', '--provider', 'file', '--state', join(REPO_ROOT, 'test/fixtures/risk-graph/vandelay-graph.json'), '--now', '2026-12-01T00:00:00Z', '--format', 'json'], dir)).out);
    const [account] = json.accounts;
    expect(account.at).toBe('2026-12-01T00:00:00.000Z');
    expect(account.principals.find((p: { name: string }) => p.name === 'morty').score).toBe(0);
    expect(account.principals.find((p: { name: string }) => p.name === 'elaine').reach.path[0].rule).toBe('privilege-escalation/ssm-send-command');
  });
});
