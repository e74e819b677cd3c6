import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const FIXTURE = join(REPO_ROOT, 'test/fixtures/cloudsplaining/example-authz-details.json');
const NOW = ['--now', '2026-11-23T12:00:00Z'];
let empty: string;
beforeAll(() => {
  empty = mkdtempSync(join(tmpdir(), 'grantops-inventory-'));
});
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('grantops inventory', () => {
  it('reads the example organisation against its account state, as JSON', async () => {
    const run = await runCli(['inventory', ...NOW, '--format', 'json'], REPO_ROOT);
    expect(run.code).toBe(0);
    const [report] = JSON.parse(run.out).systems;
    expect(report.system).toBe('aws-prod');
    const user = (person: string) => report.users.find((u: { person?: string }) => u.person === person);
    expect(user('george').attachments).toEqual([expect.objectContaining({ status: 'granted', grants: ['access/grants/george/prod-deploy.yaml'] })]);
    expect(user('head-honcho').attachments).toEqual([expect.objectContaining({ status: 'unmanaged', target: 'arn:aws:iam::aws:policy/AdministratorAccess' })]);
    expect(user('kramer').attachments).toEqual([]);
    // The example state holds no credential facts: no usage claim is made from their absence.
    expect(report.recommendations.filter((r: { rule: string }) => r.rule === 'grant/unused')).toEqual([]);
    for (const r of report.recommendations) expect(r).toEqual({ rule: expect.any(String), subject: expect.any(String), reason: expect.any(String), action: expect.any(String), ...(r.file ? { file: r.file } : {}) });
  });

  it('lists everything as unmanaged when there is no repository, in Markdown', async () => {
    const run = await runCli(['inventory', ...NOW, '--state', FIXTURE, '--unused-after', '30d'], empty);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^# IAM inventory: account$/m);
    expect(run.out).toMatch(/^## Unmanaged access \(7\)$/m);
    expect(run.out).toMatch(/^\| user\/direct-admin-policy \| user\/obama \| .*AdministratorAccess/m);
    expect(run.out).toMatch(/^\| obama \| — \| 100 \|/m);
  });

  it('refuses a window that is not a duration', async () => {
    const run = await runCli(['inventory', '--unused-after', 'soon'], empty);
    expect(run.code).toBe(64);
    expect(run.err).toMatch(/duration/);
  });
});
