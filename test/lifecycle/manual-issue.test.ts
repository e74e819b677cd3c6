import { execFileSync } from 'node:child_process';
import { awsCliCommand, buildManualIssue, groupManualChanges } from '../../src/core/manual-issue.js';
import type { IamOperation } from '../../src/core/plan/iam-operation.js';

const op = (fields: Partial<IamOperation>): IamOperation => ({
  action: 'add-user-to-group',
  system: 'aws-prod',
  principal: 'dev',
  target: 'billing-admins',
  resource: 'billing-admin',
  grant: 'access/grants/dev/billing-admin.yaml',
  reason: 'granted until 2026-12-08T00:00:00Z',
  ...fields,
});

describe('groupManualChanges', () => {
  it('makes one change per grant file and direction, keyed by the grant\'s version', () => {
    const changes = groupManualChanges(
      [op({}), op({ action: 'remove-user-from-group', principal: 'dev2', grant: 'access/grants/dev2/billing-admin.yaml' }), op({ action: 'remove-user-from-group', principal: 'x', grant: null, drift: true })],
      (file) => (file.includes('/dev/') ? '2026-12-08T00:00:00Z' : '2026-12-01T00:00:00Z'),
    );
    expect(changes.map((c) => c.key)).toEqual([
      'grant aws-prod access/grants/dev/billing-admin.yaml 2026-12-08T00:00:00Z',
      'revocation aws-prod access/grants/dev2/billing-admin.yaml 2026-12-01T00:00:00Z',
      'revocation aws-prod drift billing-admin x billing-admins',
    ]);
  });
});

describe('buildManualIssue', () => {
  it('is assigned to the owners and gives the exact steps', () => {
    const [change] = groupManualChanges([op({})], () => '2026-12-08T00:00:00Z');
    const issue = buildManualIssue(change!, ['finance', 'head-honcho']);
    expect(issue.assignees).toEqual(['finance', 'head-honcho']);
    expect(issue.title).toBe('Grant billing-admin to dev (manual provisioning)');
    expect(issue.body).toContain(issue.marker);
    expect(issue.body).toContain("aws iam add-user-to-group --user-name 'dev' --group-name 'billing-admins'");
  });
});

describe('awsCliCommand', () => {
  it('quotes an inline policy document so a shell passes it through unchanged', () => {
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: "s3:Get*", Resource: "arn:aws:s3:::it's-a-bucket/*" }] };
    const command = awsCliCommand(op({ action: 'put-user-policy', target: 'grantops-x', document }));
    const args = execFileSync('sh', ['-c', `printf '%s\\n' ${command.replace(/^aws iam /, '')}`], { encoding: 'utf8' }).trim().split('\n');
    expect(args).toEqual(['put-user-policy', '--user-name', 'dev', '--policy-name', 'grantops-x', '--policy-document', JSON.stringify(document)]);
  });
});
