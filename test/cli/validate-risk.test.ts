import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_STATES, copyExampleOrg, runCli } from '../helpers/cli.js';

const NOW = ['--now', '2026-11-23T12:00:00Z'];
const STATE = [...EXAMPLE_STATES];
let org: { root: string; cleanup: () => void };
beforeEach(() => {
  org = copyExampleOrg();
  // An inline-policy resource, scoreable from the repository alone: PassRole + Lambda is an escalation path.
  writeFileSync(join(org.root, 'access/resources/aws-prod/lambda-deploy.yaml'), `id: lambda-deploy
system: aws-prod
sensitivity: low
owners: [george]
grants:
  inlinePolicy:
    Version: "2012-10-17"
    Statement:
      - { Effect: Allow, Action: [iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction], Resource: "*" }
`);
});
afterEach(() => org.cleanup());

const edit = (path: string, change: (text: string) => string) => writeFileSync(join(org.root, path), change(readFileSync(join(org.root, path), 'utf8')));

describe('grantops validate --risk: sensitivity below risk is a warning', () => {
  it('warns at the resource\'s sensitivity, and stays valid', async () => {
    const run = await runCli(['validate', ...NOW, '--risk'], org.root);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^access\/resources\/aws-prod\/lambda-deploy\.yaml:3:14 warning resource\/sensitivity-below-risk "lambda-deploy" is low but its grant scores 76\/100, a privilege-escalation path, which suggests high/m);
    expect(run.out).toMatch(/^valid \(1 warning\)$/m);
  });

  it('is off unless asked, on by default once grantops.yaml has a risk: block, and --no-risk turns it off', async () => {
    expect((await runCli(['validate', ...NOW], org.root)).out).toBe('valid (0 warnings)');
    appendFileSync(join(org.root, 'access/grantops.yaml'), 'risk: { escalateAbove: 80 }\n');
    expect((await runCli(['validate', ...NOW], org.root)).out).toMatch(/resource\/sensitivity-below-risk/);
    expect((await runCli(['validate', ...NOW, '--no-risk'], org.root)).out).toBe('valid (0 warnings)');
  });

  it('scores managed-policy resources only with the account read-out, and follows risk.levels', async () => {
    edit('access/resources/aws-prod/admin.yaml', (t) => t.replace('sensitivity: critical', 'sensitivity: medium'));
    expect((await runCli(['validate', ...NOW, '--risk'], org.root)).out).not.toMatch(/admin\.yaml/);
    const withAccount = await runCli(['validate', ...NOW, '--risk', ...STATE, '--format', 'json'], org.root);
    const rules = JSON.parse(withAccount.out).diagnostics.map((d: { file: string; rule: string }) => `${d.file} ${d.rule}`);
    expect(rules).toEqual(expect.arrayContaining(['access/resources/aws-prod/admin.yaml resource/sensitivity-below-risk']));
    appendFileSync(join(org.root, 'access/grantops.yaml'), 'risk: { levels: { medium: 77, high: 80, critical: 101 } }\n');
    expect((await runCli(['validate', ...NOW], org.root)).code).toBe(2); // 101 is outside 0-100
    edit('access/grantops.yaml', (t) => t.replace('critical: 101', 'critical: 100'));
    expect((await runCli(['validate', ...NOW], org.root)).out).toBe('valid (0 warnings)'); // 76 is below medium's 77: low is enough
  });
});
