import { loadActionCatalogue } from '../../../src/adapters/iam-data/load-action-catalogue.js';
import { attachmentsOf, buildInventory } from '../../../src/core/inventory/build-inventory.js';
import { explainAccess } from '../../../src/core/inventory/explain-access.js';
import { loadAccessRepo } from '../../../src/core/load-access-repo.js';
import { resolveRiskSettings } from '../../../src/core/risk/risk-settings.js';
import { RiskScorer } from '../../../src/core/risk/risk-scorer.js';
import { awsAccount } from '../../../src/core/systems/aws-account.js';
import { identityCenter } from '../../../src/core/systems/identity-center.js';
import { identityCenterSnapshot, INSTANCE_ARN, IDENTITY_STORE_ID } from '../../helpers/identity-center.js';
import { grantYaml, ORG, snapshot } from '../../helpers/repo.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const A = '111122223333';
const B = '444455556666';
const SSO_ORG = `${ORG}  sso: { type: aws-identity-center, instanceArn: "${INSTANCE_ARN}", identityStoreId: ${IDENTITY_STORE_ID} }\n`;
// Kramer is found by his identityCenterUser, Elaine by her email; Newman has neither.
const PEOPLE = `- { login: owner, name: Org Owner, roles: [executive], email: owner@x.example }
- { login: res-owner, name: Resource Owner, manager: owner }
- { login: kramer, name: Cosmo Kramer, manager: owner, email: kramer@x.example, aws: { user: cosmo, identityCenterUser: cosmo.k } }
- { login: elaine, name: Elaine Benes, manager: owner, email: elaine@x.example }
- { login: newman, name: Newman, manager: owner }
`;

function repo(files: Record<string, string> = {}) {
  const loaded = loadAccessRepo(
    snapshot({
      'access/grantops.yaml': SSO_ORG,
      'access/people.yaml': PEOPLE,
      'access/resources/sso/admin.yaml': `id: admin\nsystem: sso\nsensitivity: high\nowners: [owner]\ngrants: { permissionSet: Admin, accounts: ["${A}", "${B}"] }\n`,
      ...files,
    }),
    NOW,
  );
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return loaded.repo;
}
const grant = (user: string, resource: string, expires: string) => ({ [`access/grants/${user}/${resource}.yaml`]: grantYaml({ user, resource, reason: 'r', expires, status: 'active' }) });

const state = identityCenterSnapshot({
  users: ['cosmo.k', 'elaine@x.example', 'kramer@x.example', 'gone@x.example'],
  permissionSets: ['Admin', 'Billing'],
  assignments: [`cosmo.k Admin ${A}`, `cosmo.k Admin ${B}`, `elaine@x.example Admin ${A}`, `kramer@x.example Billing ${A}`, `gone@x.example Billing ${B}`],
  groupAssignments: [`Admin ${A}`],
});

describe('explainAccess over an Identity Center instance', () => {
  const line = (a: ReturnType<typeof explainAccess>[number]) => `${a.principalType ?? 'user'} ${a.user} ${a.person ?? '-'} ${a.target}@${a.account} ${a.status} [${a.resources.join(',')}] ${a.grants.join(',')}`;

  it('matches people as the planner does, says which grant explains each assignment, and lists groups apart', () => {
    const explained = explainAccess(repo({ ...grant('kramer', 'admin', '2026-11-27T00:00:00Z'), ...grant('elaine', 'admin', '2026-11-01T00:00:00Z') }), 'sso', identityCenter, state, NOW);
    expect(explained.map(line)).toEqual([
      `user cosmo.k kramer Admin@${A} granted [admin] access/grants/kramer/admin.yaml`,
      `user cosmo.k kramer Admin@${B} granted [admin] access/grants/kramer/admin.yaml`,
      `user elaine@x.example elaine Admin@${A} expired-grant [admin] access/grants/elaine/admin.yaml`,
      // Kramer's email is a user of the store too, but he is found by his identityCenterUser: this one is nobody's.
      `user kramer@x.example - Billing@${A} unmanaged [] `,
      `user gone@x.example - Billing@${B} unmanaged [] `,
      `group admins - Admin@${A} unmanaged [admin] `,
    ]);
  });

  it('an IAM account is explained by the same mechanism: the type names its kinds and people', () => {
    // The same repository read against an IAM account: nothing of Identity Center shows.
    expect(explainAccess(repo(), 'sso', awsAccount, { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] }, NOW)).toEqual([]);
  });
});

describe('buildInventory of an Identity Center system', () => {
  let scorer: RiskScorer;
  beforeAll(async () => {
    scorer = new RiskScorer(await loadActionCatalogue());
  });
  const build = (extra: Partial<Parameters<typeof buildInventory>[0]> = {}) =>
    buildInventory({ system: 'sso', type: 'aws-identity-center', snapshot: state, repo: repo(), scorer, settings: resolveRiskSettings(undefined), now: NOW, ...extra });

  it('lists users with their person, groups, permission sets with where they are assigned, and no IAM principal', () => {
    const report = build();
    expect(report.users).toEqual([]);
    expect(report.resources).toEqual([]);
    expect(report.identityCenter!.users.map((u) => `${u.name} ${u.person ?? '-'} ${u.assignments.length}`)).toEqual(['cosmo.k kramer 2', 'elaine@x.example elaine 1', 'kramer@x.example - 1', 'gone@x.example - 1']);
    expect(report.identityCenter!.permissionSets.map((p) => `${p.name} ${p.accounts.join(',')} ${p.assignments} [${p.resources.join(',')}]`)).toEqual([`Admin ${A},${B} 4 [admin]`, `Billing ${A},${B} 2 []`]);
    expect(attachmentsOf(report)).toHaveLength(6);
  });

  it('recommends: each unmanaged assignment of a person, the group\'s, and users nobody in people.yaml is', () => {
    const recs = build().recommendations.map((r) => `${r.rule} ${r.subject}`);
    expect(recs).toEqual([
      'access/no-expiry user/cosmo.k',
      'access/no-expiry user/cosmo.k',
      'access/no-expiry user/elaine@x.example',
      'access/no-expiry group/admins',
      'access/no-person user/kramer@x.example',
      'access/no-person user/gone@x.example',
    ]);
  });

  it('gives a permission set the score it is given, and none when it is not', () => {
    expect(build().identityCenter!.permissionSets.every((p) => p.risk === undefined)).toBe(true);
    const scored = build({ scorePermissionSet: (set) => ({ score: set.Name === 'Admin' ? 100 : 10, categories: [] }) });
    expect(scored.identityCenter!.permissionSets.map((p) => p.risk?.score)).toEqual([100, 10]);
  });
});
