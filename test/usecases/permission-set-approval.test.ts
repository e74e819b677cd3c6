import { FileIamProvider } from '../../src/adapters/file/file-iam-provider.js';
import { readAccessDir } from '../../src/adapters/file/read-access-dir.js';
import { evaluateApproval } from '../../src/core/approval/evaluate-approval.js';
import type { RepoSnapshot } from '../../src/core/repo-file.js';
import type { IamProvider } from '../../src/ports.js';
import { grantRiskSource } from '../../src/usecases/grant-risk.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { grantYaml } from '../helpers/repo.js';

/*
 * The example organisation, its grantops.yaml given a risk: block: prod-admin grants the Identity Center
 * permission set AdministratorAccess (AWS's managed policy, whose document aws-prod's read-out holds);
 * read-only grants ReadOnlyAccess (whose document aws-staging's read-out holds).
 */
const NOW = new Date('2026-11-24T00:00:00Z');
const DIR = 'access';
const STATES = { 'aws-prod': 'examples/aws-state.json', 'aws-staging': 'examples/state/aws-staging.json', sso: 'examples/state/sso.json' };

async function rulesWith(riskBlock: string): Promise<RepoSnapshot> {
  const read = await readAccessDir(REPO_ROOT, DIR);
  return { ...read, files: read.files.map((f) => (f.path.endsWith('/grantops.yaml') ? { ...f, content: `${String(f.content)}\n${riskBlock}` } : f)) };
}

async function judge(resource: string, riskBlock: string, provider?: IamProvider) {
  const rulesAtBase = await rulesWith(riskBlock);
  const risk = (await grantRiskSource(provider, () => NOW)(rulesAtBase))!;
  const path = `${DIR}/grants/kramer/${resource}.yaml`;
  const head = grantYaml({ user: 'kramer', resource, reason: 'on call', expires: '2026-11-25T00:00:00Z', status: 'active' });
  const result = evaluateApproval({
    rulesAtBase,
    changes: [{ path, head }],
    pr: { author: 'kramer', headSha: 'a'.repeat(40), baseSha: 'c'.repeat(40), changedFiles: [path], reviews: [] },
    now: NOW,
    escalate: risk.escalate,
  });
  return { grant: result.grants[0]!, assessed: risk.assess('kramer', resource)! };
}

const provider = () => new FileIamProvider({ states: STATES, cwd: REPO_ROOT });

describe('a permission-set resource in the approval', () => {
  it('a permission set granting administrator escalates the approval as an administrator policy does', async () => {
    const { grant, assessed } = await judge('prod-admin', 'risk: {}\n', provider());
    expect(assessed).toMatchObject({ score: 100, unresolved: [] });
    expect(grant.sensitivity).toMatchObject({ resourceLevel: 'high', level: 'critical', escalatedBy: 1 });
    expect(grant.sensitivity!.why).toMatch(/risk: it opens a privilege-escalation path to kramer \(privilege-escalation\/attach-group-policy/);
  });

  it('scores the set above risk.escalateAbove from the policy document another account holds', async () => {
    const { grant, assessed } = await judge('read-only', 'risk: { escalateAbove: 50 }\n', provider());
    expect(assessed.unresolved).toEqual([]);
    expect(assessed.score).toBeGreaterThan(50);
    expect(grant.sensitivity).toMatchObject({ resourceLevel: 'low', level: 'medium', escalatedBy: 1 });
    expect(grant.sensitivity!.why).toMatch(new RegExp(`read-only scores ${assessed.score}/100, above risk\\.escalateAbove \\(50\\)`));
  });

  it('without the IAM account that holds its document, the set counts as unknown: the top tier, and it escalates', async () => {
    const withoutStaging = new FileIamProvider({ states: { ...STATES, 'aws-staging': 'examples/aws-state.json' }, cwd: REPO_ROOT });
    const { grant, assessed } = await judge('read-only', 'risk: { escalateAbove: 50 }\n', withoutStaging);
    expect(assessed).toMatchObject({ score: 90, unresolved: ['AWS managed policy arn:aws:iam::aws:policy/ReadOnlyAccess is in no account read-out of this run'] });
    expect(grant.sensitivity).toMatchObject({ level: 'medium', escalatedBy: 1 });
  });

  it('with no read-out at all (a check without a provider), it is unscored as any unread resource is today', async () => {
    const { grant, assessed } = await judge('read-only', 'risk: { escalateAbove: 50 }\n');
    expect(assessed).toMatchObject({ score: 0, unresolved: ['no Identity Center read-out to find its permission set in'] });
    expect(grant.sensitivity).toMatchObject({ level: 'low', escalatedBy: 0 });
  });
});
